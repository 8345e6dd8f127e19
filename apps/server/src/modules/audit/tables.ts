import type { ColumnType, Generated } from "kysely";

/** Tables owned by the audit module. */
export interface AuditTables {
  audit_log: {
    id: Generated<number>;
    at: Generated<Date>;
    action: string;
    outcome: Generated<"success" | "failure">;
    actor_kind: "user" | "key" | "system" | "anonymous";
    actor_id: string | null;
    target_kind: string | null;
    target_id: string | null;
    address: string | null;
    details: ColumnType<Record<string, unknown>, string | undefined, never>;
  };
}
