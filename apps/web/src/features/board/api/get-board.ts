import { type QueryClient, useQuery } from "@tanstack/react-query";
import type { Board } from "@vigie/contracts";
import { apiGet } from "../../../lib/api.ts";
import { storedTimeZone, usePreferences } from "../../../lib/preferences.tsx";

/** The board's query in that timezone. */
function boardQuery(timeZone: string) {
  return {
    queryKey: ["board", timeZone],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      apiGet<Board>("/api/v1/board", { tz: timeZone }, signal),
    // Live updates refresh it at once; this is the safety net if the stream is cut.
    refetchInterval: 60_000,
  };
}

/** The live board: every journey's state, availability, volume and probe state. */
export function useBoard() {
  const { timeZone } = usePreferences();
  return useQuery(boardQuery(timeZone));
}

/**
 * Asks for the board at once, while the app is still rendering its frame (the home page's route
 * loader): the page then finds the answer on its way instead of asking only once mounted.
 */
export function prefetchBoard(client: QueryClient): void {
  void client.prefetchQuery(boardQuery(storedTimeZone()));
}
