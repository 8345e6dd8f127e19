import type { AvailabilityPair, Board, BoardJourney, JourneyState } from "@vigie/contracts";
import { addLocal, startOfLocalDay } from "@vigie/zoned-time";
import { sql } from "kysely";
import { probeTimelines, timeOf, trafficOf } from "../availability/service.js";
import { lastHourVolumes } from "../volumes/service.js";
import type { AnalyticsContext } from "./context.js";
import { journeyDivergences } from "./divergence.js";

const HOUR = 3_600_000;

/**
 * The live board: every journey's state, availability today and over 7 days by both methods, real
 * runs of the last hour against expectation, probe state and open incidents.
 */
export async function board(ctx: AnalyticsContext, tz: string): Promise<Board> {
  const now = ctx.now();
  const journeys = ctx.journeys.list();
  const keys = journeys.map((j) => j.key);
  const today = startOfLocalDay(now, tz);
  const weekAgo = addLocal(today, "day", -6, tz);
  const [volumes, recentCells, todayCells, weekCells, timelines, divergences, incidents, lastHour] =
    await Promise.all([
      lastHourVolumes(ctx, keys, tz),
      ctx.repository.stepCells({
        journeys: keys,
        from: now - ctx.recentWindowMs,
        to: now,
        tz,
        synthetic: false,
        hourly: true,
      }),
      ctx.repository.stepCells({ journeys: keys, from: today, to: now, tz, synthetic: false }),
      ctx.repository.stepCells({ journeys: keys, from: weekAgo, to: now, tz, synthetic: false }),
      probeTimelines(ctx, keys, weekAgo, now),
      journeyDivergences(ctx, keys),
      sql<{ journey: string; n: number }>`
      SELECT journey, count(*)::int AS n FROM incidents WHERE ended_at IS NULL GROUP BY journey`.execute(
        ctx.db,
      ),
      sql<{ journey: string; outcome: string; n: number }>`
      SELECT journey, outcome, count(*)::int AS n FROM runs
      WHERE first_at >= ${new Date(now - HOUR).toISOString()}::timestamptz AND NOT synthetic
      GROUP BY journey, outcome`.execute(ctx.db),
    ]);
  const items: BoardJourney[] = [];
  for (const journey of journeys) {
    const key = journey.key;
    const timeline = timelines.get(`${key}\u0000`);
    const pair = (cells: typeof todayCells, from: number): AvailabilityPair => ({
      traffic: trafficOf(cells.filter((c) => c.journey === key)),
      time: timeOf(journey, timeline, from, now, now, tz),
    });
    const divergence = divergences.find((d) => d.journey === key)!;
    const volume = volumes.get(key)!;
    const counts = new Map(lastHour.rows.filter((r) => r.journey === key).map((r) => [r.outcome, r.n]));
    const started = [...counts.values()].reduce((a, b) => a + b, 0);
    const openIncidents = incidents.rows.find((r) => r.journey === key)?.n ?? 0;
    const todayPair = pair(todayCells, today);
    const downSteps = divergence.steps.filter((s) => s.probe === "down").map((s) => s.step);
    const failingSteps = divergence.steps.filter((s) => s.traffic === "failing").map((s) => s.step);
    const reasons: string[] = [];
    let state: JourneyState = "up";
    if (divergence.probe === "down" || failingSteps.length > 0) {
      state = "down";
      if (divergence.probe === "down")
        reasons.push(`probe down${downSteps.length ? ` at ${downSteps.join(", ")}` : ""}`);
      if (failingSteps.length > 0) reasons.push(`real prospects failing at ${failingSteps.join(", ")}`);
    } else if (
      openIncidents > 0 ||
      (todayPair.traffic.ratio !== null && todayPair.traffic.ratio < journey.objectives.availability)
    ) {
      state = "degraded";
      if (openIncidents > 0) reasons.push(`${openIncidents} open incident(s)`);
      if (todayPair.traffic.ratio !== null && todayPair.traffic.ratio < journey.objectives.availability) {
        reasons.push("success rate today below objective");
      }
    } else if (volume.underExposed) {
      state = "under_exposed";
      reasons.push(`${volume.actual} starts in the last hour, ${volume.expected} expected`);
    } else if (divergence.probe === "unknown" && divergence.traffic === "no_traffic" && started === 0) {
      state = "no_data";
      reasons.push("no probe run and no real traffic recently");
    }
    const probeSince =
      downSteps.length || divergence.probe === "down" ? (timeline?.down.at(-1)?.[0] ?? null) : null;
    items.push({
      key,
      name: journey.name,
      state,
      reasons,
      probe: {
        state: divergence.probe,
        since: divergence.probe === "down" && probeSince !== null ? new Date(probeSince).toISOString() : null,
        failingStep: downSteps[0] ?? null,
      },
      availability: {
        today: todayPair,
        last7Days: pair(weekCells, weekAgo),
        objective: journey.objectives.availability,
      },
      volume,
      openIncidents,
      lastHour: {
        started,
        completed: counts.get("completed") ?? 0,
        failed: counts.get("failed") ?? 0,
        rejected: counts.get("rejected") ?? 0,
      },
      steps: divergence.steps.map((s) => ({
        key: s.step,
        probe: s.probe,
        traffic: trafficOf(recentCells.filter((c) => c.journey === key && c.step === s.step)),
      })),
    });
  }
  return { generatedAt: new Date(now).toISOString(), timezone: tz, journeys: items };
}
