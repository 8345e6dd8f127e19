import type { Latency } from "@vigie/contracts";
import { type AnalyticsContext, journeyOrThrow } from "../analytics/context.js";
import { LATENCY_BOUNDS_MS, quantile } from "../analytics/histogram.js";

/** p50/p95/p99 per step over [from, to) from the rollups' latency histograms (step outcomes with a duration). */
export async function journeyLatency(
  ctx: AnalyticsContext,
  key: string,
  query: { from: number; to: number; origin: "real" | "synthetic" },
): Promise<Latency> {
  const journey = journeyOrThrow(ctx, key);
  const cells = await ctx.repository.stepCells({
    journeys: [key],
    from: query.from,
    to: query.to,
    tz: ctx.timezone,
    synthetic: query.origin === "synthetic",
    histogram: true,
  });
  return {
    journey: key,
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    origin: query.origin,
    steps: journey.steps.map((step) => {
      const counts = LATENCY_BOUNDS_MS.map(() => 0);
      for (const c of cells) {
        if (c.step !== step.key) continue;
        c.histogram?.forEach((n, i) => {
          counts[i]! += n;
        });
      }
      return {
        step: step.key,
        count: counts.reduce((a, b) => a + b, 0),
        p50: quantile(counts, LATENCY_BOUNDS_MS, 0.5),
        p95: quantile(counts, LATENCY_BOUNDS_MS, 0.95),
        p99: quantile(counts, LATENCY_BOUNDS_MS, 0.99),
        objectiveMs: step.latencyObjectiveMs ?? null,
      };
    }),
  };
}
