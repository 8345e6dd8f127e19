import { useQueryClient } from "@tanstack/react-query";
import { useLiveChanges } from "../../../lib/live.tsx";

/** New events may open or close incidents: the list and details are fetched again. */
export function useLiveIncidents(): void {
  const client = useQueryClient();
  useLiveChanges(() => {
    void client.invalidateQueries({ queryKey: ["incidents"] });
  }, 3000);
}
