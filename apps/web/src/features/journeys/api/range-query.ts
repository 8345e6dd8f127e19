import type { TimeRange } from "../../../lib/time-range.ts";
import { bucketFor } from "../../../lib/time-range.ts";

/** The query parameters every analytics read takes for a time range. */
export function rangeQuery(range: TimeRange, timeZone: string) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), tz: timeZone };
}

/** Part of a query key that changes when the range does. */
export function rangeKey(range: TimeRange | null, timeZone: string): string[] {
  return range ? [range.from.toISOString(), range.to.toISOString(), timeZone, bucketFor(range)] : ["none"];
}
