import type { Incident, IncidentPage, IncidentSignal } from "@vigie/contracts";
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
  from?: number;
  to?: number;
}

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
          SELECT * FROM incidents WHERE ${condition} ORDER BY ${order}
          LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`.execute(db),
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
      const rows = await sql<Record<string, unknown>>`SELECT * FROM incidents WHERE id = ${id}`.execute(db);
      return rows.rows[0] ? present(rows.rows[0]) : undefined;
    },
  };
}

export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;
