import type { Generated } from "kysely";

/** Tables owned by the silences module. */
export interface SilencesTables {
  silences: {
    id: Generated<number>;
    kind: "silence" | "maintenance";
    journey: string | null;
    step: string | null;
    rule_key: string | null;
    starts_at: string;
    ends_at: string;
    time_zone: string;
    rrule: string | null;
    comment: Generated<string>;
    created_by: string | null;
    created_at: Generated<Date>;
    ended_at: Date | null;
  };
}
