import type {
  AvailabilityMethod,
  AvailabilitySeries,
  Bucket,
  JourneyAvailability,
  TimeAvailability,
  TrafficAvailability,
} from "@vigie/contracts";
import { localBuckets } from "@vigie/zoned-time";
import type { JourneyConfig } from "../../config.js";
import { type AnalyticsContext, journeyOrThrow } from "../analytics/context.js";
import type { Interval } from "../analytics/intervals.js";
import type { StepCell } from "../analytics/repository.js";
import { excludedTime, noTimeAvailability, type ProbeTimeline, timeAvailability } from "./time-based.js";

/** Success rate of real traffic from step cells: ok and rejected are good, error is bad. */
export function trafficOf(cells: StepCell[]): TrafficAvailability {
  let good = 0;
  let bad = 0;
  for (const c of cells) {
    if (c.outcome === "ok" || c.outcome === "rejected") good += c.events;
    else if (c.outcome === "error") bad += c.events;
  }
  return { method: "traffic", ratio: good + bad > 0 ? good / (good + bad) : null, good, bad };
}

/** Probe timelines of a journey's series ("" = journey level), from the repository's rows. */
export async function probeTimelines(
  ctx: AnalyticsContext,
  journeys: string[],
  from: number,
  to: number,
): Promise<Map<string, ProbeTimeline>> {
  const { periods, series } = await ctx.repository.probeTimeline(journeys, from, to);
  const out = new Map<string, ProbeTimeline>();
  for (const s of series) {
    out.set(`${s.journey}\u0000${s.step}`, {
      firstAt: s.first_at.getTime(),
      lastAt: s.last_at.getTime(),
      down: [],
      stale: [],
    });
  }
  for (const p of periods) {
    const timeline = out.get(`${p.journey}\u0000${p.step}`);
    if (!timeline) continue;
    const interval: Interval = [p.started_at.getTime(), p.ended_at?.getTime() ?? Number.POSITIVE_INFINITY];
    (p.kind === "down" ? timeline.down : timeline.stale).push(interval);
  }
  return out;
}

const NO_TIMELINE: ProbeTimeline = { firstAt: null, lastAt: null, down: [], stale: [] };

/** Time-based availability of one series over [from, to). */
export function timeOf(
  journey: JourneyConfig,
  timeline: ProbeTimeline | undefined,
  from: number,
  to: number,
  now: number,
  tz: string,
): TimeAvailability {
  return timeAvailability(
    timeline ?? NO_TIMELINE,
    from,
    to,
    now,
    excludedTime(journey, from, to, tz),
    journey.probes.staleAfter,
  );
}

/**
 * Availability of a journey and each of its steps over [from, to), in local buckets of `tz`, by the
 * requested method(s).
 */
export async function journeyAvailability(
  ctx: AnalyticsContext,
  key: string,
  query: { from: number; to: number; tz: string; bucket: Bucket; method?: AvailabilityMethod },
): Promise<JourneyAvailability> {
  const journey = journeyOrThrow(ctx, key);
  const { from, to, tz, bucket } = query;
  const now = ctx.now();
  const methods: AvailabilityMethod[] = query.method ? [query.method] : ["traffic", "time"];
  const buckets = localBuckets(from, to, bucket, tz).map((b) => ({
    start: Math.max(b.start, from),
    end: Math.min(b.end, to),
  }));
  const cells = methods.includes("traffic")
    ? await ctx.repository.stepCells({
        journeys: [key],
        from,
        to,
        tz,
        synthetic: false,
        byBucket: true,
        hourly: bucket === "hour",
      })
    : [];
  const timelines = methods.includes("time") ? await probeTimelines(ctx, [key], from, to) : new Map();
  const bucketIndex = (at: number) => {
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (buckets[mid]!.start <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const cellsByBucket = buckets.map(() => [] as StepCell[]);
  for (const c of cells) cellsByBucket[bucketIndex(c.bucket)]!.push(c);

  const emptyTraffic: TrafficAvailability = { method: "traffic", ratio: null, good: 0, bad: 0 };
  const emptyTime = noTimeAvailability();
  const series = (step: string | null): AvailabilitySeries => {
    const keep = (c: StepCell) => step === null || c.step === step;
    const timeline = timelines.get(`${key}\u0000${step ?? ""}`);
    const traffic = (list: StepCell[]) =>
      methods.includes("traffic") ? trafficOf(list.filter(keep)) : emptyTraffic;
    const time = (s: number, e: number) =>
      methods.includes("time") ? timeOf(journey, timeline, s, e, now, tz) : emptyTime;
    return {
      total: { traffic: traffic(cells), time: time(from, to) },
      buckets: buckets.map((b, i) => ({
        start: new Date(b.start).toISOString(),
        end: new Date(b.end).toISOString(),
        traffic: traffic(cellsByBucket[i]!),
        time: time(b.start, b.end),
      })),
    };
  };
  return {
    journey: key,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    timezone: tz,
    bucket,
    methods,
    journeyLevel: series(null),
    steps: journey.steps.map((s) => ({ step: s.key, ...series(s.key) })),
  };
}
