import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { AuditEntry, AuditRecord } from "./service.js";

/** SQL of the append-only audit log. */
export function createAuditRepository(db: Kysely<Database>) {
  return {
    async append(entry: AuditEntry): Promise<void> {
      await db
        .insertInto("audit_log")
        .values({
          action: entry.action,
          outcome: entry.outcome ?? "success",
          actor_kind: entry.actor.kind,
          actor_id: entry.actor.id ?? null,
          target_kind: entry.target?.kind ?? null,
          target_id: entry.target?.id ?? null,
          address: entry.address ?? null,
          details: JSON.stringify(entry.details ?? {}),
        })
        .execute();
    },

    async list(query: { limit: number; beforeId?: number; action?: string }): Promise<AuditRecord[]> {
      let select = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(query.limit);
      if (query.beforeId !== undefined) select = select.where("id", "<", query.beforeId);
      if (query.action)
        select = select.where("action", "like", `${query.action.replace(/[%_\\]/g, "\\$&")}%`);
      const rows = await select.execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        action: row.action,
        outcome: row.outcome,
        actor: { kind: row.actor_kind, id: row.actor_id },
        target: row.target_kind ? { kind: row.target_kind, id: row.target_id } : null,
        address: row.address,
        details: row.details,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
