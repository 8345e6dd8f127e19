/**
 * Alerting benchmark (`npm run bench:alerts`): while the real Vigie server ingests 10,000 events/s
 * of background real traffic, probe runs make its journey go down (the third failed run is the
 * decisive event) and come back; measured is the time from the 2xx of the decisive event to the
 * arrival of the signed webhook at a local receiver, over 100 trials.
 *
 *   npm run bench:alerts -- [--trials 100] [--rate 10000] [--batch 100] [--json results.json]
 *
 * PostgreSQL: a fresh embedded server in a temporary folder, or a fresh database on the server
 * named by BENCH_DATABASE_URL (or DATABASE_URL). Only loopback traffic. See docs/benchmarks.md.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { Pool } from "undici";
import { startReceiver } from "../apps/server/src/modules/alerts/test-support.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { distribution, formatCount, formatMs, printTable } from "./lib/stats.js";
import { createStepEventFactory } from "./lib/step-events.js";
import { BENCH_JOURNEY, startVigieProcess } from "./lib/vigie-process.js";

const { values: args } = parseArgs({
  options: {
    trials: { type: "string", default: "100" },
    rate: { type: "string", default: "10000" },
    batch: { type: "string", default: "100" },
    warmup: { type: "string", default: "5" },
    json: { type: "string" },
  },
});
const TRIALS = Number(args.trials);
const RATE = Number(args.rate);
const BATCH = Number(args.batch);
const WARMUP_MS = Number(args.warmup) * 1000;
const JOURNEY = BENCH_JOURNEY.key;
const SECRET = randomBytes(16).toString("hex");
const MAX_IN_FLIGHT = 32;

const log = (message: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

/**
 * Background real traffic at a fixed rate: a batch is due every `BATCH / RATE` seconds whatever the
 * answers (open loop), generated on the fly. When the server cannot keep up, batches beyond
 * MAX_IN_FLIGHT waiting requests are not sent (counted as "skipped") instead of queueing without
 * bound. Probe runs are the benchmark's own: the background has none, so it never decides the probe
 * rule by itself.
 */
function startBackground(pool: Pool, headers: Record<string, string>) {
  const factory = createStepEventFactory({
    prefix: `bg-${randomBytes(3).toString("hex")}`,
    baseTime: Date.now(),
    spreadMs: 60_000,
  });
  const intervalMs = (BATCH / RATE) * 1000;
  let next = 0;
  let stopped = false;
  const stats = { sent: 0, accepted: 0, skipped: 0, failures: 0, firstFailure: "" };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const loop = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const wait = started + i * intervalMs - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (inFlight.size >= MAX_IN_FLIGHT) {
        stats.skipped += BATCH;
        continue;
      }
      const events = [];
      for (let k = 0; k < BATCH; k += 1) {
        const event = factory(next++);
        delete event.data.synthetic;
        event.time = new Date().toISOString();
        events.push(event);
      }
      stats.sent += BATCH;
      const p = pool
        .request({ method: "POST", path: "/api/v1/events", headers, body: JSON.stringify(events) })
        .then(async (r) => {
          const text = await r.body.text();
          if (r.statusCode === 200) stats.accepted += BATCH;
          else {
            stats.failures += 1;
            stats.firstFailure ||= `${r.statusCode} ${text.slice(0, 200)}`;
          }
        })
        .catch((error: unknown) => {
          stats.failures += 1;
          stats.firstFailure ||= String(error);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();
  return {
    stats,
    elapsedMs: () => performance.now() - started,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inFlight);
    },
  };
}

let probeClock = Date.now();
/** One probe run (two events) as a batch: failed at identity, or completed. */
function probeRun(failed: boolean): string {
  const runId = `probe-${randomBytes(5).toString("hex")}`;
  // strictly increasing times, so that "the latest runs" are unambiguous
  probeClock = Math.max(probeClock + 1, Date.now());
  const time = new Date(probeClock).toISOString();
  const event = (step: string, outcome: string, extra: Record<string, unknown> = {}) => ({
    specversion: "1.0",
    id: `${runId}-${step}`,
    source: "/probes/bench",
    type: "vigie.step",
    time,
    data: { journey: JOURNEY, runId, step, outcome, durationMs: 80, synthetic: true, ...extra },
  });
  return JSON.stringify(
    failed
      ? [
          event("landing", "ok"),
          event("identity", "error", { error: { code: "IDV-503", message: "timeout" } }),
        ]
      : [event("landing", "ok"), event("account-opened", "ok")],
  );
}

async function main() {
  const postgres = await startBenchPostgres(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL);
  const receiver = await startReceiver();
  log(`PostgreSQL ${postgres.engine}; starting Vigie`);
  const vigie = await startVigieProcess({
    databaseUrl: postgres.url,
    logLevel: "warn",
    config: {
      alerting: {
        // the journey's default rules (error rate, burn rate, volume) evaluate alongside, as in production
        defaultRules: true,
        // 100 down/up trials in a few minutes would be "flapping" by design: not what is measured here
        flapThreshold: 10_000,
        delivery: { allowAddresses: ["127.0.0.1/32"] },
        rules: [
          {
            key: `${JOURNEY}.probe-down`,
            kind: "probe-down",
            journey: JOURNEY,
            failuresToOpen: 3,
            successesToClose: 2,
            keepFiringFor: 0,
          },
        ],
      },
      audiences: [
        {
          key: "support",
          channels: [{ kind: "webhook", key: "bench-hook", url: receiver.url, secret: SECRET }],
        },
      ],
    },
  }).catch(async (error: unknown) => {
    // the server did not start: release what this run started
    await receiver.close();
    await postgres.stop();
    throw error;
  });
  const headers = {
    authorization: `Bearer ${vigie.ingestKey}`,
    "content-type": "application/cloudevents-batch+json",
  };
  const pool = new Pool(vigie.url, { connections: 32, pipelining: 1 });
  const probePool = new Pool(vigie.url, { connections: 2, pipelining: 1 });
  const post = async (body: string) => {
    const r = await probePool.request({ method: "POST", path: "/api/v1/events", headers, body });
    const text = await r.body.text();
    if (r.statusCode !== 200) throw new Error(`probe events refused: ${r.statusCode} ${text}`);
  };
  try {
    const machine = await describeMachine(postgres.url);
    const background = startBackground(pool, headers);
    log(`background traffic at ${formatCount(RATE)} events/s; warming up ${WARMUP_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    let expected = 0;
    const arrival = async (count: number, what: string) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), 60_000);
      });
      const outcome = await Promise.race([receiver.waitFor(count), late]);
      clearTimeout(timer);
      if (outcome !== "late") return;
      // tell why from the database itself
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      const alerts = await client.query("SELECT rule_key, status, held_by, facts, state FROM alerts");
      const outbox = await client.query(
        "SELECT id, notice, status, attempts, last_error FROM notifications ORDER BY id DESC LIMIT 5",
      );
      await client.end();
      throw new Error(
        `no ${what} webhook within 60 s (${receiver.received.length} received):\n` +
          `${JSON.stringify(alerts.rows)}\n${JSON.stringify(outbox.rows)}\n${vigie.logTail()}`,
      );
    };
    const trialsStarted = performance.now();
    for (let trial = 0; trial < TRIALS; trial += 1) {
      await post(probeRun(true));
      await post(probeRun(true));
      const sent = performance.now();
      await post(probeRun(true)); // the decisive event
      const acked = performance.now();
      expected += 1;
      await arrival(expected, "firing");
      const hook = receiver.received[expected - 1]!;
      const kind = (hook.json.notice as { kind: string }).kind;
      if (kind !== "firing") throw new Error(`trial ${trial}: expected a firing notice, got ${kind}`);
      fromAck.push(hook.at - acked);
      fromSend.push(hook.at - sent);
      // back up: two successful runs, and the recovery is delivered before the next trial
      await post(probeRun(false));
      await post(probeRun(false));
      expected += 1;
      await arrival(expected, "recovery");
      if ((trial + 1) % 20 === 0) log(`${trial + 1}/${TRIALS} trials`);
    }
    const trialsMs = performance.now() - trialsStarted;
    await background.stop();
    const achieved = (background.stats.accepted / background.elapsedMs()) * 1000;
    const ack = distribution(fromAck);
    const send = distribution(fromSend);
    printTable("Machine", machineRows(machine));
    printTable(`Alert latency over ${TRIALS} trials (${postgres.engine} PostgreSQL)`, [
      ["2xx of decisive event → webhook arrival, p50", formatMs(ack.p50)],
      ["                                        p95", formatMs(ack.p95)],
      ["                                        p99", formatMs(ack.p99)],
      ["                                        max", formatMs(ack.max)],
      ["decisive event sent → webhook arrival, p50", formatMs(send.p50)],
      ["                                       p99", formatMs(send.p99)],
      ["webhooks received (firing + recovery)", formatCount(receiver.received.length)],
      ["background traffic asked", `${formatCount(RATE)} events/s`],
      ["background traffic stored", `${formatCount(achieved)} events/s`],
      ["background events skipped (server saturated)", formatCount(background.stats.skipped)],
      ["background requests failed", formatCount(background.stats.failures)],
      ["trials lasted", `${(trialsMs / 1000).toFixed(1)} s`],
    ]);
    if (background.stats.firstFailure) log(`first background failure: ${background.stats.firstFailure}`);
    if (args.json) {
      writeFileSync(
        args.json,
        JSON.stringify(
          {
            machine,
            engine: postgres.engine,
            fromAck: ack,
            fromSend: send,
            background: { ...background.stats, achieved },
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await pool.close();
    await probePool.close();
    await vigie.stop();
    await receiver.close();
    await postgres.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:alerts failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
