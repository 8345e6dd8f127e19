import type { RunOutcome } from "@vigie/contracts";
import { startOfLocalDay } from "@vigie/zoned-time";
import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import { bucketOf, CONVERT_BOUNDS_MS } from "../analytics/histogram.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { type RunState, recoveredFailure, stoppedStep } from "./fold.js";
import { ordered } from "./run-rows.js";

const HOUR = 3_600_000;

/** A run's place in the cohort tables, or null for none. */
function cohortKey(s: RunState, outcome: RunOutcome, tz: string): string {
  const convert = s.completedAt === null ? -1 : bucketOf(CONVERT_BOUNDS_MS, s.completedAt - s.firstAt);
  return JSON.stringify([
    s.journey,
    Math.floor(s.firstAt / HOUR) * HOUR,
    startOfLocalDay(s.firstAt, tz),
    s.synthetic,
    s.product,
    s.channel,
    s.furthestStep,
    outcome,
    recoveredFailure(s, outcome),
    convert,
  ]);
}

/** Judgements of a settled probe run: journey level (step "") and each step it got to. */
function judgementsOf(s: RunState, outcome: RunOutcome, steps: string[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!s.synthetic || (outcome !== "completed" && outcome !== "failed" && outcome !== "rejected")) return out;
  const at = s.firstAt;
  out.set(JSON.stringify([s.journey, "", at, s.runId]), outcome === "failed");
  const stop = stoppedStep(s, outcome);
  const last = outcome === "completed" ? steps.length - 1 : (stop ?? s.furthestStep);
  for (let i = 0; i <= last; i++) {
    out.set(JSON.stringify([s.journey, steps[i], at, s.runId]), outcome === "failed" && i === stop);
  }
  return out;
}

async function upsertCohorts(trx: Transaction<Database>, deltas: Map<string, number>) {
  const entries = [...deltas.entries()]
    .filter(([, d]) => d !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return;
  for (const [table, index] of [
    ["run_cohorts_hour", 1],
    ["run_cohorts_day", 2],
  ] as const) {
    const merged = new Map<string, { key: unknown[]; runs: number }>();
    for (const [k, d] of entries) {
      const key = JSON.parse(k) as unknown[];
      const row = [key[0], key[index], ...key.slice(3)];
      const id = JSON.stringify(row);
      const cell = merged.get(id) ?? { key: row, runs: 0 };
      cell.runs += d;
      merged.set(id, cell);
    }
    const rows = [...merged.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { key, runs }]) => ({
        journey: key[0],
        bucket: new Date(key[1] as number).toISOString(),
        synthetic: key[2],
        product: key[3],
        channel: key[4],
        furthest_step: key[5],
        outcome: key[6],
        recovered: key[7],
        convert_bucket: key[8],
        runs,
      }))
      .filter((r) => r.runs !== 0);
    if (rows.length === 0) continue;
    await sql`
      INSERT INTO ${sql.table(table)} AS c (journey, bucket, synthetic, product, channel, furthest_step, outcome,
        recovered, convert_bucket, runs)
      SELECT journey, bucket, synthetic, product, channel, furthest_step, outcome, recovered, convert_bucket, runs
      FROM jsonb_to_recordset(${ordered(rows)}::jsonb) AS t(journey text,
        bucket timestamptz, synthetic boolean, product text, channel text, furthest_step smallint, outcome text,
        recovered boolean, convert_bucket smallint, runs bigint, ord bigint)
      ORDER BY ord
      ON CONFLICT (journey, bucket, synthetic, product, channel, furthest_step, outcome, recovered, convert_bucket)
      DO UPDATE SET runs = c.runs + excluded.runs`.execute(trx);
  }
}

/** Applies a run's change (old → new) to the cohorts and probe judgements. */
export interface RunChange {
  before: { state: RunState; outcome: RunOutcome } | null;
  after: { state: RunState; outcome: RunOutcome };
}

/** Writes the cohort deltas and probe judgement changes implied by some run changes. */
export async function applyRunChanges(
  trx: Transaction<Database>,
  changes: RunChange[],
  journeys: JourneyCatalogue,
  tz: string,
  rollups = true,
): Promise<void> {
  const deltas = new Map<string, number>();
  const removed = new Map<string, true>();
  const judged = new Map<string, boolean>();
  for (const { before, after } of changes) {
    if (rollups) {
      if (before) {
        const k = cohortKey(before.state, before.outcome, tz);
        deltas.set(k, (deltas.get(k) ?? 0) - 1);
      }
      const k = cohortKey(after.state, after.outcome, tz);
      deltas.set(k, (deltas.get(k) ?? 0) + 1);
    }
    if (after.state.synthetic || before?.state.synthetic) {
      const steps = journeys.get(after.state.journey)!.steps.map((s) => s.key);
      const old = before ? judgementsOf(before.state, before.outcome, steps) : new Map<string, boolean>();
      const now = judgementsOf(after.state, after.outcome, steps);
      for (const [k, failed] of old) if (now.get(k) !== failed) removed.set(k, true);
      for (const [k, failed] of now) if (old.get(k) !== failed) judged.set(k, failed);
    }
  }
  await upsertCohorts(trx, deltas);
  if (removed.size === 0 && judged.size === 0) return;
  const dirty = new Map<string, number>();
  for (const k of [...removed.keys(), ...judged.keys()]) {
    const [journey, step, at] = JSON.parse(k) as [string, string, number];
    const id = JSON.stringify([journey, step]);
    dirty.set(id, Math.min(dirty.get(id) ?? at, at));
  }
  const gone = [...removed.keys()].filter((k) => !judged.has(k)).map((k) => JSON.parse(k) as unknown[]);
  if (gone.length > 0) {
    await sql`
      DELETE FROM probe_judgements j USING jsonb_to_recordset(${JSON.stringify(
        gone.map(([journey, step, at, run_id]) => ({ journey, step, at: new Date(at as number), run_id })),
      )}::jsonb) AS t(journey text, step text, at timestamptz, run_id text)
      WHERE j.journey = t.journey AND j.step = t.step AND j.at = t.at AND j.run_id = t.run_id`.execute(trx);
  }
  const rows = [...judged.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (rows.length > 0) {
    await sql`
      INSERT INTO probe_judgements AS j (journey, step, at, run_id, failed)
      SELECT journey, step, at, run_id, failed FROM jsonb_to_recordset(${ordered(
        rows.map(([k, failed]) => {
          const [journey, step, at, run_id] = JSON.parse(k) as [string, string, number, string];
          return { journey, step, at: new Date(at), run_id, failed };
        }),
      )}::jsonb) AS t(journey text, step text, at timestamptz, run_id text, failed boolean, ord bigint)
      ORDER BY ord
      ON CONFLICT (journey, step, at, run_id) DO UPDATE SET failed = excluded.failed, down = NULL`.execute(
      trx,
    );
  }
  const marks = [...dirty.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  await sql`
    INSERT INTO probe_dirty AS d (journey, step, since)
    SELECT journey, step, since FROM jsonb_to_recordset(${ordered(
      marks.map(([k, at]) => {
        const [journey, step] = JSON.parse(k) as [string, string];
        return { journey, step, since: new Date(at) };
      }),
    )}::jsonb) AS t(journey text, step text, since timestamptz, ord bigint)
    ORDER BY ord
    ON CONFLICT (journey, step) DO UPDATE SET since = least(d.since, excluded.since)`.execute(trx);
}
