import type { RunOutcome } from "@vigie/contracts";
import { startOfLocalDay } from "@vigie/zoned-time";
import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import { bucketOf, CONVERT_BOUNDS_MS, LATENCY_BOUNDS_MS } from "../analytics/histogram.js";
import type { EventProjection } from "../events/repository.js";
import type { AcceptedEvent } from "../events/validate.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import {
  foldRunEvent,
  type RunEvent,
  type RunState,
  recoveredFailure,
  runOutcome,
  stoppedStep,
} from "./fold.js";

/** What the runs projection needs; defaults in brackets. */
export interface RunsProjectionDeps {
  journeys: JourneyCatalogue;
  /** Timezone of the daily rollups (the configured one). */
  timezone: string;
  /** Clock used to decide abandonment [Date.now]. */
  now?: () => number;
  /** Maintain rollups and cohorts too [true]; off only to measure their cost. */
  rollups?: boolean;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface RunRow {
  journey: string;
  run_id: string;
  synthetic: boolean;
  event_count: number;
  first_at: string;
  last_at: string;
  furthest_step: number;
  last_event_at: string;
  last_step: number;
  last_outcome: string;
  last_error_code: string;
  completed_at: string | null;
  rejected_at: string | null;
  rejected_step: number | null;
  error_count: number;
  first_error_at: string | null;
  last_error_at: string | null;
  outcome: RunOutcome;
  product: string;
  channel: string;
  attributes: Record<string, string>;
}

/** Rows with their position, so that INSERT … SELECT … ORDER BY ord keeps the sorted lock order. */
const ordered = (rows: object[]) => JSON.stringify(rows.map((row, ord) => ({ ...row, ord })));

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

function toRow(s: RunState, outcome: RunOutcome): RunRow {
  return {
    journey: s.journey,
    run_id: s.runId,
    synthetic: s.synthetic,
    event_count: s.eventCount,
    first_at: iso(s.firstAt)!,
    last_at: iso(s.lastAt)!,
    furthest_step: s.furthestStep,
    last_event_at: iso(s.lastEventAt)!,
    last_step: s.lastStep,
    last_outcome: s.lastOutcome,
    last_error_code: s.lastErrorCode,
    completed_at: iso(s.completedAt),
    rejected_at: iso(s.rejectedAt),
    rejected_step: s.rejectedStep,
    error_count: s.errorCount,
    first_error_at: iso(s.firstErrorAt),
    last_error_at: iso(s.lastErrorAt),
    outcome,
    product: s.product,
    channel: s.channel,
    attributes: s.attributes,
  };
}

/** Reads a stored run back into the fold's state. */
export function fromRow(r: Record<string, unknown>): RunState {
  return {
    journey: r.journey as string,
    runId: r.run_id as string,
    synthetic: r.synthetic as boolean,
    eventCount: r.event_count as number,
    firstAt: ms(r.first_at as Date)!,
    lastAt: ms(r.last_at as Date)!,
    furthestStep: r.furthest_step as number,
    lastEventAt: ms(r.last_event_at as Date)!,
    lastStep: r.last_step as number,
    lastOutcome: r.last_outcome as RunState["lastOutcome"],
    lastErrorCode: r.last_error_code as string,
    completedAt: ms(r.completed_at as Date | null),
    rejectedAt: ms(r.rejected_at as Date | null),
    rejectedStep: r.rejected_step as number | null,
    errorCount: r.error_count as number,
    firstErrorAt: ms(r.first_error_at as Date | null),
    lastErrorAt: ms(r.last_error_at as Date | null),
    product: r.product as string,
    channel: r.channel as string,
    attributes: (r.attributes as Record<string, string>) ?? {},
  };
}

const RUN_COLUMNS = `journey text, run_id text, synthetic boolean, event_count integer, first_at timestamptz,
  last_at timestamptz, furthest_step smallint, last_event_at timestamptz, last_step smallint, last_outcome text,
  last_error_code text, completed_at timestamptz, rejected_at timestamptz, rejected_step smallint,
  error_count integer, first_error_at timestamptz, last_error_at timestamptz, outcome text, product text,
  channel text, attributes jsonb`;

const RUN_FIELDS =
  "journey, run_id, synthetic, event_count, first_at, last_at, furthest_step, last_event_at, last_step, last_outcome, last_error_code, completed_at, rejected_at, rejected_step, error_count, first_error_at, last_error_at, outcome, product, channel, attributes";

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

interface RollupCell {
  key: unknown[];
  events: number;
  durationCount: number;
  durationSum: number;
  histogram: number[];
}

/** Upserts rollup cells, sorted by key so that concurrent transactions lock rows in one order. */
async function upsertRollup(trx: Transaction<Database>, table: string, cells: Map<string, RollupCell>) {
  if (cells.size === 0) return;
  const rows = [...cells.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, c]) => ({
      journey: c.key[0],
      bucket: new Date(c.key[1] as number).toISOString(),
      step: c.key[2],
      synthetic: c.key[3],
      outcome: c.key[4],
      error_code: c.key[5],
      product: c.key[6],
      channel: c.key[7],
      events: c.events,
      duration_count: c.durationCount,
      duration_sum: c.durationSum,
      histogram: c.histogram,
    }));
  await sql`
    INSERT INTO ${sql.table(table)} AS r (journey, bucket, step, synthetic, outcome, error_code, product, channel,
      events, duration_count, duration_sum, histogram)
    SELECT journey, bucket, step, synthetic, outcome, error_code, product, channel, events, duration_count,
      duration_sum, histogram
    FROM jsonb_to_recordset(${ordered(rows)}::jsonb) AS t(journey text, bucket timestamptz,
      step text, synthetic boolean, outcome text, error_code text, product text, channel text, events bigint,
      duration_count bigint, duration_sum double precision, histogram bigint[], ord bigint)
    ORDER BY ord
    ON CONFLICT (journey, bucket, step, synthetic, outcome, error_code, product, channel) DO UPDATE SET
      events = r.events + excluded.events,
      duration_count = r.duration_count + excluded.duration_count,
      duration_sum = r.duration_sum + excluded.duration_sum,
      histogram = vigie_hist_add(r.histogram, excluded.histogram)`.execute(trx);
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

/**
 * Keeps runs, run cohorts, step rollups (minute, hour, local day) and probe judgements up to date in
 * the transaction that stores the events. Runs are folded order-independently; existing runs are
 * locked in key order, new ones inserted in key order, so concurrent requests neither lose updates
 * nor deadlock.
 */
export function createRunsProjection(deps: RunsProjectionDeps): EventProjection {
  const now = deps.now ?? (() => Date.now());
  const withRollups = deps.rollups ?? true;
  const stepIndex = new Map<string, Map<string, number>>();
  for (const journey of deps.journeys.list()) {
    stepIndex.set(journey.key, new Map(journey.steps.map((s, i) => [s.key, i])));
  }

  return {
    name: "runs",
    async apply(trx, events: AcceptedEvent[]) {
      const at = now();
      const byRun = new Map<string, { journey: string; runId: string; events: RunEvent[] }>();
      for (const { event, time } of events) {
        const { journey, runId } = event.data;
        const key = `${journey}\u0000${runId}`;
        let group = byRun.get(key);
        if (!group) {
          group = { journey, runId, events: [] };
          byRun.set(key, group);
        }
        group.events.push({
          time: time.getTime(),
          stepIndex: stepIndex.get(journey)?.get(event.data.step) ?? 0,
          outcome: event.data.outcome,
          errorCode: event.data.error?.code ?? "",
          synthetic: event.data.synthetic ?? false,
          attributes: event.data.attributes ?? null,
        });
      }
      const keys = [...byRun.keys()].sort();
      const fold = (
        start: RunState | undefined,
        group: { journey: string; runId: string; events: RunEvent[] },
      ) => {
        const finalStep = (stepIndex.get(group.journey)?.size ?? 1) - 1;
        let s = start;
        for (const e of group.events) s = foldRunEvent(s, group.journey, group.runId, e, finalStep);
        return s!;
      };
      const windowOf = (journey: string) => deps.journeys.get(journey)?.conversionWindow ?? 86_400_000;

      // 1. New runs: inserted in key order; a run another transaction is inserting makes us wait for it.
      const fresh = new Map<string, RunState>();
      for (const key of keys) fresh.set(key, fold(undefined, byRun.get(key)!));
      const inserted = await sql<{ journey: string; run_id: string }>`
        INSERT INTO runs (${sql.raw(RUN_FIELDS)})
        SELECT ${sql.raw(RUN_FIELDS)} FROM jsonb_to_recordset(${ordered(
          keys.map((k) => {
            const s = fresh.get(k)!;
            return toRow(s, runOutcome(s, windowOf(s.journey), at));
          }),
        )}::jsonb) AS t(${sql.raw(RUN_COLUMNS)}, ord bigint)
        ORDER BY ord
        ON CONFLICT (journey, run_id) DO NOTHING
        RETURNING journey, run_id`.execute(trx);
      const insertedKeys = new Set(inserted.rows.map((r) => `${r.journey}\u0000${r.run_id}`));
      const changes: RunChange[] = [];
      for (const key of insertedKeys) {
        const s = fresh.get(key)!;
        changes.push({ before: null, after: { state: s, outcome: runOutcome(s, windowOf(s.journey), at) } });
      }

      // 2. Existing runs: locked in key order, folded, written back.
      const existing = keys.filter((k) => !insertedKeys.has(k));
      if (existing.length > 0) {
        const locked = await sql<Record<string, unknown>>`
          SELECT r.* FROM runs r
          JOIN jsonb_to_recordset(${JSON.stringify(
            existing.map((k) => ({ journey: byRun.get(k)!.journey, run_id: byRun.get(k)!.runId })),
          )}::jsonb) AS t(journey text, run_id text) ON r.journey = t.journey AND r.run_id = t.run_id
          ORDER BY r.journey, r.run_id
          FOR UPDATE OF r`.execute(trx);
        const updates: RunRow[] = [];
        for (const row of locked.rows) {
          const before = fromRow(row);
          const beforeOutcome = row.outcome as RunOutcome;
          const after = fold(before, byRun.get(`${before.journey}\u0000${before.runId}`)!);
          const outcome = runOutcome(after, windowOf(after.journey), at);
          updates.push(toRow(after, outcome));
          changes.push({
            before: { state: before, outcome: beforeOutcome },
            after: { state: after, outcome },
          });
        }
        await sql`
          UPDATE runs r SET (${sql.raw(RUN_FIELDS)}) = (${sql.raw(
            RUN_FIELDS.split(", ")
              .map((f) => `t.${f}`)
              .join(", "),
          )})
          FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS t(${sql.raw(RUN_COLUMNS)})
          WHERE r.journey = t.journey AND r.run_id = t.run_id`.execute(trx);
      }
      await applyRunChanges(trx, changes, deps.journeys, deps.timezone, withRollups);
      if (!withRollups) return;

      // 3. Step rollups: one cell per minute/hour/day, step, origin, outcome, error code, product, channel.
      const minute = new Map<string, RollupCell>();
      const hour = new Map<string, RollupCell>();
      const day = new Map<string, RollupCell>();
      const runState = new Map<string, RunState>();
      for (const c of changes)
        runState.set(`${c.after.state.journey}\u0000${c.after.state.runId}`, c.after.state);
      for (const { event, time } of events) {
        const s = runState.get(`${event.data.journey}\u0000${event.data.runId}`);
        const t = time.getTime();
        const rest = [
          event.data.step,
          event.data.synthetic ?? false,
          event.data.outcome,
          event.data.error?.code ?? "",
          s?.product ?? event.data.attributes?.product ?? "",
          s?.channel ?? event.data.attributes?.channel ?? "",
        ];
        const duration = event.data.durationMs;
        for (const [cells, bucket] of [
          [minute, Math.floor(t / MINUTE) * MINUTE],
          [hour, Math.floor(t / HOUR) * HOUR],
          [day, startOfLocalDay(t, deps.timezone)],
        ] as const) {
          const key = [event.data.journey, bucket, ...rest];
          const id = JSON.stringify(key);
          let cell = cells.get(id);
          if (!cell) {
            cell = {
              key,
              events: 0,
              durationCount: 0,
              durationSum: 0,
              histogram: new Array(LATENCY_BOUNDS_MS.length).fill(0),
            };
            cells.set(id, cell);
          }
          cell.events += 1;
          if (duration !== undefined) {
            cell.durationCount += 1;
            cell.durationSum += duration;
            cell.histogram[bucketOf(LATENCY_BOUNDS_MS, duration)]! += 1;
          }
        }
      }
      await upsertRollup(trx, "step_rollup_minute", minute);
      await upsertRollup(trx, "step_rollup_hour", hour);
      await upsertRollup(trx, "step_rollup_day", day);
    },
  };
}
