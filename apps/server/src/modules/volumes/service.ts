import type { VolumeCheck, VolumeHour, Volumes } from "@vigie/contracts";
import { localBuckets, wallClockAt, zonedInstant } from "@vigie/zoned-time";
import { type AnalyticsContext, journeyOrThrow } from "../analytics/context.js";

const HOUR = 3_600_000;
/** Below this expected volume an hour is never called under-exposed (a quiet night is not an outage). */
export const MIN_EXPECTED_PER_HOUR = 5;

/** Median of some numbers; null when none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Robust spread: 1.4826 × the median absolute deviation (≈ standard deviation for normal data). */
export function robustSpread(values: number[]): number | null {
  const m = median(values);
  if (m === null) return null;
  return 1.4826 * median(values.map((v) => Math.abs(v - m)))!;
}

/**
 * Whether an hour is under-exposed: its expected (median) volume is at least MIN_EXPECTED_PER_HOUR and
 * the actual count is below median − 3 × max(spread, √median) (√median: the Poisson noise floor when
 * past weeks were identical).
 */
export function isUnderExposed(actual: number, samples: number[]): boolean {
  const m = median(samples);
  if (m === null || m < MIN_EXPECTED_PER_HOUR) return false;
  const spread = Math.max(robustSpread(samples)!, Math.sqrt(m));
  return actual < m - 3 * spread;
}

/** The same local weekday and hour `weeks` weeks before `hourStart`, one instant per week. */
function sameHourOfPastWeeks(hourStart: number, weeks: number, tz: string): number[] {
  const p = wallClockAt(hourStart, tz);
  return Array.from({ length: weeks }, (_, k) =>
    zonedInstant(tz, p.year, p.month, p.day - 7 * (k + 1), p.hour),
  );
}

/** Real starts and completions per hour of [from, to) against the same weekday and hour of past weeks. */
export async function journeyVolumes(
  ctx: AnalyticsContext,
  key: string,
  query: { from: number; to: number; tz: string; weeks?: number },
): Promise<Volumes> {
  const journey = journeyOrThrow(ctx, key);
  const weeks = query.weeks ?? ctx.volumeWeeks;
  const hours = localBuckets(query.from, query.to, "hour", query.tz);
  const past = new Map(hours.map((h) => [h.start, sameHourOfPastWeeks(h.start, weeks, query.tz)]));
  const wanted = new Set<number>();
  for (const h of hours) {
    wanted.add(h.start);
    for (const t of past.get(h.start)!) wanted.add(t);
  }
  const { starts, completions } = await ctx.repository.hourlyVolumes(key, journey.steps.at(-1)!.key, [
    ...wanted,
  ]);
  const result: VolumeHour[] = hours.map((h) => {
    const startSamples = past.get(h.start)!.map((t) => starts.get(t) ?? 0);
    const completionSamples = past.get(h.start)!.map((t) => completions.get(t) ?? 0);
    const actual = starts.get(h.start) ?? 0;
    return {
      start: new Date(h.start).toISOString(),
      starts: actual,
      completions: completions.get(h.start) ?? 0,
      baseline: {
        starts: { median: median(startSamples), spread: robustSpread(startSamples), samples: startSamples },
        completions: {
          median: median(completionSamples),
          spread: robustSpread(completionSamples),
          samples: completionSamples,
        },
      },
      underExposed: isUnderExposed(actual, startSamples),
    };
  });
  return {
    journey: key,
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    timezone: query.tz,
    weeks,
    hours: result,
  };
}

/** The last complete hour's real starts of every journey against its baseline, in one query. */
export async function lastHourVolumes(
  ctx: AnalyticsContext,
  keys: string[],
  tz: string,
): Promise<Map<string, VolumeCheck>> {
  const hour = Math.floor(ctx.now() / HOUR) * HOUR - HOUR;
  const past = sameHourOfPastWeeks(hour, ctx.volumeWeeks, tz);
  const counts = await ctx.repository.hourlyStarts(keys, [hour, ...past]);
  const out = new Map<string, VolumeCheck>();
  for (const key of keys) {
    const samples = past.map((t) => counts.get(`${key}\u0000${t}`) ?? 0);
    out.set(key, {
      actual: counts.get(`${key}\u0000${hour}`) ?? 0,
      expected: median(samples),
      spread: robustSpread(samples),
      underExposed: isUnderExposed(counts.get(`${key}\u0000${hour}`) ?? 0, samples),
    });
  }
  return out;
}
