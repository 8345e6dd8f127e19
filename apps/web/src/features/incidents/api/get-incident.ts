import { useQuery } from "@tanstack/react-query";
import type { IncidentDetail } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";

/** Query key of one incident's detail (mutations invalidate it). */
export const incidentKey = (id: string) => ["incidents", "one", id] as const;

/** One incident with its timeline, the alerts sent and the runs behind it. */
export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKey(id),
    queryFn: ({ signal }) =>
      apiGet<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`, undefined, signal),
  });
}
