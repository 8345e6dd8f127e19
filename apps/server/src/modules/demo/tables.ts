import type { ColumnType, Generated } from "kysely";

/** Tables owned by the demo module. */
export interface DemoTables {
  demo_drills: {
    id: Generated<number>;
    slot: Date | null;
    trigger: "schedule" | "manual";
    mode: "bank" | "synthetic";
    journey: string;
    step: string;
    error_code: string;
    status: "running" | "finished" | "failed";
    injected_at: Date;
    fault_until: Date;
    watch_until: Date;
    fault_id: string | null;
    first_failing_event_at: Date | null;
    incident_opened_at: Date | null;
    incident_id: string | null;
    alert_sent_at: Date | null;
    notes: ColumnType<string[], string | undefined, string>;
    finished_at: Date | null;
    created_at: Generated<Date>;
  };
  demo_backfills: {
    id: Generated<number>;
    journey: string;
    from_time: Date;
    to_time: Date;
    runs: Generated<number>;
    events: Generated<number>;
    accepted: Generated<number>;
    duplicates: Generated<number>;
    started_at: Generated<Date>;
    finished_at: Date | null;
  };
}
