import { useQuery } from "@tanstack/react-query";
import type { Funnel, FunnelAttribute } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey, rangeQuery } from "./range-query.ts";

/** The funnel of real runs started in the range, broken down by an attribute when `by` is given. */
export function useFunnel(
  journey: string,
  range: TimeRange | null,
  timeZone: string,
  by: FunnelAttribute | null = null,
) {
  return useQuery({
    queryKey: ["journey", journey, "funnel", ...rangeKey(range, timeZone), by ?? "all"],
    queryFn: ({ signal }) =>
      apiGet<Funnel>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/funnel`,
        { ...rangeQuery(range!, timeZone), by: by ?? undefined },
        signal,
      ),
    enabled: range !== null,
    placeholderData: (previous) => previous,
  });
}
