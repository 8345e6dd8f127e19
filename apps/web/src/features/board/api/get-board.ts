import { useQuery } from "@tanstack/react-query";
import type { Board } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import { usePreferences } from "../../../lib/preferences.tsx";

/** The live board: every journey's state, availability, volume and probe state. */
export function useBoard() {
  const { timeZone } = usePreferences();
  return useQuery({
    queryKey: ["board", timeZone],
    queryFn: ({ signal }) => apiGet<Board>("/api/v1/board", { tz: timeZone }, signal),
    // Live updates refresh it at once; this is the safety net if the stream is cut.
    refetchInterval: 60_000,
  });
}
