import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import { type RollupPart, rollupParts } from "./rollup-parts.js";

/** A step rollup row aggregated over the requested dimensions. */
export interface StepCell {
  journey: string;
  bucket: number;
  step: string;
  synthetic: boolean;
  outcome: string;
  events: number;
  histogram?: number[];
}

/** A run cohort row. */
export interface CohortCell {
  journey: string;
  bucket: number;
  product: string;
  channel: string;
  furthestStep: number;
  outcome: string;
  recovered: boolean;
  convertBucket: number;
  runs: number;
}

const STEP_TABLE = {
  day: "step_rollup_day",
  hour: "step_rollup_hour",
  minute: "step_rollup_minute",
} as const;
const COHORT_TABLE = { day: "run_cohorts_day", hour: "run_cohorts_hour" } as const;

function union(parts: RollupPart[], one: (part: RollupPart) => RawBuilder<unknown>): RawBuilder<unknown> {
  return sql.join(
    parts.map((p) => sql`(${one(p)})`),
    sql` UNION ALL `,
  );
}

/** SQL reading the rollups; dashboards and reports never read raw events. */
export function createAnalyticsRepository(db: Kysely<Database>, rollupTz: string) {
  return {
    /**
     * Step outcomes of some journeys over [from, to), summed per (journey, rollup bucket, step,
     * origin, outcome), from the coarsest rollups covering the range.
     */
    async stepCells(options: {
      journeys: string[];
      from: number;
      to: number;
      tz: string;
      synthetic?: boolean;
      histogram?: boolean;
      /** Keep buckets (for bucketed answers) or sum them away. */
      byBucket?: boolean;
      /** Read no daily rollup (hourly answers) [false]. */
      hourly?: boolean;
    }): Promise<StepCell[]> {
      const parts = rollupParts(options.from, options.to, options.hourly ? "" : options.tz, rollupTz);
      if (parts.length === 0 || options.journeys.length === 0) return [];
      const bucket = options.byBucket ? sql`bucket` : sql`0::int`;
      const hist = options.histogram ? sql`, vigie_hist_sum(histogram) AS histogram` : sql``;
      // selected only when asked, so that the covering indexes answer the other reads alone
      const histogramColumn = options.histogram ? sql`, histogram` : sql``;
      const origin = options.synthetic === undefined ? sql`` : sql` AND synthetic = ${options.synthetic}`;
      const result = await sql<{
        journey: string;
        bucket: Date | number;
        step: string;
        synthetic: boolean;
        outcome: string;
        events: number;
        histogram?: string[] | number[];
      }>`
        SELECT journey, ${bucket} AS bucket, step, synthetic, outcome, sum(events)::bigint AS events ${hist}
        FROM (${union(
          parts,
          (
            p,
          ) => sql`SELECT journey, bucket, step, synthetic, outcome, events${histogramColumn} FROM ${sql.table(STEP_TABLE[p.grain])}
            WHERE journey = ANY(${options.journeys}::text[]) AND bucket >= ${new Date(p.from).toISOString()}::timestamptz
              AND bucket < ${new Date(p.to).toISOString()}::timestamptz${origin}`,
        )}) AS cells
        GROUP BY 1, 2, 3, 4, 5`.execute(db);
      return result.rows.map((r) => ({
        journey: r.journey,
        bucket: r.bucket instanceof Date ? r.bucket.getTime() : 0,
        step: r.step,
        synthetic: r.synthetic,
        outcome: r.outcome,
        events: Number(r.events),
        histogram: r.histogram?.map(Number),
      }));
    },

    /** Real-run cohorts (runs by start time) of one journey over [from, to), hour resolution. */
    async cohortCells(options: {
      journey: string;
      from: number;
      to: number;
      tz: string;
      byBucket?: boolean;
      /** Read no daily rollup (hourly answers) [false]. */
      hourly?: boolean;
    }): Promise<CohortCell[]> {
      const HOUR = 3_600_000;
      const from = Math.floor(options.from / HOUR) * HOUR;
      const to = Math.ceil(options.to / HOUR) * HOUR;
      // cohorts have no minute grain: minute parts are widened to their hour
      const parts = rollupParts(from, to, options.hourly ? "" : options.tz, rollupTz)
        .map((p) => (p.grain === "minute" ? { ...p, grain: "hour" as const } : p))
        .filter((p) => p.to > p.from) as { grain: "day" | "hour"; from: number; to: number }[];
      if (parts.length === 0) return [];
      const bucket = options.byBucket ? sql`bucket` : sql`0::int`;
      const result = await sql<{
        bucket: Date | number;
        product: string;
        channel: string;
        furthest_step: number;
        outcome: string;
        recovered: boolean;
        convert_bucket: number;
        runs: number;
      }>`
        SELECT ${bucket} AS bucket, product, channel, furthest_step, outcome, recovered, convert_bucket,
          sum(runs)::bigint AS runs
        FROM (${union(
          parts,
          (p) => sql`SELECT bucket, product, channel, furthest_step, outcome, recovered, convert_bucket, runs
            FROM ${sql.table(COHORT_TABLE[p.grain as "day" | "hour"])}
            WHERE journey = ${options.journey} AND NOT synthetic
              AND bucket >= ${new Date(p.from).toISOString()}::timestamptz AND bucket < ${new Date(p.to).toISOString()}::timestamptz`,
        )}) AS cells
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING sum(runs) <> 0`.execute(db);
      return result.rows.map((r) => ({
        journey: options.journey,
        bucket: r.bucket instanceof Date ? r.bucket.getTime() : 0,
        product: r.product,
        channel: r.channel,
        furthestStep: r.furthest_step,
        outcome: r.outcome,
        recovered: r.recovered,
        convertBucket: r.convert_bucket,
        runs: Number(r.runs),
      }));
    },

    /** Real runs started in each of some UTC hours (hour starts), and completions (ok at `finalStep`). */
    async hourlyVolumes(journey: string, finalStep: string, hours: number[]) {
      const list = hours.map((h) => new Date(h).toISOString());
      const [starts, completions] = await Promise.all([
        sql<{ bucket: Date; n: number }>`
          SELECT bucket, sum(runs)::bigint AS n FROM run_cohorts_hour
          WHERE journey = ${journey} AND NOT synthetic AND bucket = ANY(${list}::timestamptz[])
          GROUP BY bucket`.execute(db),
        sql<{ bucket: Date; n: number }>`
          SELECT bucket, sum(events)::bigint AS n FROM step_rollup_hour
          WHERE journey = ${journey} AND NOT synthetic AND step = ${finalStep} AND outcome = 'ok'
            AND bucket = ANY(${list}::timestamptz[])
          GROUP BY bucket`.execute(db),
      ]);
      const toMap = (rows: { bucket: Date; n: number }[]) =>
        new Map(rows.map((r) => [r.bucket.getTime(), Number(r.n)]));
      return { starts: toMap(starts.rows), completions: toMap(completions.rows) };
    },

    /** Real runs started per journey in each of some UTC hours (hour starts). */
    async hourlyStarts(journeys: string[], hours: number[]): Promise<Map<string, number>> {
      const rows = await sql<{ journey: string; bucket: Date; n: number }>`
        SELECT journey, bucket, sum(runs)::bigint AS n FROM run_cohorts_hour
        WHERE journey = ANY(${journeys}::text[]) AND NOT synthetic
          AND bucket = ANY(${hours.map((h) => new Date(h).toISOString())}::timestamptz[])
        GROUP BY journey, bucket`.execute(db);
      return new Map(rows.rows.map((r) => [`${r.journey}\u0000${r.bucket.getTime()}`, Number(r.n)]));
    },

    /** Confirmed probe down periods and stale gaps overlapping [from, to), with each series' extent. */
    async probeTimeline(journeys: string[], from: number, to: number) {
      const periods = await sql<{
        journey: string;
        step: string;
        kind: "down" | "stale";
        started_at: Date;
        ended_at: Date | null;
      }>`
        SELECT journey, step, kind, started_at, ended_at FROM probe_periods
        WHERE journey = ANY(${journeys}::text[]) AND started_at < ${new Date(to).toISOString()}::timestamptz
          AND (ended_at IS NULL OR ended_at > ${new Date(from).toISOString()}::timestamptz)`.execute(db);
      const series = await sql<{
        journey: string;
        step: string;
        first_at: Date;
        last_at: Date;
        down: boolean;
        down_since: Date | null;
      }>`
        SELECT journey, step, first_at, last_at, down, down_since FROM probe_series
        WHERE journey = ANY(${journeys}::text[])`.execute(db);
      return { periods: periods.rows, series: series.rows };
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
