import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "./config.js";
import type { IngestKey } from "./modules/keys/service.js";

/**
 * The configured ingest keys; when none is configured, a key generated once and kept in
 * `<dataDir>/ingest-key` so that a fresh install can receive events at once.
 */
export function resolveIngestKeys(config: Config): { keys: IngestKey[]; generated?: string } {
  if (config.ingest.keys.length > 0) return { keys: config.ingest.keys };
  const file = join(config.dataDir, "ingest-key");
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `vigie_ik_${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  }
  const key = readFileSync(file, "utf8").trim();
  return { keys: [{ name: "default", key }], generated: key };
}
