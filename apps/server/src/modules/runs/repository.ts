import type { RunDetail, RunOutcome, RunPage, RunSummary } from "@vigie/contracts";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { PageRequest } from "../analytics/paging.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";

export const RUN_SORTS = ["startedAt", "lastActivityAt", "journey", "outcome"] as const;
export type RunSort = (typeof RUN_SORTS)[number];
const SORT_COLUMN: Record<RunSort, string> = {
  startedAt: "first_at",
  lastActivityAt: "last_at",
  journey: "journey",
  outcome: "outcome",
};

/** Filters of the runs list; all optional and combined with AND. */
export interface RunFilter {
  journey?: string;
  outcome?: RunOutcome;
  /** Furthest step reached (needs `journey`). */
  stepIndex?: number;
  errorCode?: string;
  attribute?: { name: string; value: string };
  synthetic?: boolean;
  from?: number;
  to?: number;
}

/** SQL of the runs list and run detail. */
export function createRunsRepository(db: Kysely<Database>, journeys: JourneyCatalogue) {
  const stepKey = (journey: string, index: number | null) =>
    index === null ? null : (journeys.get(journey)?.steps[index]?.key ?? String(index));

  function present(r: Record<string, unknown>): RunSummary {
    const journey = r.journey as string;
    const outcome = r.outcome as RunOutcome;
    const stopped =
      outcome === "rejected"
        ? (r.rejected_step as number)
        : outcome === "failed"
          ? (r.last_step as number)
          : null;
    return {
      journey,
      runId: r.run_id as string,
      synthetic: r.synthetic as boolean,
      outcome,
      startedAt: (r.first_at as Date).toISOString(),
      lastActivityAt: (r.last_at as Date).toISOString(),
      furthestStep: stepKey(journey, r.furthest_step as number)!,
      stoppedAtStep: stepKey(journey, stopped),
      errorCode: outcome === "failed" ? (r.last_error_code as string) || null : null,
      errorCount: r.error_count as number,
      recoveredFailure: (r.error_count as number) > 0 && outcome !== "failed",
      completedAt: r.completed_at ? (r.completed_at as Date).toISOString() : null,
      attributes: (r.attributes as Record<string, string>) ?? {},
    };
  }

  return {
    /** One page of runs matching the filter. */
    async list(filter: RunFilter, page: PageRequest<RunSort>): Promise<RunPage> {
      const where: RawBuilder<unknown>[] = [sql`true`];
      if (filter.journey !== undefined) where.push(sql`journey = ${filter.journey}`);
      if (filter.outcome !== undefined) where.push(sql`outcome = ${filter.outcome}`);
      if (filter.stepIndex !== undefined) where.push(sql`furthest_step = ${filter.stepIndex}`);
      if (filter.errorCode !== undefined)
        where.push(sql`last_error_code = ${filter.errorCode} AND error_count > 0`);
      if (filter.attribute !== undefined) {
        where.push(
          sql`attributes @> ${JSON.stringify({ [filter.attribute.name]: filter.attribute.value })}::jsonb`,
        );
      }
      if (filter.synthetic !== undefined) where.push(sql`synthetic = ${filter.synthetic}`);
      if (filter.from !== undefined)
        where.push(sql`first_at >= ${new Date(filter.from).toISOString()}::timestamptz`);
      if (filter.to !== undefined)
        where.push(sql`first_at < ${new Date(filter.to).toISOString()}::timestamptz`);
      const condition = sql.join(where, sql` AND `);
      const order = sql.raw(
        `${SORT_COLUMN[page.sort.field]} ${page.sort.direction}, journey ${page.sort.direction}, run_id ${page.sort.direction}`,
      );
      const [rows, count] = await Promise.all([
        sql<Record<string, unknown>>`
          SELECT * FROM runs WHERE ${condition} ORDER BY ${order}
          LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`.execute(db),
        sql<{ n: number }>`SELECT count(*)::bigint AS n FROM runs WHERE ${condition}`.execute(db),
      ]);
      return {
        items: rows.rows.map(present),
        total: Number(count.rows[0]?.n ?? 0),
        page: page.page,
        pageSize: page.pageSize,
      };
    },

    /** A run with its events in time order; undefined when unknown. */
    async detail(journey: string, runId: string): Promise<RunDetail | undefined> {
      const run = await sql<Record<string, unknown>>`
        SELECT * FROM runs WHERE journey = ${journey} AND run_id = ${runId}`.execute(db);
      if (!run.rows[0]) return undefined;
      const events = await sql<{
        id: string;
        source: string;
        time: Date;
        step: string;
        outcome: "started" | "ok" | "error" | "rejected";
        duration_ms: number | null;
        error_code: string | null;
        error_message: string | null;
      }>`
        SELECT id, source, time, step, outcome, duration_ms, error_code, error_message FROM events
        WHERE journey = ${journey} AND run_id = ${runId}
        ORDER BY time, source, id`.execute(db);
      const steps = new Map<
        string,
        { step: string; firstAt: string; lastOutcome: RunDetail["events"][number]["outcome"] }
      >();
      for (const e of events.rows) {
        const seen = steps.get(e.step);
        if (seen) seen.lastOutcome = e.outcome;
        else steps.set(e.step, { step: e.step, firstAt: e.time.toISOString(), lastOutcome: e.outcome });
      }
      return {
        ...present(run.rows[0]),
        steps: [...steps.values()],
        events: events.rows.map((e) => ({
          id: e.id,
          source: e.source,
          time: e.time.toISOString(),
          step: e.step,
          outcome: e.outcome,
          durationMs: e.duration_ms,
          errorCode: e.error_code,
          errorMessage: e.error_message,
        })),
      };
    },
  };
}

export type RunsRepository = ReturnType<typeof createRunsRepository>;
