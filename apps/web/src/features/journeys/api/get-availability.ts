import { useQuery } from "@tanstack/react-query";
import type { JourneyAvailability } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import { bucketFor, type TimeRange } from "../../../lib/time-range.ts";
import { rangeKey, rangeQuery } from "./range-query.ts";

/** Availability of a journey and its steps over a range, both methods, bucketed. */
export function useAvailability(journey: string, range: TimeRange | null, timeZone: string) {
  return useQuery({
    queryKey: ["journey", journey, "availability", ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<JourneyAvailability>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/availability`,
        { ...rangeQuery(range!, timeZone), bucket: bucketFor(range!) },
        signal,
      ),
    enabled: range !== null,
    placeholderData: (previous) => previous,
  });
}
