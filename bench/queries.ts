/**
 * Analytics query benchmark (`npm run bench:queries`): how fast the dashboards' questions are
 * answered at 1 M and at a much larger volume of events, and what rollup maintenance costs ingestion.
 *
 *   npm run bench:queries -- [--scales 1000000,100000000] [--iterations 50] [--ingest-events 20000]
 *
 * 1. Ingest throughput through the real events service (validation, de-duplication, storage) with no
 *    projection, with runs only, and with runs + rollups, in the same run on the same database.
 * 2. For each scale: the rollups, run cohorts and runs that that many events produce are generated
 *    straight into PostgreSQL by SQL (the same rows the projection writes; raw events are not stored,
 *    the queries never read them), then each query is timed `iterations` times after a warm-up.
 *
 * PostgreSQL: a fresh database on the server named by BENCH_DATABASE_URL (or DATABASE_URL), else an
 * embedded server in a temporary folder. See docs/benchmarks.md.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig } from "../apps/server/src/config.js";
import { openDatabase } from "../apps/server/src/db/client.js";
import { migrate } from "../apps/server/src/db/migrate.js";
import { board } from "../apps/server/src/modules/analytics/board.js";
import { createAnalytics } from "../apps/server/src/modules/analytics/module.js";
import { overview } from "../apps/server/src/modules/analytics/overview.js";
import { journeyAvailability } from "../apps/server/src/modules/availability/service.js";
import { createEventsRepository } from "../apps/server/src/modules/events/repository.js";
import { createEventsService } from "../apps/server/src/modules/events/service.js";
import { journeyFunnel } from "../apps/server/src/modules/funnel/service.js";
import { createJourneyCatalogue } from "../apps/server/src/modules/journeys/catalogue.js";
import { generatedTableSizes, generateRuns, runsForEvents } from "./lib/generated-traffic.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { distribution, formatCount, formatMs, printTable } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    scales: { type: "string", default: "1000000,100000000" },
    iterations: { type: "string", default: "50" },
    "ingest-events": { type: "string", default: "20000" },
    days: { type: "string", default: "35" },
    /** Keep the database after the run (to explore it); its URL is printed. */
    keep: { type: "boolean", default: false },
  },
});
const SCALES = args.scales.split(",").map(Number);
const ITERATIONS = Number(args.iterations);
const INGEST_EVENTS = Number(args["ingest-events"]);
const DAYS = Number(args.days);
const JOURNEYS = 10;
const STEPS = ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"];
const DAY = 86_400_000;

const log = (message: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

const config = parseConfig({
  log: { level: "silent" },
  journeys: Array.from({ length: JOURNEYS }, (_, j) => ({
    key: `journey-${j}`,
    name: { fr: `Parcours ${j}`, en: `Journey ${j}` },
    steps: STEPS.map((key) => ({ key, name: { fr: key, en: key } })),
  })),
});
const journeys = createJourneyCatalogue(config.journeys);

const postgres = await startBenchPostgres(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL);
const database = openDatabase({ url: postgres.url, poolMax: 4 });
try {
  await migrate(database.pool);
  const machine = await describeMachine(postgres.url);
  printTable("Machine", machineRows(machine));

  // ---------------------------------------------------------------- 1. ingest throughput
  const ingestRows: [string, string][] = [];
  for (const mode of ["no projection", "runs only", "runs + rollups"] as const) {
    const analytics = createAnalytics({ config, database, journeys, rollups: mode === "runs + rollups" });
    const events = createEventsService({
      repository: createEventsRepository(database.db),
      journeys,
      limits: { maxEventAgeMs: 400 * DAY, maxClockSkewMs: 300_000 },
      projections: mode === "no projection" ? [] : [analytics.projection],
    });
    await events.preparePartitions();
    const tag = randomBytes(3).toString("hex");
    const batches: Record<string, unknown>[][] = [];
    let batch: Record<string, unknown>[] = [];
    for (let i = 0; i < INGEST_EVENTS; i++) {
      const run = Math.floor(i / 7);
      batch.push({
        specversion: "1.0",
        id: `${tag}-${i}`,
        source: "/bench/app",
        type: "vigie.step",
        time: new Date(Date.now() - 3_600_000 + (i % 3_600) * 1000).toISOString(),
        data: {
          journey: `journey-${run % JOURNEYS}`,
          runId: `${tag}-run-${run}`,
          step: STEPS[i % 7],
          outcome: i % 50 === 0 ? "error" : "ok",
          durationMs: 50 + (i % 900),
          attributes: { product: `p${run % 3}`, channel: run % 2 ? "web" : "mobile" },
        },
      });
      if (batch.length === 500) {
        batches.push(batch);
        batch = [];
      }
    }
    if (batch.length) batches.push(batch);
    // four concurrent senders, as several application instances would be
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) await events.ingest(batches[next++]!);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    ingestRows.push([
      mode,
      `${formatCount(INGEST_EVENTS / seconds)} events/s (${INGEST_EVENTS} events, batches of 500, 4 senders)`,
    ]);
    log(`ingest ${mode}: ${formatCount(INGEST_EVENTS / seconds)} events/s`);
  }
  printTable("Ingest throughput (same run, same database)", ingestRows);

  // ---------------------------------------------------------------- 2. queries at each scale
  const analytics = createAnalytics({ config, database, journeys });
  const ctx = analytics.context;
  let generatedRuns = 0;
  const results: { scale: number; rows: [string, string][]; p95: Record<string, number> }[] = [];
  for (const scale of SCALES) {
    const runsWanted = runsForEvents(scale);
    const t0 = performance.now();
    await generateRuns(
      database.pool,
      { journeys: config.journeys.map((j) => j.key), steps: STEPS, days: DAYS, timezone: config.timezone },
      { from: generatedRuns, to: runsWanted, total: runsWanted },
      log,
    );
    generatedRuns = runsWanted;
    await database.pool.query("VACUUM ANALYZE");
    const sizes = await generatedTableSizes(database.pool);
    log(`scale ${formatCount(scale)}: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const now = Date.now();
    const queries: [string, () => Promise<unknown>][] = [
      ["board (all journeys: today, 7 days, volumes, probes)", () => board(ctx, config.timezone)],
      [
        "overview, all journeys, last 24 h",
        () => overview(ctx, { from: now - DAY, to: now, tz: config.timezone }),
      ],
      [
        "overview, all journeys, last 30 days",
        () => overview(ctx, { from: now - 30 * DAY, to: now, tz: config.timezone }),
      ],
      [
        "funnel of a journey, 30 days",
        () => journeyFunnel(ctx, "journey-3", { from: now - 30 * DAY, to: now, tz: config.timezone }),
      ],
      [
        "availability per step, 30 days by day",
        () =>
          journeyAvailability(ctx, "journey-3", {
            from: now - 30 * DAY,
            to: now,
            tz: config.timezone,
            bucket: "day",
          }),
      ],
    ];
    const rows: [string, string][] = [];
    const p95: Record<string, number> = {};
    for (const [name, query] of queries) {
      for (let i = 0; i < 5; i++) await query();
      const times: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const start = performance.now();
        await query();
        times.push(performance.now() - start);
      }
      const d = distribution(times);
      p95[name] = d.p95;
      rows.push([name, `p50 ${formatMs(d.p50)}  p95 ${formatMs(d.p95)}  max ${formatMs(d.max)}`]);
    }
    for (const s of sizes) rows.push([`table ${s.name}`, `${formatCount(s.rows)} rows, ${s.size}`]);
    printTable(
      `Queries at ${formatCount(scale)} events (${formatCount(runsWanted)} runs over ${DAYS} days)`,
      rows,
    );
    results.push({ scale, rows, p95 });
  }
  if (results.length > 1) {
    const [first, last] = [results[0]!, results.at(-1)!];
    printTable(
      `p95 ratio ${formatCount(last.scale)} / ${formatCount(first.scale)} events`,
      Object.keys(first.p95).map((name) => [name, `${(last.p95[name]! / first.p95[name]!).toFixed(2)} ×`]),
    );
  }
} finally {
  await database.close();
  if (args.keep) log(`database kept: ${postgres.url}`);
  else await postgres.stop();
}
