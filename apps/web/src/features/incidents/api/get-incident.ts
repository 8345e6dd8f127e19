import { useQuery } from "@tanstack/react-query";
import type { Incident } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";

/** One incident. */
export function useIncident(id: string) {
  return useQuery({
    queryKey: ["incidents", "one", id],
    queryFn: ({ signal }) =>
      apiGet<Incident>(`/api/v1/incidents/${encodeURIComponent(id)}`, undefined, signal),
  });
}
