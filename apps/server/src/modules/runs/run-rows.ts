import type { RunOutcome } from "@vigie/contracts";
import type { RunState } from "./fold.js";

/** A run as the `runs` table stores it. */
export interface RunRow {
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
export const ordered = (rows: object[]) => JSON.stringify(rows.map((row, ord) => ({ ...row, ord })));

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/** A run's fold state and outcome as a `runs` row. */
export function toRow(s: RunState, outcome: RunOutcome): RunRow {
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

/** Column definitions of a `runs` row for jsonb_to_recordset. */
export const RUN_COLUMNS = `journey text, run_id text, synthetic boolean, event_count integer, first_at timestamptz,
  last_at timestamptz, furthest_step smallint, last_event_at timestamptz, last_step smallint, last_outcome text,
  last_error_code text, completed_at timestamptz, rejected_at timestamptz, rejected_step smallint,
  error_count integer, first_error_at timestamptz, last_error_at timestamptz, outcome text, product text,
  channel text, attributes jsonb`;

/** Column names of a `runs` row, in RUN_COLUMNS order. */
export const RUN_FIELDS =
  "journey, run_id, synthetic, event_count, first_at, last_at, furthest_step, last_event_at, last_step, last_outcome, last_error_code, completed_at, rejected_at, rejected_step, error_count, first_error_at, last_error_at, outcome, product, channel, attributes";
