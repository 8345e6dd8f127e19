import type { ColumnType, Generated } from "kysely";

/** Tables owned by the auth module. */
export interface AuthTables {
  sso_settings: {
    singleton: Generated<boolean>;
    settings: ColumnType<Record<string, unknown> | null, string | null, string | null>;
    updated_at: Generated<Date>;
    updated_by: string | null;
  };
}
