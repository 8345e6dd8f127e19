import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiSend } from "../../../lib/api.ts";
import type { Probe, ProbeList, ProbeRun } from "./types.ts";

/** Every probe with its schedule. */
export function useProbes() {
  return useQuery({
    queryKey: ["probes"],
    queryFn: ({ signal }) => apiGet<ProbeList>("/api/v1/probes", undefined, signal),
    refetchInterval: 30_000,
  });
}

/** A probe's latest runs, newest first. */
export function useProbeRuns(name: string, outcome?: string, limit = 100) {
  return useQuery({
    queryKey: ["probes", name, "runs", outcome ?? "", limit],
    queryFn: ({ signal }) =>
      apiGet<{ runs: ProbeRun[] }>(
        `/api/v1/probes/${encodeURIComponent(name)}/runs`,
        { limit, outcome },
        signal,
      ),
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
