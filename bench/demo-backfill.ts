/**
 * Demo history benchmark (`node --import tsx bench/demo-backfill.ts [--days 30] [--rate 60]`): how
 * long `vigie demo backfill` takes to generate and ingest N days of simulated prospects through the
 * events service (validation, de-duplication, projections), on a fresh database. Then the same
 * period again, where every event is a duplicate.
 *
 * PostgreSQL: a fresh embedded server in a temporary folder, or a fresh database on the server named
 * by BENCH_DATABASE_URL (or DATABASE_URL). See docs/benchmarks.md.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { buildApp } from "../apps/server/src/app.js";
import { parseConfig } from "../apps/server/src/config.js";
import { openDatabase } from "../apps/server/src/db/client.js";
import { migrate } from "../apps/server/src/db/migrate.js";
import { backfillHistory } from "../apps/server/src/modules/demo/backfill.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { formatCount, printTable } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: { days: { type: "string", default: "30" }, rate: { type: "string", default: "60" } },
});
const DAYS = Number(args.days);
const RATE = Number(args.rate);

const postgres = await startBenchPostgres(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL);
const database = openDatabase({ url: postgres.url, poolMax: 10 });
try {
  await migrate(database.pool);
  const config = parseConfig({
    journeys: [
      {
        key: "cco-subscription",
        name: { fr: "Ouverture de compte courant", en: "Current account opening" },
        steps: ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"].map(
          (key) => ({ key, name: { fr: key, en: key } }),
        ),
      },
    ],
    ingest: { keys: [{ name: "bench", key: "bench-ingest-key-0123456789" }] },
    log: { level: "silent" },
  });
  const vigie = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
  await vigie.events.preparePartitions();
  const to = new Date();
  const from = new Date(to.getTime() - DAYS * 86_400_000);
  const options = {
    journey: "cco-subscription",
    from,
    to,
    seed: 1,
    prospectsPerHour: RATE,
    timeZone: "Europe/Paris",
    batchSize: 2000,
    emit: (events: unknown[]) => vigie.events.ingest(events),
  };
  let began = performance.now();
  const first = await backfillHistory(options);
  const firstSeconds = (performance.now() - began) / 1000;
  began = performance.now();
  const second = await backfillHistory(options);
  const secondSeconds = (performance.now() - began) / 1000;
  await vigie.app.close();

  printTable("Machine", machineRows(await describeMachine(postgres.url)));
  printTable(`Demo backfill: ${DAYS} days at ${RATE} prospects/h (${postgres.engine} PostgreSQL)`, [
    ["runs", formatCount(first.runs)],
    ["events", formatCount(first.events)],
    [
      "first pass",
      `${firstSeconds.toFixed(1)} s, ${formatCount(first.events / firstSeconds)} events/s stored`,
    ],
    [
      "same period again",
      `${secondSeconds.toFixed(1)} s, ${formatCount(second.duplicates)} duplicates, ${second.accepted} stored`,
    ],
  ]);
} finally {
  await database.close();
  await postgres.stop();
}
