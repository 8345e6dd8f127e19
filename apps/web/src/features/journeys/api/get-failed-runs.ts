import { useQuery } from "@tanstack/react-query";
import type { RunPage } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { rangeKey } from "./range-query.ts";

/** How many failed runs the top-errors panel reads (the latest ones in the range). */
export const FAILED_RUNS_SAMPLE = 200;

/** The latest real runs that failed in the range, for the top error codes. */
export function useFailedRuns(journey: string, range: TimeRange, timeZone: string) {
  return useQuery({
    queryKey: ["journey", journey, "failed-runs", ...rangeKey(range, timeZone)],
    queryFn: ({ signal }) =>
      apiGet<RunPage>(
        "/api/v1/runs",
        {
          journey,
          outcome: "failed",
          synthetic: false,
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          sort: "startedAt:desc",
          pageSize: FAILED_RUNS_SAMPLE,
        },
        signal,
      ),
    placeholderData: (previous) => previous,
  });
}
