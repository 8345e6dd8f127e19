import type { ColumnType, Generated } from "kysely";
import type { AttemptResult } from "./results.js";

/** Attempts as stored: screenshots live in their own column. */
export type StoredAttempt = Omit<AttemptResult, "screenshot"> & { hasScreenshot: boolean };

/** Tables owned by the probes module. */
export interface ProbesTables {
  probe_schedules: {
    probe: string;
    kind: "http" | "browser";
    schedule: string;
    paused: Generated<boolean>;
    next_run_at: Date;
    lease_owner: string | null;
    lease_until: Date | null;
    last_run_id: string | null;
    last_run_at: Date | null;
    updated_at: Generated<Date>;
  };
  probe_runs: {
    run_id: string;
    probe: string;
    journey: string;
    kind: string;
    location: string;
    trigger: "schedule" | "manual";
    scheduled_at: Date | null;
    started_at: Date;
    finished_at: Date;
    outcome: "passed" | "failed";
    failed_step: string | null;
    error_code: string | null;
    error_message: string | null;
    cleanup_ok: boolean | null;
    attempts: ColumnType<StoredAttempt[], string, string>;
    console_errors: ColumnType<string[], string, string>;
    screenshot: Buffer | null;
  };
}
