import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { RunPage } from "@vigie/contracts";
import { apiGet, type QueryValue } from "../../../lib/api.ts";

/** Filters of the runs explorer, as the API takes them. */
export interface RunFilters {
  journey?: string;
  outcome?: string;
  step?: string;
  errorCode?: string;
  attribute?: string;
  synthetic?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
  sort?: string;
}

/** One page of runs, sorted and filtered on the server. */
export function useRuns(filters: RunFilters) {
  return useQuery({
    queryKey: ["runs", filters],
    queryFn: ({ signal }) =>
      apiGet<RunPage>("/api/v1/runs", filters as unknown as Record<string, QueryValue>, signal),
    placeholderData: keepPreviousData,
  });
}
