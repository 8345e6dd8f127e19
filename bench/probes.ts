/**
 * Probe benchmark (`npm run bench:probes`): the real Vigie app schedules 2,000 HTTP probes every
 * 20 s against a local server for 5 minutes; prints schedule jitter, the prober's CPU and RSS, and
 * missed or doubled runs. Then browser probes in a pool of contexts: runs per minute and the
 * per-run overhead beyond page time.
 *
 *   npm run bench:probes -- [--probes 2000] [--every 20] [--duration 300] [--browser-duration 60]
 *                           [--browser-pool 2] [--json results.json]
 *
 * PostgreSQL: a fresh embedded server in a temporary folder, or a fresh database on the server named
 * by BENCH_DATABASE_URL. The target answers from a child process, so that the CPU measured here is
 * the prober's own (scheduling, HTTP calls, storing runs and their events). Loopback only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Registry } from "prom-client";
import { buildApp } from "../apps/server/src/app.js";
import { parseConfig } from "../apps/server/src/config.js";
import { openDatabase } from "../apps/server/src/db/client.js";
import { migrate } from "../apps/server/src/db/migrate.js";
import { createProbesRepository } from "../apps/server/src/modules/probes/repository.js";
import { phaseOf } from "../apps/server/src/modules/probes/schedule.js";
import { createProbeScheduler } from "../apps/server/src/modules/probes/scheduler.js";
import { probeFrom } from "../apps/server/src/modules/probes/test-support.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { distribution, formatCount, formatMiB, formatMs, printTable } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    probes: { type: "string", default: "2000" },
    every: { type: "string", default: "20" },
    duration: { type: "string", default: "300" },
    "browser-duration": { type: "string", default: "60" },
    "browser-pool": { type: "string", default: "2" },
    json: { type: "string" },
  },
});
const PROBES = Number(args.probes);
const EVERY_MS = Number(args.every) * 1000;
const DURATION_MS = Number(args.duration) * 1000;
const BROWSER_DURATION_MS = Number(args["browser-duration"]) * 1000;
const BROWSER_POOL = Number(args["browser-pool"]);

const log = (message: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

const PAGE = `<!doctype html><html><body><main data-step="landing"><h1>Bienvenue</h1>
<form action="/next"><input name="prenom"><button data-testid="start">Ouvrir mon compte</button></form></main></body></html>`;

/** The target: a tiny HTTP server in its own process (JSON for HTTP probes, a page for browsers). */
async function startTarget(): Promise<{ url: string; child: ChildProcess }> {
  const source = `
    const page = ${JSON.stringify(PAGE)};
    require("node:http").createServer((req, res) => {
      if (req.url.startsWith("/page") || req.url.startsWith("/next")) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }); res.end(page); return;
      }
      res.writeHead(200, { "content-type": "application/json" }); res.end('{"ok":true,"id":"p-1"}');
    }).listen(0, "127.0.0.1", function () { process.stdout.write(String(this.address().port) + "\\n"); });`;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

const JOURNEY = {
  key: "cco-subscription",
  name: { fr: "Ouverture de compte courant", en: "Current account opening" },
  steps: ["landing", "identity"].map((key) => ({ key, name: { fr: key, en: key } })),
};

async function main() {
  const postgres = await startBenchPostgres(process.env.BENCH_DATABASE_URL);
  const target = await startTarget();
  const database = openDatabase({ url: postgres.url, poolMax: 20 });
  await migrate(database.pool);
  const machine = await describeMachine(postgres.url);
  const config = parseConfig({
    journeys: [JOURNEY],
    log: { level: "silent" },
    probes: {
      scheduler: false,
      concurrency: 50,
      browserConcurrency: BROWSER_POOL,
      outbound: { allow: ["127.0.0.1"] },
    },
  });
  const vigie = await buildApp({ config, database, ingestKeys: [], logger: false });
  await vigie.events.preparePartitions();
  const repository = createProbesRepository(database.db);
  const results: Record<string, unknown> = { machine };

  // ---- HTTP probes ------------------------------------------------------------------------------
  const probes = Array.from({ length: PROBES }, (_, i) =>
    probeFrom(
      {
        journey: "cco-subscription",
        schedule: { every: EVERY_MS },
        timeout: "10s",
        variables: { baseUrl: target.url },
        steps: [
          { step: "landing", request: { url: `{{baseUrl}}/ok?probe=${i}` }, assert: [{ status: 200 }] },
        ],
      },
      `bench-${i}`,
    ),
  );
  await vigie.probes.service.setProbes(probes);
  const runs = new Map<string, number>(); // probe@scheduledAt → runs
  const jitters: number[] = [];
  const runTimes: number[] = [];
  let failed = 0;
  const windowStart = Date.now() + EVERY_MS; // first full period: every probe has a slot in it
  const windowEnd = Date.now() + DURATION_MS - 2 * 1000;
  const scheduler = createProbeScheduler(vigie.probes.service, repository, {
    concurrency: { http: config.probes.concurrency, browser: BROWSER_POOL },
    tickMs: config.probes.tick,
    registry: new Registry(),
    onRun: (run) => {
      const key = `${run.probe}@${run.scheduledAt.getTime()}`;
      runs.set(key, (runs.get(key) ?? 0) + 1);
      if (run.scheduledAt.getTime() >= windowStart) jitters.push(run.jitterMs);
      runTimes.push(Date.now() - run.startedAt.getTime());
      if (run.outcome !== "passed") failed += 1;
    },
  });
  log(`HTTP: ${PROBES} probes every ${EVERY_MS / 1000}s for ${DURATION_MS / 1000}s against ${target.url}`);
  const rssSamples: number[] = [];
  const loadSamples: number[] = [];
  const sampler = setInterval(() => {
    rssSamples.push(process.memoryUsage().rss);
    loadSamples.push(loadavg()[0]!);
  }, 1000);
  // A late start is either the scheduler's fault or a process that did not get the CPU: this tells.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  scheduler.start();
  const progress = setInterval(() => log(`  ${runs.size} runs so far`), 30_000);
  await new Promise((r) => setTimeout(r, DURATION_MS));
  clearInterval(progress);
  await scheduler.stop();
  await vigie.probes.service.drain();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  clearInterval(sampler);
  loopDelay.disable();
  const loadAverage = loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, loadSamples.length);

  let doubled = 0;
  let missed = 0;
  let expected = 0;
  for (const probe of probes) {
    const phase = phaseOf(probe.name, EVERY_MS);
    for (
      let slot = Math.ceil((windowStart - phase) / EVERY_MS) * EVERY_MS + phase;
      slot < windowEnd - EVERY_MS;
      slot += EVERY_MS
    ) {
      expected += 1;
      const count = runs.get(`${probe.name}@${slot}`) ?? 0;
      if (count === 0) missed += 1;
      if (count > 1) doubled += 1;
    }
  }
  const jitter = distribution(jitters);
  const cores = (cpu.user + cpu.system) / 1000 / wallMs;
  const rss = distribution(rssSamples);
  const stored = await database.db
    .selectFrom("probe_runs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  results.http = {
    probes: PROBES,
    everyMs: EVERY_MS,
    durationMs: DURATION_MS,
    runs: [...runs.values()].reduce((a, b) => a + b, 0),
    storedRuns: Number(stored.n),
    failedRuns: failed,
    slotsChecked: expected,
    missed,
    doubled,
    jitterMs: jitter,
    cpuCores: cores,
    eventLoopDelayMs: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
    machineLoadAverage: loadAverage,
    rssMiB: { mean: rss.mean / 2 ** 20, max: rss.max / 2 ** 20 },
  };
  printTable("HTTP probes", [
    ["probes × interval", `${formatCount(PROBES)} every ${EVERY_MS / 1000} s for ${DURATION_MS / 1000} s`],
    [
      "runs (stored)",
      `${formatCount([...runs.values()].reduce((a, b) => a + b, 0))} (${formatCount(Number(stored.n))}), ${formatCount(failed)} failed`,
    ],
    [
      "schedule jitter",
      `p50 ${formatMs(jitter.p50)}, p99 ${formatMs(jitter.p99)}, max ${formatMs(jitter.max)}`,
    ],
    [
      "run, stored (incl. events)",
      `p50 ${formatMs(distribution(runTimes).p50)}, p99 ${formatMs(distribution(runTimes).p99)}`,
    ],
    ["missed / doubled", `${missed} / ${doubled} of ${formatCount(expected)} planned starts`],
    ["prober CPU", `${cores.toFixed(2)} cores (of ${machine.cores})`],
    [
      "event-loop delay",
      `p50 ${formatMs(loopDelay.percentile(50) / 1e6)}, p99 ${formatMs(loopDelay.percentile(99) / 1e6)}, max ${formatMs(loopDelay.max / 1e6)}`,
    ],
    [
      "machine load average",
      `${loadAverage.toFixed(1)} (runnable tasks, all processes, on ${machine.cores} cores)`,
    ],
    ["prober RSS", `mean ${formatMiB(rss.mean)}, max ${formatMiB(rss.max)}`],
  ]);
  await vigie.probes.service.setProbes([]);

  // ---- Browser probes ---------------------------------------------------------------------------
  if (BROWSER_DURATION_MS > 0) {
    const browserProbes = Array.from({ length: BROWSER_POOL * 2 }, (_, i) =>
      probeFrom(
        {
          kind: "browser",
          journey: "cco-subscription",
          schedule: { every: "1s" },
          timeout: "30s",
          variables: { baseUrl: target.url },
          run: async ({ page, step, expect, vars }) => {
            await step("landing", async () => {
              await page.goto(`${vars.baseUrl}/page`);
              await expect(page.getByRole("heading")).toHaveText("Bienvenue");
            });
            await step("identity", async () => {
              await page.locator('input[name="prenom"]').fill("Camille");
              await page.getByTestId("start").click();
              await page.waitForURL(/\/next/);
            });
          },
        },
        `bench-browser-${i}`,
      ),
    );
    await vigie.probes.service.setProbes(browserProbes);
    const overheads: number[] = [];
    const totals: number[] = [];
    let browserRuns = 0;
    const browserScheduler = createProbeScheduler(vigie.probes.service, repository, {
      concurrency: { http: 1, browser: BROWSER_POOL },
      registry: new Registry(),
    });
    // Run durations come from the stored runs: total minus the time spent inside steps (page time).
    log(
      `browser: ${browserProbes.length} probes, pool of ${BROWSER_POOL} contexts, ${BROWSER_DURATION_MS / 1000}s`,
    );
    const since = new Date();
    browserScheduler.start();
    await new Promise((r) => setTimeout(r, BROWSER_DURATION_MS));
    await browserScheduler.stop();
    await vigie.probes.service.drain();
    const stored = await repository.pageRuns(
      {},
      { page: 1, pageSize: 10_000, sort: { field: "startedAt", direction: "desc" } },
    );
    for (const run of stored.rows) {
      if (run.kind !== "browser" || run.started_at < since) continue;
      browserRuns += 1;
      const total = run.finished_at.getTime() - run.started_at.getTime();
      const pageTime = run.attempts.at(-1)!.steps.reduce((sum, s) => sum + s.durationMs, 0);
      totals.push(total);
      overheads.push(total - pageTime);
    }
    const overhead = distribution(overheads);
    const total = distribution(totals);
    results.browser = {
      pool: BROWSER_POOL,
      durationMs: BROWSER_DURATION_MS,
      runs: browserRuns,
      runsPerMinute: browserRuns / (BROWSER_DURATION_MS / 60_000),
      runMs: total,
      overheadMs: overhead,
    };
    printTable("Browser probes", [
      ["pool", `${BROWSER_POOL} contexts in one Chromium`],
      ["runs per minute", (browserRuns / (BROWSER_DURATION_MS / 60_000)).toFixed(1)],
      ["run duration", `p50 ${formatMs(total.p50)}, p95 ${formatMs(total.p95)}`],
      [
        "overhead beyond page time",
        `p50 ${formatMs(overhead.p50)}, p95 ${formatMs(overhead.p95)}, max ${formatMs(overhead.max)}`,
      ],
    ]);
  }

  printTable("Machine", machineRows(machine));
  if (args.json) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
  await vigie.app.close();
  await database.close();
  target.child.kill();
  await postgres.stop();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
