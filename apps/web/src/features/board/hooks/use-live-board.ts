import { useQueryClient } from "@tanstack/react-query";
import { useLiveChanges } from "../../../lib/live.tsx";

/** Refreshes the board as soon as the server says a journey's figures changed. */
export function useLiveBoard(): void {
  const client = useQueryClient();
  useLiveChanges(() => {
    void client.invalidateQueries({ queryKey: ["board"] });
  });
}
