import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { IncidentActivity, IncidentNoteInput } from "@vigie/contracts";
import { apiSend } from "../../../lib/api.ts";
import { incidentKey } from "./get-incident.ts";

/** Longest note the server accepts. */
export const MAX_NOTE_LENGTH = 4000;

/** Adds a note to an incident's timeline; the detail is fetched again. */
export function useAddIncidentNote(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: IncidentNoteInput) =>
      apiSend<IncidentActivity>("POST", `/api/v1/incidents/${encodeURIComponent(id)}/notes`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: incidentKey(id) }),
  });
}
