import { useQuery } from "@tanstack/react-query";
import type { Funnel } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey, rangeQuery } from "./range-query.ts";

/** The funnel of real runs started in the range. */
export function useFunnel(journey: string, range: TimeRange | null, timeZone: string) {
  return useQuery({
    queryKey: ["journey", journey, "funnel", ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<Funnel>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/funnel`,
        rangeQuery(range!, timeZone),
        signal,
      ),
    enabled: range !== null,
    placeholderData: (previous) => previous,
  });
}
