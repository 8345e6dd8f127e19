import type { Generated } from "kysely";
import type { EventsTables } from "../modules/events/tables.js";

/** Tables of the migration runner itself. */
interface MigrationTables {
  schema_migrations: { name: string; applied_at: Generated<Date> };
}

/**
 * Every table as Kysely sees it. Each module declares its own tables in `modules/<noun>/tables.ts`;
 * add a module's interface to this intersection.
 */
export type Database = MigrationTables & EventsTables;
