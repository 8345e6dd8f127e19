import type { Overview } from "@vigie/contracts";
import { sql } from "kysely";
import { probeTimelines, timeOf, trafficOf } from "../availability/service.js";
import type { AnalyticsContext } from "./context.js";
import { rollupParts } from "./rollup-parts.js";

const HOUR = 3_600_000;

/** Every journey over [from, to): availability by both methods and real runs started / completed. */
export async function overview(
  ctx: AnalyticsContext,
  query: { from: number; to: number; tz: string },
): Promise<Overview> {
  const journeys = ctx.journeys.list();
  const keys = journeys.map((j) => j.key);
  const now = ctx.now();
  // runs by start hour: cohorts have no minute grain, so the range is widened to whole hours
  const parts = rollupParts(
    Math.floor(query.from / HOUR) * HOUR,
    Math.ceil(query.to / HOUR) * HOUR,
    query.tz,
    ctx.timezone,
  );
  const [cells, timelines, runs] = await Promise.all([
    ctx.repository.stepCells({
      journeys: keys,
      from: query.from,
      to: query.to,
      tz: query.tz,
      synthetic: false,
    }),
    probeTimelines(ctx, keys, query.from, query.to),
    parts.length === 0
      ? Promise.resolve({ rows: [] as { journey: string; started: number; completed: number }[] })
      : sql<{ journey: string; started: number; completed: number }>`
          SELECT journey, sum(runs)::bigint AS started, sum(runs) FILTER (WHERE outcome = 'completed')::bigint AS completed
          FROM (${sql.join(
            parts.map(
              (
                p,
              ) => sql`(SELECT journey, outcome, runs FROM ${sql.table(p.grain === "day" ? "run_cohorts_day" : "run_cohorts_hour")}
                WHERE journey = ANY(${keys}::text[]) AND NOT synthetic
                  AND bucket >= ${new Date(p.from).toISOString()}::timestamptz AND bucket < ${new Date(p.to).toISOString()}::timestamptz)`,
            ),
            sql` UNION ALL `,
          )}) AS c
          GROUP BY journey`.execute(ctx.db),
  ]);
  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    timezone: query.tz,
    journeys: journeys.map((journey) => {
      const counts = runs.rows.find((r) => r.journey === journey.key);
      return {
        key: journey.key,
        availability: {
          traffic: trafficOf(cells.filter((c) => c.journey === journey.key)),
          time: timeOf(journey, timelines.get(`${journey.key}\u0000`), query.from, query.to, now, query.tz),
        },
        started: Number(counts?.started ?? 0),
        completed: Number(counts?.completed ?? 0),
      };
    }),
  };
}
