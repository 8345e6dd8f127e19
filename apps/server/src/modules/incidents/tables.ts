import type { IncidentActivityKind } from "@vigie/contracts";
import type { ColumnType, Generated } from "kysely";

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
