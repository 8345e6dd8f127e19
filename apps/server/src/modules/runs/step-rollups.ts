import { startOfLocalDay } from "@vigie/zoned-time";
import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import { bucketOf, LATENCY_BOUNDS_MS } from "../analytics/histogram.js";
import type { AcceptedEvent } from "../events/validate.js";
import type { RunState } from "./fold.js";
import { ordered } from "./run-rows.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;

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

/**
 * Adds stored events to the step rollups: one cell per minute, hour and local day, step, origin,
 * outcome, error code, product and channel (the run's, once known, else the event's).
 */
export async function upsertStepRollups(
  trx: Transaction<Database>,
  events: AcceptedEvent[],
  runState: Map<string, RunState>,
  timezone: string,
): Promise<void> {
  const minute = new Map<string, RollupCell>();
  const hour = new Map<string, RollupCell>();
  const day = new Map<string, RollupCell>();
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
      [day, startOfLocalDay(t, timezone)],
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
}
