import { useQuery } from "@tanstack/react-query";
import type { RunDetail } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";

/** One run with its events in time order. */
export function useRun(journey: string, runId: string) {
  return useQuery({
    queryKey: ["runs", "one", journey, runId],
    queryFn: ({ signal }) =>
      apiGet<RunDetail>(
        `/api/v1/runs/${encodeURIComponent(journey)}/${encodeURIComponent(runId)}`,
        undefined,
        signal,
      ),
  });
}
