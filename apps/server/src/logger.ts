import pino, { type Logger } from "pino";
import type { Config } from "./config.js";

/** The process logger: JSON lines by default, human-readable with `log.pretty`. */
export function createLogger(config: Config["log"]): Logger {
  return pino({
    level: config.level,
    base: { service: "vigie" },
    redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[masked]" },
    ...(config.pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
