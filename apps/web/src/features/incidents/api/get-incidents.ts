import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { IncidentPage } from "@vigie/contracts";
import { apiGet, type QueryValue } from "../../../lib/api.ts";

/** Filters of the incidents list, as the API takes them. */
export interface IncidentFilters {
  journey?: string;
  status?: string;
  seenBy?: string;
  step?: string;
  acknowledged?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
  sort?: string;
}

/** One page of incidents, sorted and filtered on the server. */
export function useIncidents(filters: IncidentFilters) {
  return useQuery({
    queryKey: ["incidents", filters],
    queryFn: ({ signal }) =>
      apiGet<IncidentPage>("/api/v1/incidents", filters as unknown as Record<string, QueryValue>, signal),
    placeholderData: keepPreviousData,
  });
}
