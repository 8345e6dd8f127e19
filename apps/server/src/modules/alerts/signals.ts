import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";

/**
 * What rules read, in SQL over tables other modules own (read-only here): raw events for probe runs
 * and real errors (partial indexes of their own, migration 0050), the analytics module's per-minute
 * rollups and runs for traffic counts, so that no rule scans the bulk of real traffic.
 */

/** One probe run as a rule sees it. */
export interface ProbeRun {
  runId: string;
  lastAt: Date;
  failed: boolean;
  /** Failed, completed or rejected: its verdict is known. */
  settled: boolean;
  failingStep: string | null;
  location: string | null;
}

/** Real-traffic step outcomes in a window. */
export interface TrafficCounts {
  attempts: number;
  errors: number;
}

/** Creates the signal queries over a database. */
export function createSignals(db: Kysely<Database>) {
  return {
    /** The journey's latest probe runs since `since`, most recent first. */
    async probeRuns(journey: string, lastStep: string, since: Date, limit: number): Promise<ProbeRun[]> {
      const result = await sql<{
        run_id: string;
        last_at: Date;
        failed: boolean;
        completed: boolean;
        rejected: boolean;
        failing_step: string | null;
        location: string | null;
      }>`
        SELECT run_id, max(time) AS last_at,
               bool_or(outcome = 'error') AS failed,
               bool_or(step = ${lastStep} AND outcome = 'ok') AS completed,
               bool_or(outcome = 'rejected') AS rejected,
               (array_agg(step ORDER BY time) FILTER (WHERE outcome = 'error'))[1] AS failing_step,
               max(attributes ->> 'location') AS location
        FROM events
        WHERE synthetic AND journey = ${journey} AND time >= ${since}
        GROUP BY run_id
        ORDER BY max(time) DESC
        LIMIT ${limit}`.execute(db);
      return result.rows.map((r) => ({
        runId: r.run_id,
        lastAt: r.last_at,
        failed: r.failed,
        settled: r.failed || r.completed || r.rejected,
        failingStep: r.failing_step,
        location: r.location,
      }));
    },

    /**
     * Real-traffic step outcomes of a journey (or one step) from the minute containing `from` to
     * `to`, read from the per-minute rollups kept by the analytics projection (never a scan of raw
     * events, whatever the traffic).
     */
    async traffic(journey: string, step: string | undefined, from: Date, to: Date): Promise<TrafficCounts> {
      const result = await sql<{ attempts: number; errors: number }>`
        SELECT coalesce(sum(events), 0)::int AS attempts,
               coalesce(sum(events) FILTER (WHERE outcome = 'error'), 0)::int AS errors
        FROM step_rollup_minute
        WHERE journey = ${journey} AND NOT synthetic AND outcome IN ('ok', 'error', 'rejected')
          AND bucket >= date_trunc('minute', ${from}::timestamptz) AND bucket < ${to}
          ${step ? sql`AND step = ${step}` : sql``}`.execute(db);
      return result.rows[0] ?? { attempts: 0, errors: 0 };
    },

    /**
     * Real runs active since `from`, counted up to `atMost` only: enough to tell "too little traffic
     * to judge" from "enough", reading the newest runs first and stopping there.
     */
    async recentRuns(journey: string, from: Date, atMost: number): Promise<number> {
      const result = await sql<{ runs: number }>`
        SELECT count(*)::int AS runs FROM (
          SELECT 1 FROM runs
          WHERE journey = ${journey} AND NOT synthetic AND last_at >= ${from}
            AND first_at >= ${from}::timestamptz - interval '1 hour'
          ORDER BY first_at DESC
          LIMIT ${atMost}) AS recent`.execute(db);
      return result.rows[0]?.runs ?? 0;
    },

    /** Technical errors of real traffic only (cheap: partial index), with the step failing most. */
    async realErrors(
      journey: string,
      step: string | undefined,
      from: Date,
      to: Date,
    ): Promise<{ errors: number; prospects: number; topStep: string | null }> {
      const result = await sql<{ errors: number; prospects: number; top_step: string | null }>`
        SELECT count(*)::int AS errors, count(DISTINCT run_id)::int AS prospects,
               mode() WITHIN GROUP (ORDER BY step) AS top_step
        FROM events
        WHERE journey = ${journey} AND outcome = 'error' AND NOT synthetic
          AND time >= ${from} AND time < ${to}
          ${step ? sql`AND step = ${step}` : sql``}`.execute(db);
      const row = result.rows[0];
      return { errors: row?.errors ?? 0, prospects: row?.prospects ?? 0, topStep: row?.top_step ?? null };
    },

    /** p95 of successful real calls of a step in [from, to), with the number of calls. */
    async latency(
      journey: string,
      step: string,
      from: Date,
      to: Date,
    ): Promise<{ p95Ms: number | null; samples: number }> {
      const result = await sql<{ p95: number | null; samples: number }>`
        SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95, count(duration_ms)::int AS samples
        FROM events
        WHERE journey = ${journey} AND step = ${step} AND NOT synthetic AND outcome = 'ok'
          AND duration_ms IS NOT NULL AND time >= ${from} AND time < ${to}`.execute(db);
      return { p95Ms: result.rows[0]?.p95 ?? null, samples: result.rows[0]?.samples ?? 0 };
    },

    /**
     * Real runs that entered `step` (starts: the first step; completions: the last step with `ok`)
     * in each of several windows, in one query.
     */
    async runsAtStep(
      journey: string,
      step: string,
      onlyOk: boolean,
      windows: { from: Date; to: Date }[],
    ): Promise<number[]> {
      if (windows.length === 0) return [];
      const froms = windows.map((w) => w.from.toISOString());
      const tos = windows.map((w) => w.to.toISOString());
      const result = await sql<{ i: number; runs: number }>`
        SELECT r.i::int AS i, count(DISTINCT e.run_id)::int AS runs
        FROM unnest(${froms}::timestamptz[], ${tos}::timestamptz[]) WITH ORDINALITY AS r(f, t, i)
        LEFT JOIN events e ON e.journey = ${journey} AND e.step = ${step} AND NOT e.synthetic
          AND e.time >= r.f AND e.time < r.t ${onlyOk ? sql`AND e.outcome = 'ok'` : sql``}
        GROUP BY r.i ORDER BY r.i`.execute(db);
      return result.rows.map((r) => r.runs);
    },

    /** Whether any event at all (any journey, any source) is dated in [from, to). */
    async anyEvent(from: Date, to: Date): Promise<boolean> {
      const result = await sql<{ found: boolean }>`
        SELECT EXISTS (SELECT 1 FROM events WHERE time >= ${from} AND time < ${to}) AS found`.execute(db);
      return result.rows[0]?.found ?? false;
    },

    /** Time of the latest event in [from, to), if any. */
    async lastEventAt(from: Date, to: Date): Promise<Date | null> {
      const result = await sql<{ at: Date | null }>`
        SELECT max(time) AS at FROM events WHERE time >= ${from} AND time < ${to}`.execute(db);
      return result.rows[0]?.at ?? null;
    },
  };
}

export type Signals = ReturnType<typeof createSignals>;
