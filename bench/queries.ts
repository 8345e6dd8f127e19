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
import { LATENCY_BOUNDS_MS } from "../apps/server/src/modules/analytics/histogram.js";
import { createAnalytics } from "../apps/server/src/modules/analytics/module.js";
import { overview } from "../apps/server/src/modules/analytics/overview.js";
import { journeyAvailability } from "../apps/server/src/modules/availability/service.js";
import { createEventsRepository } from "../apps/server/src/modules/events/repository.js";
import { createEventsService } from "../apps/server/src/modules/events/service.js";
import { journeyFunnel } from "../apps/server/src/modules/funnel/service.js";
import { createJourneyCatalogue } from "../apps/server/src/modules/journeys/catalogue.js";
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
/** Mean events per generated run (see the run shape in `generateRuns`). */
const EVENTS_PER_RUN = 0.55 * 7 + 0.45 * 3.5;

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
    const runsWanted = Math.round(scale / EVENTS_PER_RUN);
    const t0 = performance.now();
    await generateRuns(generatedRuns, runsWanted, runsWanted);
    generatedRuns = runsWanted;
    await database.pool.query("VACUUM ANALYZE");
    const sizes = await database.pool.query<{ name: string; rows: string; size: string }>(`
      SELECT relname AS name, n_live_tup::text AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
      FROM pg_stat_user_tables WHERE relname ~ '^(runs|run_cohorts|step_rollup)' ORDER BY relname`);
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
    for (const s of sizes.rows)
      rows.push([`table ${s.name}`, `${formatCount(Number(s.rows))} rows, ${s.size}`]);
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

/**
 * Generates runs [from, to) of `total` straight into the runs, run cohorts and step rollups, exactly
 * as the projection would from their events: 55 % complete all 7 steps; the others stop at step
 * 0–5, failing (1 in 7), rejected at identity (1 in 3 of those stopping there) or abandoned.
 * Starts spread evenly over the last DAYS days, steps one minute apart.
 */
async function generateRuns(from: number, to: number, total: number): Promise<void> {
  const chunk = 250_000;
  const histogram = `(SELECT array_agg(CASE WHEN i = least(s + 4, ${LATENCY_BOUNDS_MS.length}) THEN n ELSE 0 END ORDER BY i)
    FROM generate_series(1, ${LATENCY_BOUNDS_MS.length}) AS i)`;
  for (let lo = from; lo < to; lo += chunk) {
    const hi = Math.min(to, lo + chunk);
    const client = await database.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`
        CREATE TEMP TABLE gen ON COMMIT DROP AS
        SELECT r, 'journey-' || (r % ${JOURNEYS}) AS journey, 'gen-' || r AS run_id,
          now() - interval '${DAYS} days' + (r::float8 / ${total}) * interval '${DAYS} days' AS first_at,
          h, CASE WHEN h < 550 THEN 6 ELSE h % 6 END AS furthest,
          'p' || (h % 3) AS product, CASE WHEN h % 2 = 0 THEN 'web' ELSE 'mobile' END AS channel
        FROM generate_series(${lo}, ${hi - 1}) AS r, LATERAL (SELECT abs(hashint4(r)) % 1000 AS h) AS x`);
      await client.query(`
        ALTER TABLE gen ADD COLUMN outcome text;
        UPDATE gen SET outcome = CASE WHEN furthest = 6 THEN 'completed' WHEN h % 7 = 0 THEN 'failed'
          WHEN furthest = 1 AND h % 3 = 0 THEN 'rejected' ELSE 'abandoned' END`);
      await client.query(`
        INSERT INTO runs (journey, run_id, synthetic, event_count, first_at, last_at, furthest_step, last_event_at,
          last_step, last_outcome, last_error_code, completed_at, rejected_at, rejected_step, error_count,
          first_error_at, last_error_at, outcome, product, channel, attributes)
        SELECT journey, run_id, false, furthest + 1, first_at, first_at + furthest * interval '1 minute', furthest,
          first_at + furthest * interval '1 minute', furthest,
          CASE outcome WHEN 'failed' THEN 'error' WHEN 'rejected' THEN 'rejected' ELSE 'ok' END,
          CASE outcome WHEN 'failed' THEN 'E500' ELSE '' END,
          CASE outcome WHEN 'completed' THEN first_at + 6 * interval '1 minute' END,
          CASE outcome WHEN 'rejected' THEN first_at + interval '1 minute' END,
          CASE outcome WHEN 'rejected' THEN 1 END,
          CASE outcome WHEN 'failed' THEN 1 ELSE 0 END,
          CASE outcome WHEN 'failed' THEN first_at + furthest * interval '1 minute' END,
          CASE outcome WHEN 'failed' THEN first_at + furthest * interval '1 minute' END,
          outcome, product, channel, jsonb_build_object('product', product, 'channel', channel)
        FROM gen`);
      for (const [table, bucket] of [
        ["run_cohorts_hour", "date_trunc('hour', first_at)"],
        ["run_cohorts_day", `date_trunc('day', first_at, '${config.timezone}')`],
      ]) {
        await client.query(`
          INSERT INTO ${table} AS c (journey, bucket, synthetic, product, channel, furthest_step, outcome, recovered,
            convert_bucket, runs)
          SELECT journey, ${bucket}, false, product, channel, furthest, outcome, false,
            CASE WHEN outcome = 'completed' THEN 5 ELSE -1 END, count(*)
          FROM gen GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
          ON CONFLICT (journey, bucket, synthetic, product, channel, furthest_step, outcome, recovered, convert_bucket)
          DO UPDATE SET runs = c.runs + excluded.runs`);
      }
      await client.query(`
        CREATE TEMP TABLE gen_events ON COMMIT DROP AS
        SELECT journey, first_at + s * interval '1 minute' AS time, s, product, channel,
          CASE WHEN s = furthest AND outcome = 'failed' THEN 'error'
               WHEN s = furthest AND outcome = 'rejected' THEN 'rejected' ELSE 'ok' END AS outcome
        FROM gen, generate_series(0, furthest) AS s`);
      for (const [table, bucket] of [
        ["step_rollup_minute", "date_trunc('minute', time)"],
        ["step_rollup_hour", "date_trunc('hour', time)"],
        ["step_rollup_day", `date_trunc('day', time, '${config.timezone}')`],
      ]) {
        await client.query(`
          INSERT INTO ${table} AS r (journey, bucket, step, synthetic, outcome, error_code, product, channel, events,
            duration_count, duration_sum, histogram)
          SELECT journey, bucket, (ARRAY['${STEPS.join("','")}'])[s + 1], false, outcome,
            CASE WHEN outcome = 'error' THEN 'E500' ELSE '' END, product, channel, n, n, n * 100.0, ${histogram}
          FROM (SELECT journey, ${bucket} AS bucket, s, outcome, product, channel, count(*) AS n
                FROM gen_events GROUP BY 1, 2, 3, 4, 5, 6) AS g
          ON CONFLICT (journey, bucket, step, synthetic, outcome, error_code, product, channel) DO UPDATE SET
            events = r.events + excluded.events, duration_count = r.duration_count + excluded.duration_count,
            duration_sum = r.duration_sum + excluded.duration_sum, histogram = vigie_hist_add(r.histogram, excluded.histogram)`);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
    if (((lo - from) / chunk) % 8 === 0) log(`  generated runs ${formatCount(hi)} / ${formatCount(to)}`);
  }
  if (from === 0) {
    // probes: every series judged every 5 minutes, one 20-minute outage a day per journey
    await database.pool.query(`
      INSERT INTO probe_series (journey, step, first_at, last_at, down, down_since)
      SELECT j, s, now() - interval '${DAYS} days', now() - interval '1 minute', false, NULL
      FROM unnest(ARRAY[${Array.from({ length: JOURNEYS }, (_, j) => `'journey-${j}'`).join(",")}]) AS j,
        unnest(ARRAY['', '${STEPS.join("','")}']) AS s;
      INSERT INTO probe_periods (journey, step, kind, started_at, ended_at)
      SELECT journey, step, 'down', d, d + interval '20 minutes' FROM probe_series,
        generate_series(now() - interval '${DAYS} days', now() - interval '1 day', interval '1 day') AS d
      WHERE step IN ('', 'identity')`);
  }
}
