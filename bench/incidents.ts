/**
 * Incident pass benchmark (`node --import tsx bench/incidents.ts`):
 * what recording the incident timeline (ADR 0080) costs the analytics pass. `--journeys` journeys
 * each get one real-traffic outage; per round, on the same database, every variant runs three
 * passes over all journeys: one that opens an incident per journey, one where nothing changed, one
 * that closes them all (incidents and their activity are deleted before each variant).
 *
 *   node --import tsx bench/incidents.ts [--journeys 100] [--rounds 15] [--baseline <detect.ts>]
 *
 * `--baseline` names another version's `modules/incidents/detect.ts` (e.g. from
 * `git worktree add --detach <dir> <commit>`, with node_modules linked) to compare with; variants
 * alternate within each round. PostgreSQL: a fresh embedded server, or a fresh database on
 * BENCH_DATABASE_URL. See docs/benchmarks.md.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { buildApp } from "../apps/server/src/app.js";
import { parseConfig } from "../apps/server/src/config.js";
import { openDatabase } from "../apps/server/src/db/client.js";
import { migrate } from "../apps/server/src/db/migrate.js";
import { detectIncidents } from "../apps/server/src/modules/incidents/detect.js";
import { describeMachine, machineRows } from "./lib/machine.js";
import { startBenchPostgres } from "./lib/postgres.js";
import { distribution, formatMs, printTable } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    journeys: { type: "string", default: "100" },
    rounds: { type: "string", default: "15" },
    baseline: { type: "string" },
  },
});
const JOURNEYS = Number(args.journeys);
const ROUNDS = Number(args.rounds);
const MIN = 60_000;
const STEPS = ["landing", "identity", "contact", "account-opened"];

type Detect = typeof detectIncidents;
const variants: { name: string; detect: Detect }[] = [{ name: "this version", detect: detectIncidents }];
if (args.baseline) {
  const baseline = (await import(pathToFileURL(args.baseline).href)) as { detectIncidents: Detect };
  variants.unshift({ name: "baseline", detect: baseline.detectIncidents });
}

const postgres = await startBenchPostgres(process.env.BENCH_DATABASE_URL);
const database = openDatabase({ url: postgres.url, poolMax: 4 });
await migrate(database.pool);
const config = parseConfig({
  log: { level: "silent" },
  alerting: { enabled: false, defaultRules: false },
  journeys: Array.from({ length: JOURNEYS }, (_, j) => ({
    key: `journey-${j}`,
    name: { fr: `Parcours ${j}`, en: `Journey ${j}` },
    steps: STEPS.map((key) => ({ key, name: { fr: key, en: key } })),
    errorRate: { threshold: 0.5, minAttempts: 3 },
  })),
});
const vigie = await buildApp({ config, database, ingestKeys: [], logger: false });
await vigie.events.preparePartitions();

// One outage per journey: identity fails for a minute, then contact for three, ending now.
const now = Math.floor(Date.now() / MIN) * MIN;
for (let j = 0; j < JOURNEYS; j += 1) {
  const events = [];
  for (const [step, minutes] of [
    ["identity", [4]],
    ["contact", [3, 2, 1]],
  ] as const) {
    for (const m of minutes) {
      for (let i = 0; i < 4; i += 1) {
        events.push({
          specversion: "1.0",
          id: `bench-${j}-${step}-${m}-${i}`,
          source: "/bench",
          type: "vigie.step",
          time: new Date(now - m * MIN + 1000 + i).toISOString(),
          data: { journey: `journey-${j}`, runId: `run-${j}-${step}-${m}-${i}`, step, outcome: "error" },
        });
      }
    }
  }
  await vigie.events.ingest(events);
}

const journeys = vigie.analytics.context.journeys.list();
async function pass(detect: Detect, at: number): Promise<number> {
  const started = performance.now();
  for (const journey of journeys)
    await detect(database.db, journey, { now: at, mergeGapMs: config.analytics.incidentMergeGap });
  return performance.now() - started;
}

const phases = ["opens", "unchanged", "closes"] as const;
const timings = new Map(variants.map((v) => [v.name, new Map(phases.map((p) => [p, [] as number[]]))]));
for (let round = 0; round < ROUNDS; round += 1) {
  const order = round % 2 ? [...variants].reverse() : variants;
  for (const variant of order) {
    await sql`DELETE FROM incidents`.execute(database.db);
    await sql`DELETE FROM incident_activity`.execute(database.db);
    const t = timings.get(variant.name)!;
    t.get("opens")!.push(await pass(variant.detect, now));
    t.get("unchanged")!.push(await pass(variant.detect, now + MIN));
    t.get("closes")!.push(await pass(variant.detect, now + 60 * MIN));
  }
}
const activity = await sql<{ n: string }>`SELECT count(*) AS n FROM incident_activity`.execute(database.db);

printTable("Machine", machineRows(await describeMachine(postgres.url)));
const rows: [string, string][] = [
  ["journeys (one incident each)", String(JOURNEYS)],
  ["rounds", String(ROUNDS)],
  ["activity rows after the last variant", activity.rows[0]!.n],
];
for (const variant of variants) {
  for (const phase of phases) {
    const d = distribution(timings.get(variant.name)!.get(phase)!);
    rows.push([
      `${variant.name}: pass that ${phase} (all journeys)`,
      `p50 ${formatMs(d.p50)}, p95 ${formatMs(d.p95)}`,
    ]);
  }
}
printTable("Incident detection pass", rows);

await vigie.app.close();
await database.close();
await postgres.stop();
