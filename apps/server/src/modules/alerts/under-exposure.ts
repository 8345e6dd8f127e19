/**
 * Under-exposure: far fewer starts (or completions) than usual for this weekday and hour. Three
 * tests must all agree before it fires, so that a quiet night does not look like an outage:
 * - enough traffic is expected to judge (`minExpected`): 2 expected and 0 seen is not evidence;
 * - the observed/expected ratio is below `ratio`;
 * - seeing so few under a Poisson law of the expected mean is unlikely (tail below `maxPValue`).
 */

/** Thresholds of an under-exposure rule; defaults in brackets. */
export interface UnderExposureThresholds {
  /** Observed/expected below this is "far below" [0.5]. */
  ratio: number;
  /** Poisson lower-tail probability below this is not chance [0.001]. */
  maxPValue: number;
  /** Below this many expected events the window says nothing [10]. */
  minExpected: number;
}

export const DEFAULT_UNDER_EXPOSURE: UnderExposureThresholds = {
  ratio: 0.5,
  maxPValue: 0.001,
  minExpected: 10,
};

/** P(X ≤ k) for X ~ Poisson(mean), summed in log space so that large means do not overflow. */
export function poissonLowerTail(k: number, mean: number): number {
  if (k < 0) return 0;
  if (mean <= 0) return 1;
  let logTerm = -mean; // log P(X = 0)
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log(mean) - Math.log(i);
    sum += Math.exp(logTerm);
    if (sum >= 1) return 1;
  }
  return Math.min(1, sum);
}

/** Median of a list (the baseline resists one odd week); undefined when empty. */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The verdict on one window, with the figures that explain it. */
export interface ExposureVerdict {
  observed: number;
  expected: number | null;
  ratio: number | null;
  pValue: number | null;
  /** Baseline weeks used (those overlapping incidents, maintenance or holidays are left out). */
  baselineWeeks: number;
  underExposed: boolean;
  /** Why it does or does not fire, in words. */
  reason: "under-exposed" | "not-enough-expected" | "no-baseline" | "ratio-ok" | "plausible-by-chance";
}

/** Judges one window: observed count against the counts of the same window in past weeks. */
export function judgeExposure(
  observed: number,
  baseline: number[],
  thresholds: UnderExposureThresholds = DEFAULT_UNDER_EXPOSURE,
): ExposureVerdict {
  const expected = median(baseline);
  const base = { observed, baselineWeeks: baseline.length };
  if (expected === undefined) {
    return { ...base, expected: null, ratio: null, pValue: null, underExposed: false, reason: "no-baseline" };
  }
  const ratio = expected > 0 ? observed / expected : 1;
  const pValue = poissonLowerTail(observed, expected);
  const verdict = { ...base, expected, ratio, pValue };
  if (expected < thresholds.minExpected)
    return { ...verdict, underExposed: false, reason: "not-enough-expected" };
  if (ratio >= thresholds.ratio) return { ...verdict, underExposed: false, reason: "ratio-ok" };
  if (pValue >= thresholds.maxPValue)
    return { ...verdict, underExposed: false, reason: "plausible-by-chance" };
  return { ...verdict, underExposed: true, reason: "under-exposed" };
}

/**
 * A past window kept in the baseline only if it overlaps no incident, maintenance window or
 * declared holiday: a week that was itself broken would lower the expectation.
 */
export function usableBaselineWindow(
  window: { from: number; to: number; localDates: string[] },
  excluded: { from: number; to: number }[],
  holidays: Set<string>,
): boolean {
  if (window.localDates.some((d) => holidays.has(d))) return false;
  return !excluded.some((e) => e.from < window.to && e.to > window.from);
}
