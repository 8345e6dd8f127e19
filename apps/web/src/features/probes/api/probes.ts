import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiSend, type QueryValue } from "../../../lib/api.ts";
import type { Page, Probe, ProbeList, ProbeRun } from "./types.ts";

/** Filters and paging of the probe list, as the API takes them. */
export interface ProbeFilters {
  journey?: string;
  kind?: string;
  state?: string;
  search?: string;
  page: number;
  pageSize: number;
  sort?: string;
}

/** One page of probes with their schedule and last outcome, sorted and filtered on the server. */
export function useProbes(filters: ProbeFilters) {
  return useQuery({
    queryKey: ["probes", "list", filters],
    queryFn: ({ signal }) =>
      apiGet<ProbeList>("/api/v1/probes", filters as unknown as Record<string, QueryValue>, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** One probe with its schedule. */
export function useProbe(name: string) {
  return useQuery({
    queryKey: ["probes", "one", name],
    queryFn: ({ signal }) => apiGet<Probe>(`/api/v1/probes/${encodeURIComponent(name)}`, undefined, signal),
    refetchInterval: 30_000,
  });
}

/** One page of a probe's runs, sorted and filtered on the server. */
export function useProbeRuns(
  name: string,
  filters: { outcome?: string; page: number; pageSize: number; sort?: string },
) {
  return useQuery({
    queryKey: ["probes", "runs", name, filters],
    queryFn: ({ signal }) =>
      apiGet<Page<ProbeRun>>(
        `/api/v1/probes/${encodeURIComponent(name)}/runs`,
        filters as unknown as Record<string, QueryValue>,
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** One probe run. */
export function useProbeRun(runId: string | null) {
  return useQuery({
    queryKey: ["probe-runs", runId],
    queryFn: ({ signal }) =>
      apiGet<ProbeRun>(`/api/v1/probe-runs/${encodeURIComponent(runId!)}`, undefined, signal),
    enabled: runId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Runs a probe now; answers with the finished run. */
export function useRunProbeNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiSend<ProbeRun>("POST", `/api/v1/probes/${encodeURIComponent(name)}/runs`),
    onSettled: () => client.invalidateQueries({ queryKey: ["probes"] }),
  });
}

/** Pauses or resumes a probe's schedule. */
export function useSetProbePaused() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, paused }: { name: string; paused: boolean }) =>
      apiSend<Probe>("POST", `/api/v1/probes/${encodeURIComponent(name)}/${paused ? "pause" : "resume"}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["probes"] }),
  });
}
