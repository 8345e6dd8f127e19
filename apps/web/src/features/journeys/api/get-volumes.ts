import { useQuery } from "@tanstack/react-query";
import type { Volumes } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey, rangeQuery } from "./range-query.ts";

/** Starts and completions per hour against the same weekday and hour of past weeks. */
export function useVolumes(journey: string, range: TimeRange | null, timeZone: string) {
  return useQuery({
    queryKey: ["journey", journey, "volumes", ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<Volumes>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/volumes`,
        { ...rangeQuery(range!, timeZone), weeks: 4 },
        signal,
      ),
    enabled: range !== null,
    placeholderData: (previous) => previous,
  });
}
