import type { Generated } from "kysely";
import type { AlertsTables } from "../modules/alerts/tables.js";
import type { AnalyticsTables } from "../modules/analytics/tables.js";
import type { AuditTables } from "../modules/audit/tables.js";
import type { AuthTables } from "../modules/auth/tables.js";
import type { DemoTables } from "../modules/demo/tables.js";
import type { EventsTables } from "../modules/events/tables.js";
import type { IncidentsTables } from "../modules/incidents/tables.js";
import type { KeysTables } from "../modules/keys/tables.js";
import type { NotificationsTables } from "../modules/notifications/tables.js";
import type { ProbesTables } from "../modules/probes/tables.js";
import type { RunsTables } from "../modules/runs/tables.js";
import type { SessionsTables } from "../modules/sessions/tables.js";
import type { SilencesTables } from "../modules/silences/tables.js";
import type { UsersTables } from "../modules/users/tables.js";

/** Tables of the migration runner itself. */
interface MigrationTables {
  schema_migrations: { name: string; applied_at: Generated<Date> };
}

/**
 * Every table as Kysely sees it. Each module declares its own tables in `modules/<noun>/tables.ts`;
 * add a module's interface to this intersection.
 */
export type Database = MigrationTables &
  EventsTables &
  RunsTables &
  AnalyticsTables &
  IncidentsTables &
  UsersTables &
  SessionsTables &
  KeysTables &
  AuditTables &
  AlertsTables &
  SilencesTables &
  NotificationsTables &
  AuthTables &
  AlertsTables &
  SilencesTables &
  NotificationsTables &
  ProbesTables &
  DemoTables;
