import type { ColumnType } from "kysely";

type Stamp = ColumnType<Date, string | Date, string | Date>;

/** Tables owned by the runs module (see migration 0020). */
export interface RunsTables {
  runs: {
    journey: string;
    run_id: string;
    synthetic: boolean;
    event_count: number;
    first_at: Stamp;
    last_at: Stamp;
    furthest_step: number;
    last_event_at: Stamp;
    last_step: number;
    last_outcome: string;
    last_error_code: string;
    completed_at: Stamp | null;
    rejected_at: Stamp | null;
    rejected_step: number | null;
    error_count: number;
    first_error_at: Stamp | null;
    last_error_at: Stamp | null;
    outcome: string;
    product: string;
    channel: string;
    attributes: ColumnType<Record<string, string>, string, string>;
  };
}
