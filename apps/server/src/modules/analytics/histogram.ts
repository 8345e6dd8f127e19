/** Fixed latency and time-to-convert buckets: quantiles are read from them (upper bound of the bucket). */

/** Upper bounds (ms, inclusive) of the latency histogram buckets; the last one is open. */
export const LATENCY_BOUNDS_MS = [
  10,
  25,
  50,
  75,
  100,
  150,
  200,
  300,
  400,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  4000,
  5000,
  7500,
  10_000,
  15_000,
  20_000,
  30_000,
  60_000,
  Number.POSITIVE_INFINITY,
];

const MIN = 60_000;
/** Upper bounds (ms, inclusive) of the time-to-convert buckets; the last one is open. */
export const CONVERT_BOUNDS_MS = [
  MIN / 2,
  MIN,
  2 * MIN,
  3 * MIN,
  5 * MIN,
  7.5 * MIN,
  10 * MIN,
  15 * MIN,
  20 * MIN,
  30 * MIN,
  45 * MIN,
  60 * MIN,
  90 * MIN,
  120 * MIN,
  180 * MIN,
  240 * MIN,
  360 * MIN,
  480 * MIN,
  720 * MIN,
  1080 * MIN,
  1440 * MIN,
  2160 * MIN,
  2880 * MIN,
  Number.POSITIVE_INFINITY,
];

/** Index of the bucket holding `value`. */
export function bucketOf(bounds: number[], value: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram, as the upper bound of the bucket holding the
 * ⌈q·n⌉-th smallest value (the last finite bound for the open bucket); null when empty.
 */
export function quantile(counts: number[], bounds: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return Number.isFinite(bounds[i]) ? bounds[i]! : bounds[bounds.length - 2]!;
  }
  return bounds[bounds.length - 2]!;
}
