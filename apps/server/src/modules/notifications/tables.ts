import type { ColumnType, Generated } from "kysely";

/** Tables owned by the notifications module (the outbox and its delivery log). */
export interface NotificationsTables {
  notifications: {
    id: Generated<number>;
    alert_id: number | null;
    notice: string;
    audience: string;
    channel: string;
    channel_kind: string;
    message: ColumnType<Record<string, unknown>, string, string>;
    status: Generated<"pending" | "sending" | "delivered" | "failed">;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    lease_until: Date | null;
    last_error: string | null;
    created_at: Generated<Date>;
    delivered_at: Date | null;
  };
  notification_attempts: {
    notification_id: number;
    attempt: number;
    started_at: Date;
    finished_at: Date;
    outcome: "delivered" | "retry" | "failed";
    http_status: number | null;
    error: string | null;
  };
  channel_health: {
    audience: string;
    channel: string;
    consecutive_failures: Generated<number>;
    down_since: Date | null;
    last_delivered_at: Date | null;
    last_failed_at: Date | null;
  };
}
