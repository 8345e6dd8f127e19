/**
 * Ingestion benchmark (`npm run bench:ingest`): how fast the real Vigie server stores events over
 * HTTP compared with a raw COPY of the same rows, and how fast it acknowledges at a fixed rate.
 *
 *   npm run bench:ingest -- [--duration 20] [--connections 50] [--rate 10000] [--json results.json]
 *
 * PostgreSQL: a fresh embedded server in a temporary folder, or a fresh database on the server
 * named by BENCH_DATABASE_URL (or DATABASE_URL). Only loopback traffic. See docs/benchmarks.md.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Pool } from "undici";
import { parseConfig } from "../apps/server/src/config.js";
import { openDatabase } from "../apps/server/src/db/client.js";
import type { EventProjection } from "../apps/server/src/modules/events/repository.js";
import { createEventsRepository } from "../apps/server/src/modules/events/repository.js";
import { createEventsService } from "../apps/server/src/modules/events/service.js";
import { createJourneyCatalogue } from "../apps/server/src/modules/journeys/catalogue.js";
import { createRunsProjection } from "../apps/server/src/modules/runs/projection.js";
import { type CpuUse, measureCpu, postgresServerPid } from "./lib/cpu.js";
import { closedLoop, type LoadResult, openLoop, type PreparedRequest } from "./lib/load.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { distribution, formatCount, formatMiB, formatMs, printTable } from "./lib/stats.js";
import { type BenchStepEvent, batchBody, createStepEventFactory } from "./lib/step-events.js";
import { BENCH_JOURNEY, startVigieProcess, type VigieProcess } from "./lib/vigie-process.js";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "4" },
    connections: { type: "string", default: "50" },
    "min-batch": { type: "string", default: "100" },
    "max-batch": { type: "string", default: "1000" },
    rate: { type: "string", default: "10000" },
    "rate-batch": { type: "string", default: "100" },
    "rate-duration": { type: "string", default: "15" },
    "in-process-events": { type: "string", default: "50000" },
    json: { type: "string" },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const CONNECTIONS = Number(args.connections);
const MIN_BATCH = Number(args["min-batch"]);
const MAX_BATCH = Number(args["max-batch"]);
const RATE = Number(args.rate);
const RATE_BATCH = Number(args["rate-batch"]);
const RATE_DURATION_MS = Number(args["rate-duration"]) * 1000;
const IN_PROCESS_EVENTS = Number(args["in-process-events"]);

const log = (message: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** Hands out consecutive event numbers, so that every phase sends events never seen before. */
function eventNumbers() {
  let next = 0;
  return (count: number) => {
    const from = next;
    next += count;
    return from;
  };
}

type Factory = (n: number) => BenchStepEvent;

/** Batches of MIN..MAX events (deterministic sizes) covering at least `events` events. */
function prepareBatches(
  factory: Factory,
  take: (count: number) => number,
  events: number,
  headers: Record<string, string>,
  sizes: () => number,
): (PreparedRequest & { from: number })[] {
  const requests: (PreparedRequest & { from: number })[] = [];
  for (let planned = 0; planned < events; ) {
    const size = sizes();
    const from = take(size);
    requests.push({
      path: "/api/v1/events",
      headers,
      body: batchBody(factory, from, size),
      units: size,
      from,
    });
    planned += size;
  }
  return requests;
}

/** Sizes spread evenly over [min, max], in a fixed order (a cheap deterministic generator). */
function batchSizes(min: number, max: number) {
  let state = 12345;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return min + (state % (max - min + 1));
  };
}

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL
const copyText = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
const copyValue = (value: unknown) =>
  value === null || value === undefined
    ? "\\N"
    : copyText(typeof value === "object" ? JSON.stringify(value) : String(value));

/** The events row of one event, as the server stores it (personal data excluded). */
function copyLine(event: BenchStepEvent): string {
  const d = event.data;
  return [
    event.time,
    event.source,
    event.id,
    d.journey,
    d.step,
    d.runId,
    d.outcome,
    d.durationMs,
    d.error?.code,
    d.error?.message,
    d.synthetic ?? false,
    d.attributes,
    null,
    null,
  ]
    .map(copyValue)
    .join("\t");
}

const COPY_COLUMNS =
  "time, source, id, journey, step, run_id, outcome, duration_ms, error_code, error_message, synthetic, attributes, subject, extensions";

/**
 * Raw COPY of events `from..from+count-1` into a fresh table built like `events` (same columns,
 * defaults, constraints, indexes and monthly partitions), in one COPY statement on one connection.
 * The text is prepared before the clock starts, so that only PostgreSQL's work is timed.
 */
async function rawCopy(
  databaseUrl: string,
  factory: Factory,
  from: number,
  count: number,
  postgresPid?: number,
) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      "CREATE TABLE bench_copy_events (LIKE events INCLUDING ALL) PARTITION BY RANGE (time)",
    );
    const partitions = await client.query<{ bound: string }>(`
      SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`);
    for (const [index, { bound }] of partitions.rows.entries()) {
      await client.query(`CREATE TABLE bench_copy_events_${index} PARTITION OF bench_copy_events ${bound}`);
    }
    const chunks: string[] = [];
    let chunk: string[] = [];
    for (let n = from; n < from + count; n++) {
      chunk.push(copyLine(factory(n)));
      if (chunk.length === 2000) {
        chunks.push(`${chunk.join("\n")}\n`);
        chunk = [];
      }
    }
    if (chunk.length) chunks.push(`${chunk.join("\n")}\n`);
    await client.query("CHECKPOINT");
    const cpu = measureCpu({ postgres: postgresPid });
    const started = performance.now();
    await pipeline(
      Readable.from(chunks),
      client.query(copyFrom(`COPY bench_copy_events (${COPY_COLUMNS}) FROM STDIN`)),
    );
    const elapsedMs = performance.now() - started;
    const cpuUse = cpu();
    const copied = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM bench_copy_events");
    return { rows: copied.rows[0]!.n, elapsedMs, cpu: cpuUse };
  } finally {
    await client.query("DROP TABLE IF EXISTS bench_copy_events").catch(() => undefined);
    await client.end();
  }
}

/** Events of this run in the events table (other parts of Vigie, e.g. probes, may add their own). */
async function countStored(databaseUrl: string, prefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE starts_with(id, $1)",
      [`${prefix}-`],
    );
    return result.rows[0]!.n;
  } finally {
    await client.end();
  }
}

async function checkpoint(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("CHECKPOINT").finally(() => client.end());
}

/**
 * The events service in this process, without HTTP: `events.ingest` called by 8 concurrent
 * requesters of 500 events, with or without the runs/rollups projection the server registers. It
 * tells what storage costs apart from HTTP, and what the projection adds.
 */
async function inProcessStorage(
  databaseUrl: string,
  factory: Factory,
  take: (count: number) => number,
  withProjection: boolean,
  postgresPid: number | undefined,
) {
  const config = parseConfig({ journeys: [BENCH_JOURNEY], log: { level: "silent" } });
  const journeys = createJourneyCatalogue(config.journeys);
  const database = openDatabase({ url: databaseUrl, poolMax: 10 });
  const projections: EventProjection[] = withProjection
    ? [createRunsProjection({ journeys, timezone: config.timezone })]
    : [];
  const events = createEventsService({
    repository: createEventsRepository(database.db),
    journeys,
    limits: { maxEventAgeMs: config.ingest.maxEventAge, maxClockSkewMs: config.ingest.maxClockSkew },
    projections,
  });
  try {
    await events.preparePartitions();
    const bodies = Array.from({ length: IN_PROCESS_EVENTS / 500 }, () => batchBody(factory, take(500), 500));
    const cpu = measureCpu({ postgres: postgresPid });
    const started = performance.now();
    let next = 0;
    let stored = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          // parsing included, as the HTTP route does it
          // (not `stored += await …`, which would read `stored` before waiting)
          const result = await events.ingest(JSON.parse(bodies[next++]!));
          stored += result.accepted;
        }
      }),
    );
    return { stored, elapsedMs: performance.now() - started, cpu: cpu() };
  } finally {
    await database.close();
  }
}

/** Events the server said it stored; fails the bench when a request failed for good. */
function acceptedEvents(phase: string, result: LoadResult): number {
  if (result.failures > 0) {
    throw new Error(
      `${phase}: ${result.failures} of ${result.requests} requests failed; first: ${result.firstFailure}`,
    );
  }
  return result.bodies.reduce<number>((sum, b) => sum + (b as { accepted: number }).accepted, 0);
}

/** Runs one closed-loop phase, measuring who used the CPU. */
async function measureClosedLoop(
  pool: Pool,
  requests: PreparedRequest[],
  durationMs: number,
  pids: { server: number; postgres?: number },
) {
  const cpu = measureCpu(pids);
  const result = await closedLoop(pool, requests, {
    concurrency: CONNECTIONS,
    durationMs,
    keepBodies: true,
    retryUnavailable: true,
  });
  return { result, cpu: cpu() };
}

const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

async function main(): Promise<void> {
  const externalUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || undefined;
  log(`starting PostgreSQL (${externalUrl ? "external" : "embedded, temporary folder"})`);
  const postgres = await startBenchPostgres(externalUrl);
  let vigie: VigieProcess | undefined;
  let pool: Pool | undefined;
  try {
    log("starting the Vigie server in a child process");
    vigie = await startVigieProcess({ databaseUrl: postgres.url });
    const machine = await describeMachine(postgres.url);
    const pids = { server: vigie.pid, postgres: await postgresServerPid(postgres.url) };
    const memoryAtStart = vigie.memory();
    const headers = {
      authorization: `Bearer ${vigie.ingestKey}`,
      "content-type": "application/cloudevents-batch+json",
    };
    const prefix = randomBytes(4).toString("hex");
    const factory = createStepEventFactory({
      prefix,
      baseTime: Date.now() - 60_000,
    });
    const take = eventNumbers();
    const sizes = batchSizes(MIN_BATCH, MAX_BATCH);
    pool = new Pool(vigie.url, { connections: CONNECTIONS, pipelining: 1 });

    // (a) HTTP batch ingestion, closed loop. The warm-up also tells how many events to prepare.
    log(`warm-up: ${WARMUP_MS / 1000} s`);
    const warmup = await closedLoop(pool, prepareBatches(factory, take, 150_000, headers, sizes), {
      concurrency: CONNECTIONS,
      durationMs: WARMUP_MS,
      keepBodies: true,
      retryUnavailable: true,
    });
    const warmupStored = acceptedEvents("warm-up", warmup);
    const expected = Math.ceil((warmup.units / warmup.elapsedMs) * DURATION_MS * 2 + 50_000);
    log(
      `preparing ${formatCount(expected)} events (${formatCount((warmup.units / warmup.elapsedMs) * 1000)} events/s in warm-up)`,
    );
    const batches = prepareBatches(factory, take, expected, headers, sizes);
    await checkpoint(postgres.url);
    log(
      `HTTP batch ingestion: ${CONNECTIONS} connections, batches of ${MIN_BATCH}-${MAX_BATCH}, ${DURATION_MS / 1000} s`,
    );
    const http = await measureClosedLoop(pool, batches, DURATION_MS, pids);
    const httpStored = acceptedEvents("HTTP ingestion", http.result);
    if (httpStored !== http.result.units)
      throw new Error(`HTTP ingestion: ${http.result.units - httpStored} duplicates`);
    const sent = batches.slice(0, http.result.requests);
    const httpRate = http.result.units / (http.result.elapsedMs / 1000);
    const memoryAfterHttp = vigie.memory();

    // (b) raw COPY of the very same rows into a fresh identical table
    log(`raw COPY of the same ${formatCount(http.result.units)} rows`);
    const copy = await rawCopy(postgres.url, factory, sent[0]!.from, http.result.units, pids.postgres);
    if (copy.rows !== http.result.units)
      throw new Error(`COPY stored ${copy.rows} rows, not ${http.result.units}`);
    const copyRate = copy.rows / (copy.elapsedMs / 1000);

    // (c) open loop at a fixed rate: latency of each acknowledgement from when it was due
    const intervalMs = (RATE_BATCH / RATE) * 1000;
    const rateRequests = Array.from({ length: Math.round(RATE_DURATION_MS / intervalMs) }, () => {
      const from = take(RATE_BATCH);
      return {
        path: "/api/v1/events",
        headers,
        body: batchBody(factory, from, RATE_BATCH),
        units: RATE_BATCH,
      };
    });
    await checkpoint(postgres.url);
    log(
      `fixed rate: ${formatCount(RATE)} events/s in batches of ${RATE_BATCH}, ${RATE_DURATION_MS / 1000} s`,
    );
    const fixedCpu = measureCpu(pids);
    const fixed = await openLoop(pool, rateRequests, { intervalMs, keepBodies: true });
    const fixedCpuUse = fixedCpu();
    const fixedStored = fixed.bodies.reduce<number>(
      (sum, b) => sum + (b as { accepted: number }).accepted,
      0,
    );
    const latency = distribution(fixed.latenciesMs);
    const memoryAtEnd = vigie.memory();

    const stored = await countStored(postgres.url, prefix);
    const expectedStored = warmupStored + httpStored + fixedStored;
    // an abandoned request may still have been committed after the bench stopped waiting
    if (stored < expectedStored || stored > expectedStored + fixed.abandoned * RATE_BATCH)
      throw new Error(`events table holds ${stored} events, expected ${expectedStored}`);

    // (e) the events service in this process: storage alone, then with the runs projection. The
    // server first finishes what it still holds (abandoned requests), so as not to share PostgreSQL.
    for (let last = -1, now = stored; now !== last; ) {
      await new Promise((r) => setTimeout(r, 1000));
      [last, now] = [now, await countStored(postgres.url, prefix)];
    }
    log(
      `in-process storage of ${formatCount(IN_PROCESS_EVENTS)} events, without then with the runs projection`,
    );
    await checkpoint(postgres.url);
    const alone = await inProcessStorage(postgres.url, factory, take, false, pids.postgres);
    await checkpoint(postgres.url);
    const projected = await inProcessStorage(postgres.url, factory, take, true, pids.postgres);

    // (d) report
    const ratio = httpRate / copyRate;
    const cpuRows = (cpu: CpuUse, units: number, elapsedMs: number): [string, string][] => {
      const perThousand = (seconds: number | undefined) =>
        seconds === undefined ? "n/a" : `${((seconds * 1e6) / units).toFixed(1)} ms`;
      const ours = cpu.clientSeconds + (cpu.serverSeconds ?? 0) + (cpu.postgresSeconds ?? 0);
      return [
        [
          "CPU per 1,000 events",
          `server ${perThousand(cpu.serverSeconds)}, PostgreSQL ${perThousand(cpu.postgresSeconds)}, bench client ${perThousand(cpu.clientSeconds)}`,
        ],
        [
          "machine CPU busy",
          `${pct(cpu.machineBusy)} of ${machine.cores} cores (this bench ${pct(ours / (elapsedMs / 1000) / machine.cores)}, other programs the rest)`,
        ],
      ];
    };
    const httpLatency = distribution(http.result.latenciesMs);
    printTable("Machine", machineRows(machine));
    printTable(
      `Ingestion over HTTP (closed loop, ${CONNECTIONS} connections, batches of ${MIN_BATCH}-${MAX_BATCH})`,
      [
        [
          "events stored",
          `${formatCount(http.result.units)} in ${formatCount(http.result.requests)} requests`,
        ],
        ["duration", `${(http.result.elapsedMs / 1000).toFixed(1)} s`],
        ["rate", `${formatCount(httpRate)} events/s`],
        ["request latency p50 / p99", `${formatMs(httpLatency.p50)} / ${formatMs(httpLatency.p99)}`],
        ["503 answers (sent again)", formatCount(http.result.retries)],
        ...cpuRows(http.cpu, http.result.units, http.result.elapsedMs),
      ],
    );
    printTable("Raw COPY of the same rows (one COPY statement)", [
      ["rows", formatCount(copy.rows)],
      ["duration", `${(copy.elapsedMs / 1000).toFixed(1)} s`],
      ["rate", `${formatCount(copyRate)} events/s`],
      ...cpuRows(copy.cpu, copy.rows, copy.elapsedMs),
      ["HTTP / COPY ratio", `${ratio.toFixed(2)} (target ≥ 0.50: ${ratio >= 0.5 ? "met" : "MISSED"})`],
    ]);
    printTable(`Fixed rate ${formatCount(RATE)} events/s (open loop, batches of ${RATE_BATCH})`, [
      ["events stored", `${formatCount(fixed.units)} in ${formatCount(fixed.requests)} requests`],
      ["achieved rate", `${formatCount(fixed.units / (fixed.elapsedMs / 1000))} events/s`],
      ["ack latency p50", formatMs(latency.p50)],
      ["ack latency p95", formatMs(latency.p95)],
      [
        "ack latency p99",
        `${formatMs(latency.p99)} (target < 100 ms: ${latency.p99 < 100 ? "met" : "MISSED"})`,
      ],
      ["ack latency max", formatMs(latency.max)],
      ["abandoned after 30 s without an answer", formatCount(fixed.abandoned)],
      [
        "failed requests",
        `${fixed.failures}${fixed.firstFailure ? ` (first: ${fixed.firstFailure.slice(0, 80)})` : ""}`,
      ],
      ...cpuRows(fixedCpuUse, fixed.units, fixed.elapsedMs),
    ]);
    for (const [title, phase] of [
      ["Events service in-process, storage alone (no HTTP, no projection)", alone],
      ["Events service in-process, with the runs/rollups projection (no HTTP)", projected],
    ] as const) {
      printTable(title, [
        ["events stored", formatCount(phase.stored)],
        ["rate", `${formatCount(phase.stored / (phase.elapsedMs / 1000))} events/s`],
        [
          "CPU per 1,000 events",
          `Node.js ${((phase.cpu.clientSeconds * 1e6) / phase.stored).toFixed(1)} ms, PostgreSQL ${
            phase.cpu.postgresSeconds === undefined
              ? "n/a"
              : `${((phase.cpu.postgresSeconds * 1e6) / phase.stored).toFixed(1)} ms`
          }`,
        ],
        ["machine CPU busy", pct(phase.cpu.machineBusy)],
      ]);
    }
    printTable("Server memory (RSS of the Vigie process)", [
      ["after start", formatMiB(memoryAtStart.rss)],
      ["after HTTP ingestion", formatMiB(memoryAfterHttp.rss)],
      ["at the end", formatMiB(memoryAtEnd.rss)],
      ["peak", formatMiB(memoryAtEnd.peakRss)],
    ]);
    process.stdout.write("\n");
    if (args.json) {
      const results = {
        date: new Date().toISOString(),
        machine,
        postgres: postgres.engine,
        http: {
          cpu: http.cpu,
          events: http.result.units,
          requests: http.result.requests,
          seconds: http.result.elapsedMs / 1000,
          rate: httpRate,
          connections: CONNECTIONS,
          batch: [MIN_BATCH, MAX_BATCH],
        },
        copy: { rows: copy.rows, seconds: copy.elapsedMs / 1000, rate: copyRate, cpu: copy.cpu },
        ratio,
        fixedRate: {
          rate: RATE,
          batch: RATE_BATCH,
          events: fixed.units,
          latencyMs: latency,
          cpu: fixedCpuUse,
        },
        inProcess: {
          alone: { ...alone, rate: alone.stored / (alone.elapsedMs / 1000) },
          withProjection: { ...projected, rate: projected.stored / (projected.elapsedMs / 1000) },
        },
        rss: {
          start: memoryAtStart.rss,
          afterHttp: memoryAfterHttp.rss,
          end: memoryAtEnd.rss,
          peak: memoryAtEnd.peakRss,
        },
      };
      writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
    }
  } catch (error) {
    if (vigie) process.stderr.write(`\nLast lines of the server's log:\n${vigie.logTail(15)}\n\n`);
    throw error;
  } finally {
    await pool?.close();
    await vigie?.stop();
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
