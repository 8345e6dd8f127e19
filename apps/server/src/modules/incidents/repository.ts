import type { Incident, IncidentActivity, IncidentPage, IncidentSignal } from "@vigie/contracts";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { PageRequest } from "../analytics/paging.js";

export const INCIDENT_SORTS = ["startedAt", "endedAt", "journey", "runsAffected"] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
const SORT_COLUMN: Record<IncidentSort, string> = {
  startedAt: "started_at",
  endedAt: "ended_at",
  journey: "journey",
  runsAffected: "runs_affected",
};

/** Filters of the incidents list; `from`/`to` keep incidents overlapping that range. */
export interface IncidentFilter {
  journey?: string;
  status?: "open" | "closed";
  seenBy?: IncidentSignal;
  step?: string;
  /** true: acknowledged by someone; false: nobody acknowledged it yet. */
  acknowledged?: boolean;
  from?: number;
  to?: number;
}

/** Longest note, in characters (also checked by the database). */
export const MAX_NOTE_LENGTH = 4000;

/**
 * `rows` (a subquery of incidents) with the first acknowledgement of each, and the display name of
 * whoever gave it (the users table is read for names only).
 */
const withAcknowledgement = (rows: RawBuilder<unknown>) => sql`
  SELECT i.*, ack.at AS ack_at, ack.by_user AS ack_by, ack.name AS ack_name FROM (${rows}) i
  LEFT JOIN LATERAL (
    SELECT a.at, a.by_user, u.display_name AS name FROM incident_activity a
    LEFT JOIN users u ON u.id = a.by_user
    WHERE a.incident_id = i.id AND a.kind = 'acknowledged' ORDER BY a.at, a.id LIMIT 1
  ) ack ON true`;

function present(r: Record<string, unknown>): Incident {
  const seenBy: IncidentSignal[] = [];
  if (r.seen_by_probes) seenBy.push("probes");
  if (r.seen_by_traffic) seenBy.push("traffic");
  return {
    id: Number(r.id),
    journey: r.journey as string,
    status: r.ended_at ? "closed" : "open",
    startedAt: (r.started_at as Date).toISOString(),
    endedAt: r.ended_at ? (r.ended_at as Date).toISOString() : null,
    failingStep: (r.failing_step as string | null) ?? null,
    topErrorCodes: r.top_error_codes as Incident["topErrorCodes"],
    runsAffected: r.runs_affected as number,
    prospectsAffected: r.prospects_affected as number,
    seenBy,
    updatedAt: (r.updated_at as Date).toISOString(),
    createdAt: (r.created_at as Date).toISOString(),
    acknowledged: r.ack_at
      ? {
          at: (r.ack_at as Date).toISOString(),
          by: r.ack_by ? { id: r.ack_by as string, name: (r.ack_name as string | null) ?? "" } : null,
        }
      : null,
  };
}

/** SQL of the incidents list and detail. */
export function createIncidentsRepository(db: Kysely<Database>) {
  return {
    /** One page of incidents matching the filter. */
    async list(filter: IncidentFilter, page: PageRequest<IncidentSort>): Promise<IncidentPage> {
      const where: RawBuilder<unknown>[] = [sql`true`];
      if (filter.journey !== undefined) where.push(sql`journey = ${filter.journey}`);
      if (filter.status === "open") where.push(sql`ended_at IS NULL`);
      if (filter.status === "closed") where.push(sql`ended_at IS NOT NULL`);
      if (filter.seenBy === "probes") where.push(sql`seen_by_probes`);
      if (filter.seenBy === "traffic") where.push(sql`seen_by_traffic`);
      if (filter.step !== undefined) where.push(sql`failing_step = ${filter.step}`);
      if (filter.acknowledged !== undefined) {
        const acked = sql`EXISTS (SELECT 1 FROM incident_activity a WHERE a.incident_id = incidents.id AND a.kind = 'acknowledged')`;
        where.push(filter.acknowledged ? acked : sql`NOT ${acked}`);
      }
      if (filter.to !== undefined)
        where.push(sql`started_at < ${new Date(filter.to).toISOString()}::timestamptz`);
      if (filter.from !== undefined) {
        where.push(sql`(ended_at IS NULL OR ended_at > ${new Date(filter.from).toISOString()}::timestamptz)`);
      }
      const condition = sql.join(where, sql` AND `);
      const nulls = page.sort.direction === "desc" ? "NULLS FIRST" : "NULLS LAST";
      const order = sql.raw(
        `${SORT_COLUMN[page.sort.field]} ${page.sort.direction} ${nulls}, id ${page.sort.direction}`,
      );
      const [rows, count] = await Promise.all([
        sql<Record<string, unknown>>`
          ${withAcknowledgement(sql`
            SELECT * FROM incidents WHERE ${condition} ORDER BY ${order}
            LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`)}
          ORDER BY ${order}`.execute(db),
        sql<{ n: number }>`SELECT count(*)::bigint AS n FROM incidents WHERE ${condition}`.execute(db),
      ]);
      return {
        items: rows.rows.map(present),
        total: Number(count.rows[0]?.n ?? 0),
        page: page.page,
        pageSize: page.pageSize,
      };
    },

    /** One incident; undefined when unknown. */
    async get(id: number): Promise<Incident | undefined> {
      const rows = await sql<Record<string, unknown>>`
        ${withAcknowledgement(sql`SELECT * FROM incidents WHERE id = ${id}`)}`.execute(db);
      return rows.rows[0] ? present(rows.rows[0]) : undefined;
    },

    /** The incident an unknown id was merged into, if it was. */
    async mergedInto(id: number): Promise<number | undefined> {
      const rows = await sql<{ incident_id: string }>`
        SELECT incident_id FROM incident_activity
        WHERE kind = 'merged' AND details @> ${JSON.stringify({ from: id })}::jsonb
        ORDER BY at DESC, id DESC LIMIT 1`.execute(db);
      return rows.rows[0] ? Number(rows.rows[0].incident_id) : undefined;
    },

    /** The incident's activity (state changes, acknowledgements, notes), oldest first; at most `limit`. */
    async timeline(id: number, limit = 500): Promise<IncidentActivity[]> {
      const rows = await db
        .selectFrom("incident_activity as a")
        .leftJoin("users as u", "u.id", "a.by_user")
        .select(["a.id", "a.kind", "a.at", "a.by_user", "a.details", "a.note", "u.display_name"])
        .where("a.incident_id", "=", id)
        .orderBy("a.at")
        .orderBy("a.id")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        at: r.at.toISOString(),
        by: r.by_user ? { id: r.by_user, name: r.display_name ?? "" } : null,
        details: r.details as IncidentActivity["details"],
        note: r.note,
      }));
    },

    /**
     * Records `userId`'s acknowledgement unless the incident already has one (the first one stands).
     * Undefined when the incident is unknown; the row lock makes two concurrent calls record one.
     */
    async acknowledge(id: number, userId: string): Promise<{ recorded: boolean } | undefined> {
      return db.transaction().execute(async (trx) => {
        const incident = await sql`SELECT id FROM incidents WHERE id = ${id} FOR UPDATE`.execute(trx);
        if (incident.rows.length === 0) return undefined;
        const inserted = await sql`
          INSERT INTO incident_activity (incident_id, kind, by_user)
          SELECT ${id}, 'acknowledged', ${userId}::uuid
          WHERE NOT EXISTS (SELECT 1 FROM incident_activity WHERE incident_id = ${id} AND kind = 'acknowledged')`.execute(
          trx,
        );
        return { recorded: Number(inserted.numAffectedRows ?? 0) > 0 };
      });
    },

    /** Adds `userId`'s note, answered with the incident's journey; undefined when the incident is unknown. */
    async addNote(
      id: number,
      userId: string,
      text: string,
    ): Promise<{ activity: IncidentActivity; journey: string } | undefined> {
      const rows = await sql<{ id: string; at: Date; note: string; name: string | null; journey: string }>`
        WITH noted AS (SELECT id, journey FROM incidents WHERE id = ${id} FOR SHARE),
        inserted AS (
          INSERT INTO incident_activity (incident_id, kind, by_user, note)
          SELECT id, 'note', ${userId}::uuid, ${text} FROM noted
          RETURNING id, at, note
        )
        SELECT inserted.*, (SELECT display_name FROM users WHERE id = ${userId}::uuid) AS name,
          (SELECT journey FROM noted) AS journey
        FROM inserted`.execute(db);
      const row = rows.rows[0];
      if (!row) return undefined;
      return {
        activity: {
          id: Number(row.id),
          kind: "note",
          at: row.at.toISOString(),
          by: { id: userId, name: row.name ?? "" },
          details: {},
          note: row.note,
        },
        journey: row.journey,
      };
    },
  };
}

export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;
