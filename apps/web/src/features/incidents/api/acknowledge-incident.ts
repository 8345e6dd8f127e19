import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { IncidentAcknowledgeResult } from "@vigie/contracts";
import { apiSend } from "../../../lib/api.ts";

/** Acknowledges an incident (and its journey's firing alerts); the detail and the list are fetched again. */
export function useAcknowledgeIncident(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiSend<IncidentAcknowledgeResult>("POST", `/api/v1/incidents/${encodeURIComponent(id)}/acknowledge`),
    onSettled: () => client.invalidateQueries({ queryKey: ["incidents"] }),
  });
}
