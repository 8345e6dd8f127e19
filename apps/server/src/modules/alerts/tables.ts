import type { ColumnType, Generated } from "kysely";

type Json<T> = ColumnType<T, string, string>;

/** Tables owned by the alerts module. */
export interface AlertsTables {
  alert_rules: {
    key: string;
    definition: Json<Record<string, unknown>>;
    origin: "config" | "api";
    config_hash: string | null;
    deleted: Generated<boolean>;
    updated_at: Generated<Date>;
    updated_by: string | null;
  };
  alerts: {
    id: Generated<number>;
    rule_key: string;
    group_key: string;
    kind: string;
    severity: string;
    journey: string | null;
    step: string | null;
    status: "inactive" | "pending" | "firing";
    flapping: Generated<boolean>;
    state: Json<Record<string, unknown>>;
    facts: Json<Record<string, unknown>>;
    held_by: string | null;
    evaluated_at: Date;
    created_at: Generated<Date>;
  };
  alert_episodes: {
    alert_id: number;
    journey: string | null;
    kind: string;
    started_at: Date;
    ended_at: Date | null;
  };
}
