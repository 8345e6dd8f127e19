import { useQuery } from "@tanstack/react-query";
import type { IncidentPage } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey } from "./range-query.ts";

/** The journey's incidents that overlap the range, newest first. */
export function useJourneyIncidents(journey: string, range: TimeRange, timeZone: string) {
  return useQuery({
    queryKey: ["journey", journey, "incidents", ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<IncidentPage>(
        "/api/v1/incidents",
        {
          journey,
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          sort: "startedAt:desc",
          pageSize: 10,
        },
        signal,
      ),
    placeholderData: (previous) => previous,
  });
}
