import type { TimeAvailability } from "@vigie/contracts";
import { localBuckets, wallClockAt, zonedInstant } from "@vigie/zoned-time";
import type { JourneyConfig } from "../../config.js";
import { clip, type Interval, normalize, subtract, totalLength } from "../analytics/intervals.js";

/** What time-based availability is computed from, for one series (journey or step). */
export interface ProbeTimeline {
  /** First and last judged probe run; null when probes never judged this series. */
  firstAt: number | null;
  lastAt: number | null;
  /** Confirmed down periods (open ones end at +∞). */
  down: Interval[];
  /** Stale gaps between judged runs. */
  stale: Interval[];
}

/** Business hours of a journey as intervals over [from, to), in the journey's timezone. */
export function businessHours(
  hours: NonNullable<JourneyConfig["businessHours"]>,
  from: number,
  to: number,
  tz: string,
): Interval[] {
  const out: Interval[] = [];
  const [fh, fm] = hours.from.split(":").map(Number) as [number, number];
  const [th, tm] = hours.to.split(":").map(Number) as [number, number];
  for (const day of localBuckets(from - 86_400_000, to + 86_400_000, "day", tz)) {
    const p = wallClockAt(day.start, tz);
    const weekday = ((new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7) + 1;
    if (!hours.days.includes(weekday)) continue;
    out.push([
      zonedInstant(tz, p.year, p.month, p.day, fh, fm),
      zonedInstant(tz, p.year, p.month, p.day, th, tm),
    ]);
  }
  return normalize(clip(out, from, to));
}

/** Time excluded from time-based availability over [from, to): maintenance, and outside business hours if asked. */
export function excludedTime(journey: JourneyConfig, from: number, to: number, tz: string): Interval[] {
  const excluded: Interval[] = journey.maintenance.map((m) => [Date.parse(m.start), Date.parse(m.end)]);
  if (journey.businessHours?.availabilityOnly) {
    excluded.push(...subtract([[from, to]], businessHours(journey.businessHours, from, to, tz)));
  }
  return normalize(clip(excluded, from, to));
}

/** Time-based availability of an empty range: nothing observed, no ratio. */
export function noTimeAvailability(): TimeAvailability {
  return { method: "time", ratio: null, upSeconds: 0, downSeconds: 0, unknownSeconds: 0, excludedSeconds: 0 };
}

/**
 * Time-based availability over [from, to) (clipped to `now`): measured time is the range minus
 * excluded time minus unknown time (before the first judged probe run, stale gaps, and after the last
 * one plus `staleAfterMs`); down time is measured time within confirmed down periods;
 * ratio = up / (up + down).
 */
export function timeAvailability(
  timeline: ProbeTimeline,
  from: number,
  to: number,
  now: number,
  excluded: Interval[],
  staleAfterMs: number,
): TimeAvailability {
  const end = Math.min(to, now);
  if (end <= from) return noTimeAvailability();
  const range: Interval[] = [[from, end]];
  const ex = normalize(clip(excluded, from, end));
  const unknown: Interval[] =
    timeline.firstAt === null || timeline.lastAt === null
      ? [[from, end]]
      : normalize([
          [Number.NEGATIVE_INFINITY, timeline.firstAt],
          ...timeline.stale,
          [timeline.lastAt + staleAfterMs, Number.POSITIVE_INFINITY],
        ]);
  const counted = subtract(range, ex);
  const known = subtract(counted, normalize(clip(unknown, from, end)));
  const down = normalize(clip(timeline.down, from, end));
  const downKnown = subtract(known, subtract(known, down));
  const measured = totalLength(known);
  const downMs = totalLength(downKnown);
  return {
    method: "time",
    ratio: measured > 0 ? (measured - downMs) / measured : null,
    upSeconds: (measured - downMs) / 1000,
    downSeconds: downMs / 1000,
    unknownSeconds: (totalLength(counted) - measured) / 1000,
    excludedSeconds: totalLength(ex) / 1000,
  };
}
