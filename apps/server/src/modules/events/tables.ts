import type { ColumnType, Generated } from "kysely";

/** Tables owned by the events module. */
export interface EventsTables {
  event_keys: { source: string; id: string; time: Date };
  events: {
    time: Date;
    received_at: Generated<Date>;
    source: string;
    id: string;
    journey: string;
    step: string;
    run_id: string;
    outcome: "started" | "ok" | "error" | "rejected";
    duration_ms: number | null;
    error_code: string | null;
    error_message: string | null;
    synthetic: Generated<boolean>;
    attributes: ColumnType<Record<string, string> | null, string | null, string | null>;
    subject: string | null;
    extensions: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  };
  prospects: {
    journey: string;
    run_id: string;
    details: ColumnType<Record<string, unknown>, string, string>;
    first_seen_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
}
