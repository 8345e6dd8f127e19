import type { ColumnType, Generated } from "kysely";

type Stamp = ColumnType<Date, string | Date, string | Date>;
type Counts = ColumnType<number[], number[] | string, number[] | string>;

interface StepRollup {
  journey: string;
  bucket: Stamp;
  step: string;
  synthetic: boolean;
  outcome: string;
  error_code: string;
  product: string;
  channel: string;
  events: number;
  duration_count: number;
  duration_sum: number;
  histogram: Counts;
}

interface RunCohort {
  journey: string;
  bucket: Stamp;
  synthetic: boolean;
  product: string;
  channel: string;
  furthest_step: number;
  outcome: string;
  recovered: boolean;
  convert_bucket: number;
  runs: number;
}

/** Tables of journey analytics besides runs (see migration 0020); read through raw SQL in repositories. */
export interface AnalyticsTables {
  step_rollup_minute: StepRollup;
  step_rollup_hour: StepRollup;
  step_rollup_day: StepRollup;
  run_cohorts_hour: RunCohort;
  run_cohorts_day: RunCohort;
  probe_judgements: {
    journey: string;
    step: string;
    at: Stamp;
    run_id: string;
    failed: boolean;
    down: boolean | null;
    fail_streak: number | null;
    ok_streak: number | null;
    streak_start: Stamp | null;
    down_since: Stamp | null;
  };
  probe_dirty: { journey: string; step: string; since: Stamp };
  probe_periods: {
    journey: string;
    step: string;
    kind: "down" | "stale";
    started_at: Stamp;
    ended_at: Stamp | null;
  };
  probe_series: {
    journey: string;
    step: string;
    first_at: Stamp;
    last_at: Stamp;
    down: boolean;
    down_since: Stamp | null;
  };
  incidents: {
    id: Generated<number>;
    journey: string;
    started_at: Stamp;
    ended_at: Stamp | null;
    failing_step: string | null;
    top_error_codes: ColumnType<{ code: string; count: number }[], string, string>;
    runs_affected: number;
    prospects_affected: number;
    seen_by_probes: boolean;
    seen_by_traffic: boolean;
    updated_at: Generated<Date>;
    created_at: Generated<Date>;
  };
}
