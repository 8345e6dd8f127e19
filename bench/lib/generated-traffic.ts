import type pg from "pg";
import { LATENCY_BOUNDS_MS } from "../../apps/server/src/modules/analytics/histogram.js";
import { formatCount } from "./stats.js";

/** The traffic that {@link generateRuns} writes: which journeys, steps and days. */
export interface TrafficShape {
  /** Journey keys; run r belongs to journeys[r % journeys.length]. */
  journeys: string[];
  /** Step keys of every journey, in order (7 expected: runs reach step 0 to 6). */
  steps: string[];
  /** Runs start evenly over the last `days` days. */
  days: number;
  /** Timezone of the daily rollups (the configuration's). */
  timezone: string;
}

/** Mean events per generated run (see the run shape in {@link generateRuns}). */
export const EVENTS_PER_RUN = 0.55 * 7 + 0.45 * 3.5;

/** How many generated runs make about `events` events. */
export function runsForEvents(events: number): number {
  return Math.round(events / EVENTS_PER_RUN);
}

/**
 * Generates runs [from, to) of `total` straight into the runs, run cohorts and step rollups, exactly
 * as the projection would from their events (the raw events are not stored: no dashboard query
 * reads them): 55 % complete all 7 steps; the others stop at step 0–5, failing (1 in 7), rejected
 * at identity (1 in 3 of those stopping there) or abandoned. Starts spread evenly over the last
 * `days` days, steps one minute apart. When `from` is 0, the probes' series and one 20-minute
 * outage a day per journey are written too.
 */
export async function generateRuns(
  pool: pg.Pool,
  shape: TrafficShape,
  range: { from: number; to: number; total: number },
  log: (message: string) => void = () => {},
): Promise<void> {
  const { journeys, steps, days, timezone } = shape;
  const { from, to, total } = range;
  const chunk = 250_000;
  const journeyArray = `ARRAY[${journeys.map((key) => `'${key}'`).join(",")}]`;
  const histogram = `(SELECT array_agg(CASE WHEN i = least(s + 4, ${LATENCY_BOUNDS_MS.length}) THEN n ELSE 0 END ORDER BY i)
    FROM generate_series(1, ${LATENCY_BOUNDS_MS.length}) AS i)`;
  for (let lo = from; lo < to; lo += chunk) {
    const hi = Math.min(to, lo + chunk);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`
        CREATE TEMP TABLE gen ON COMMIT DROP AS
        SELECT r, (${journeyArray})[r % ${journeys.length} + 1] AS journey, 'gen-' || r AS run_id,
          now() - interval '${days} days' + (r::float8 / ${total}) * interval '${days} days' AS first_at,
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
        ["run_cohorts_day", `date_trunc('day', first_at, '${timezone}')`],
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
        ["step_rollup_day", `date_trunc('day', time, '${timezone}')`],
      ]) {
        await client.query(`
          INSERT INTO ${table} AS r (journey, bucket, step, synthetic, outcome, error_code, product, channel, events,
            duration_count, duration_sum, histogram)
          SELECT journey, bucket, (ARRAY['${steps.join("','")}'])[s + 1], false, outcome,
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
    await pool.query(`
      INSERT INTO probe_series (journey, step, first_at, last_at, down, down_since)
      SELECT j, s, now() - interval '${days} days', now() - interval '1 minute', false, NULL
      FROM unnest(${journeyArray}) AS j, unnest(ARRAY['', '${steps.join("','")}']) AS s;
      INSERT INTO probe_periods (journey, step, kind, started_at, ended_at)
      SELECT journey, step, 'down', d, d + interval '20 minutes' FROM probe_series,
        generate_series(now() - interval '${days} days', now() - interval '1 day', interval '1 day') AS d
      WHERE step IN ('', 'identity')`);
  }
}

/** Row counts and sizes of the generated tables, for the printed report. */
export async function generatedTableSizes(
  pool: pg.Pool,
): Promise<{ name: string; rows: number; size: string }[]> {
  const sizes = await pool.query<{ name: string; rows: string; size: string }>(`
    SELECT relname AS name, n_live_tup::text AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
    FROM pg_stat_user_tables WHERE relname ~ '^(runs|run_cohorts|step_rollup)' ORDER BY relname`);
  return sizes.rows.map((row) => ({ name: row.name, rows: Number(row.rows), size: row.size }));
}
