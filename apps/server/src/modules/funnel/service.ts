import type { Funnel, FunnelAttribute, FunnelFigures } from "@vigie/contracts";
import type { JourneyConfig } from "../../config.js";
import { ValidationError } from "../../errors.js";
import { type AnalyticsContext, journeyOrThrow } from "../analytics/context.js";
import { CONVERT_BOUNDS_MS, quantile } from "../analytics/histogram.js";
import type { CohortCell } from "../analytics/repository.js";

/** Attributes a funnel can be broken down by (those kept in the cohorts). */
export const FUNNEL_ATTRIBUTES = ["product", "channel"] as const satisfies readonly FunnelAttribute[];

/** Funnel figures of some cohort cells (real runs started in the range). */
export function funnelFigures(journey: JourneyConfig, cells: CohortCell[]): FunnelFigures {
  const steps = journey.steps.map((s) => s.key);
  const reachedAt = steps.map(() => 0);
  const drop = steps.map(() => ({
    technicalFailure: 0,
    businessRejection: 0,
    abandonment: 0,
    inProgress: 0,
  }));
  const convert = CONVERT_BOUNDS_MS.map(() => 0);
  let started = 0;
  let completed = 0;
  let recovered = 0;
  for (const c of cells) {
    started += c.runs;
    for (let i = 0; i <= Math.min(c.furthestStep, steps.length - 1); i++) reachedAt[i]! += c.runs;
    if (c.outcome === "completed") {
      completed += c.runs;
      if (c.convertBucket >= 0) convert[c.convertBucket]! += c.runs;
    } else {
      const d = drop[Math.min(c.furthestStep, steps.length - 1)]!;
      if (c.outcome === "failed") d.technicalFailure += c.runs;
      else if (c.outcome === "rejected") d.businessRejection += c.runs;
      else if (c.outcome === "abandoned") d.abandonment += c.runs;
      else d.inProgress += c.runs;
    }
    if (c.recovered && c.outcome === "completed") recovered += c.runs;
  }
  return {
    started,
    completed,
    conversion: started > 0 ? completed / started : null,
    recoveredFailures: recovered,
    timeToConvertMs: {
      p50: quantile(convert, CONVERT_BOUNDS_MS, 0.5),
      p90: quantile(convert, CONVERT_BOUNDS_MS, 0.9),
    },
    steps: steps.map((step, i) => ({
      step,
      reached: reachedAt[i]!,
      conversionFromStart: started > 0 ? reachedAt[i]! / started : null,
      conversionFromPrevious: i === 0 || reachedAt[i - 1] === 0 ? null : reachedAt[i]! / reachedAt[i - 1]!,
      dropOff: drop[i]!,
    })),
  };
}

/**
 * Funnel of the real runs of a journey started in [from, to) (hour resolution), optionally broken
 * down by product or channel and compared with the previous period of the same length.
 */
export async function journeyFunnel(
  ctx: AnalyticsContext,
  key: string,
  query: { from: number; to: number; tz: string; by?: string; compare?: "previous" },
): Promise<Funnel> {
  const journey = journeyOrThrow(ctx, key);
  if (query.by !== undefined && !(FUNNEL_ATTRIBUTES as readonly string[]).includes(query.by)) {
    throw new ValidationError(
      `A funnel can be broken down by ${FUNNEL_ATTRIBUTES.join(" or ")}, not "${query.by}".`,
    );
  }
  const cells = await ctx.repository.cohortCells({
    journey: key,
    from: query.from,
    to: query.to,
    tz: query.tz,
  });
  const answer: Funnel = {
    journey: key,
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    timezone: query.tz,
    figures: funnelFigures(journey, cells),
  };
  if (query.compare === "previous") {
    const length = query.to - query.from;
    const previous = await ctx.repository.cohortCells({
      journey: key,
      from: query.from - length,
      to: query.from,
      tz: query.tz,
    });
    answer.previous = {
      from: new Date(query.from - length).toISOString(),
      to: answer.from,
      figures: funnelFigures(journey, previous),
    };
  }
  if (query.by) {
    const by = query.by as FunnelAttribute;
    const groups = new Map<string, CohortCell[]>();
    for (const c of cells) {
      const value = c[by];
      groups.set(value, [...(groups.get(value) ?? []), c]);
    }
    answer.breakdown = {
      attribute: by,
      groups: [...groups.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([value, list]) => ({ value, figures: funnelFigures(journey, list) })),
    };
  }
  return answer;
}
