import type { ColumnType, Generated } from "kysely";

/** What can happen to an incident; see migration 0080 and ADR 0080. */
export type IncidentActivityKind =
  | "opened"
  | "changed"
  | "merged"
  | "closed"
  | "reopened"
  | "withdrawn"
  | "acknowledged"
  | "note";

/** Tables owned by the incidents module (the `incidents` rows themselves are typed with analytics). */
export interface IncidentsTables {
  incident_activity: {
    id: Generated<number>;
    incident_id: number;
    kind: IncidentActivityKind;
    at: ColumnType<Date, string | Date | undefined, string | Date>;
    /** The user who did it; null for the analytics pass. */
    by_user: string | null;
    details: ColumnType<Record<string, unknown>, string | undefined, string>;
    note: string | null;
  };
}
