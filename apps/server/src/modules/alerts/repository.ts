import { createHash } from "node:crypto";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { RuleDefinition } from "./rule-schema.js";
import type { AlertState } from "./state-machine.js";

/** One alert row as the service reads it. */
export interface AlertRow {
  id: number;
  ruleKey: string;
  groupKey: string;
  kind: string;
  severity: string;
  journey: string | null;
  step: string | null;
  status: "inactive" | "pending" | "firing";
  flapping: boolean;
  state: AlertState;
  facts: Record<string, unknown>;
  heldBy: string | null;
  evaluatedAt: Date;
}

type Db = Kysely<Database> | Transaction<Database>;

const toAlert = (row: Selectable<Database["alerts"]>): AlertRow => ({
  id: Number(row.id),
  ruleKey: row.rule_key,
  groupKey: row.group_key,
  kind: row.kind,
  severity: row.severity,
  journey: row.journey,
  step: row.step,
  status: row.status,
  flapping: row.flapping,
  state: row.state as unknown as AlertState,
  facts: row.facts,
  heldBy: row.held_by,
  evaluatedAt: row.evaluated_at,
});

/** Hash of a rule's definition as the file gives it, to tell when the file changed it. */
export function ruleHash(rule: RuleDefinition): string {
  return createHash("sha256").update(JSON.stringify(rule)).digest("hex").slice(0, 32);
}

/** SQL for rules, alerts and their episodes. */
export function createAlertsRepository(db: Kysely<Database>) {
  return {
    db,

    /**
     * Brings the file's rules into the table: a rule whose file version changed (or is new) is
     * written; one edited through the API since keeps its edit while the file is unchanged; a rule
     * that left the file is removed unless it was created or edited through the API.
     */
    async seedRules(rules: RuleDefinition[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext('vigie_alert_rules_seed'))`.execute(trx);
        for (const rule of rules) {
          const hash = ruleHash(rule);
          await sql`
            INSERT INTO alert_rules (key, definition, origin, config_hash)
            VALUES (${rule.key}, ${JSON.stringify(rule)}::jsonb, 'config', ${hash})
            ON CONFLICT (key) DO UPDATE
              SET definition = excluded.definition, origin = 'config', config_hash = excluded.config_hash,
                  deleted = false, updated_at = now(), updated_by = NULL
              WHERE alert_rules.config_hash IS DISTINCT FROM excluded.config_hash`.execute(trx);
        }
        const keys = rules.map((r) => r.key);
        await sql`
          DELETE FROM alert_rules
          WHERE origin = 'config' AND NOT (key = ANY(${keys}::text[]))`.execute(trx);
      });
    },

    /** Rules in force (not deleted), with where they come from. */
    async listRules(): Promise<
      { definition: unknown; origin: "config" | "api"; updatedAt: Date; updatedBy: string | null }[]
    > {
      const rows = await db
        .selectFrom("alert_rules")
        .select(["definition", "origin", "updated_at", "updated_by"])
        .where("deleted", "=", false)
        .orderBy("key")
        .execute();
      return rows.map((r) => ({
        definition: r.definition,
        origin: r.origin,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      }));
    },

    /** Creates or replaces a rule from the API. */
    async saveRule(rule: RuleDefinition, by: string | null): Promise<void> {
      await sql`
        INSERT INTO alert_rules (key, definition, origin, updated_by)
        VALUES (${rule.key}, ${JSON.stringify(rule)}::jsonb, 'api', ${by})
        ON CONFLICT (key) DO UPDATE
          SET definition = excluded.definition, origin = 'api', deleted = false,
              updated_at = now(), updated_by = excluded.updated_by`.execute(db);
    },

    /** Marks a rule deleted (kept so that the file does not bring it back unchanged); false if none. */
    async deleteRule(key: string, by: string | null): Promise<boolean> {
      const result = await db
        .updateTable("alert_rules")
        .set({ deleted: true, origin: "api", updated_by: by, updated_at: new Date() })
        .where("key", "=", key)
        .where("deleted", "=", false)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Locks (creating it if needed) the alert of a rule and group, for one evaluation. */
    async lockAlert(
      trx: Transaction<Database>,
      identity: { ruleKey: string; groupKey: string; kind: string; severity: string; journey: string | null },
      initial: AlertState,
      now: Date,
    ): Promise<AlertRow> {
      await sql`
        INSERT INTO alerts (rule_key, group_key, kind, severity, journey, status, state, evaluated_at)
        VALUES (${identity.ruleKey}, ${identity.groupKey}, ${identity.kind}, ${identity.severity}, ${identity.journey},
                'inactive', ${JSON.stringify(initial)}::jsonb, ${now})
        ON CONFLICT (rule_key, group_key) DO NOTHING`.execute(trx);
      const row = await trx
        .selectFrom("alerts")
        .selectAll()
        .where("rule_key", "=", identity.ruleKey)
        .where("group_key", "=", identity.groupKey)
        .forUpdate()
        .executeTakeFirstOrThrow();
      return toAlert(row);
    },

    /** Locks one alert by id; undefined when none. */
    async lockAlertById(trx: Transaction<Database>, id: number): Promise<AlertRow | undefined> {
      const row = await trx
        .selectFrom("alerts")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      return row ? toAlert(row) : undefined;
    },

    /** Writes the alert's state after an evaluation. */
    async saveAlert(
      trx: Transaction<Database>,
      id: number,
      fields: {
        state: AlertState;
        facts?: Record<string, unknown>;
        heldBy?: string | null;
        step?: string | null;
        severity?: string;
        now: Date;
      },
    ): Promise<void> {
      await trx
        .updateTable("alerts")
        .set({
          status: fields.state.status,
          flapping: fields.state.flapping,
          state: JSON.stringify(fields.state),
          ...(fields.facts ? { facts: JSON.stringify(fields.facts) } : {}),
          ...(fields.heldBy !== undefined ? { held_by: fields.heldBy } : {}),
          ...(fields.step !== undefined ? { step: fields.step } : {}),
          ...(fields.severity ? { severity: fields.severity } : {}),
          evaluated_at: fields.now,
        })
        .where("id", "=", id)
        .execute();
    },

    /** Alerts firing now (for inhibition). */
    async firingAlerts(
      trx: Db,
    ): Promise<{ ruleKey: string; kind: string; severity: string; journey: string | null }[]> {
      const rows = await trx
        .selectFrom("alerts")
        .select(["rule_key", "kind", "severity", "journey"])
        .where("status", "=", "firing")
        .execute();
      return rows.map((r) => ({
        ruleKey: r.rule_key,
        kind: r.kind,
        severity: r.severity,
        journey: r.journey,
      }));
    },

    /** Records the start of a firing episode. */
    async openEpisode(trx: Transaction<Database>, alert: AlertRow, at: Date): Promise<void> {
      await sql`
        INSERT INTO alert_episodes (alert_id, journey, kind, started_at) VALUES (${alert.id}, ${alert.journey}, ${alert.kind}, ${at})
        ON CONFLICT DO NOTHING`.execute(trx);
    },

    /** Records the end of the open firing episode. */
    async closeEpisode(trx: Transaction<Database>, alertId: number, at: Date): Promise<void> {
      await sql`UPDATE alert_episodes SET ended_at = ${at} WHERE alert_id = ${alertId} AND ended_at IS NULL`.execute(
        trx,
      );
    },

    /** Outage periods of a journey overlapping [from, to): incidents and outage alerts' episodes. */
    async outageEpisodes(journey: string, from: Date, to: Date): Promise<{ from: number; to: number }[]> {
      // the analytics module's incidents (read-only here) and this module's own outage alerts
      const result = await sql<{ started_at: Date; ended_at: Date | null }>`
        SELECT started_at, ended_at FROM alert_episodes
        WHERE (journey = ${journey} OR kind = 'ingestion-stalled')
          AND kind IN ('probe-down', 'error-rate', 'burn-rate', 'ingestion-stalled')
          AND started_at < ${to} AND (ended_at IS NULL OR ended_at > ${from})
        UNION ALL
        SELECT started_at, ended_at FROM incidents
        WHERE journey = ${journey} AND started_at < ${to} AND (ended_at IS NULL OR ended_at > ${from})`.execute(
        db,
      );
      return result.rows.map((r) => ({ from: r.started_at.getTime(), to: (r.ended_at ?? to).getTime() }));
    },

    /** Alerts, most recently evaluated first, optionally only those in a status. */
    async listAlerts(filter: { status?: string; journey?: string; limit: number; offset: number }): Promise<{
      items: AlertRow[];
      total: number;
    }> {
      let query = db.selectFrom("alerts");
      if (filter.status) query = query.where("status", "=", filter.status as AlertRow["status"]);
      if (filter.journey) query = query.where("journey", "=", filter.journey);
      const [rows, count] = await Promise.all([
        query
          .selectAll()
          .orderBy("status", "asc")
          .orderBy("id", "asc")
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst(),
      ]);
      return { items: rows.map((r) => toAlert(r)), total: Number(count?.n ?? 0) };
    },

    /** One alert by id. */
    async getAlert(id: number): Promise<AlertRow | undefined> {
      const row = await db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toAlert(row) : undefined;
    },

    /** Firing episodes of one alert, newest first. */
    async episodes(alertId: number): Promise<{ startedAt: Date; endedAt: Date | null }[]> {
      const rows = await db
        .selectFrom("alert_episodes")
        .select(["started_at", "ended_at"])
        .where("alert_id", "=", alertId)
        .orderBy("started_at", "desc")
        .limit(50)
        .execute();
      return rows.map((r) => ({ startedAt: r.started_at, endedAt: r.ended_at }));
    },
  };
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>;
