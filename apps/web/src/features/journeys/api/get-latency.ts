import { useQuery } from "@tanstack/react-query";
import type { Latency } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey, rangeQuery } from "./range-query.ts";

/** Latency percentiles per step, real or synthetic traffic. */
export function useLatency(
  journey: string,
  range: TimeRange | null,
  timeZone: string,
  origin: "real" | "synthetic",
) {
  return useQuery({
    queryKey: ["journey", journey, "latency", origin, ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<Latency>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/latency`,
        { ...rangeQuery(range!, timeZone), origin },
        signal,
      ),
    enabled: range !== null,
    placeholderData: (previous) => previous,
  });
}
