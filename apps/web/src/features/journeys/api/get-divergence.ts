import { useQuery } from "@tanstack/react-query";
import type { JourneyDivergence } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";

/** Probe state against real traffic, now, step by step. */
export function useDivergence(journey: string) {
  return useQuery({
    queryKey: ["journey", journey, "divergence"],
    queryFn: ({ signal }) =>
      apiGet<JourneyDivergence>(
        `/api/v1/journeys/${encodeURIComponent(journey)}/divergence`,
        undefined,
        signal,
      ),
  });
}
