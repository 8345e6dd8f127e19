import type { Principal } from "../../access.js";
import { AccessDeniedError } from "../../errors.js";

/** Refuses events whose `source` is not the one the ingest key was issued for (keys without a source send for any). */
export function assertSourcesAllowed(principal: Principal | undefined, events: readonly unknown[]): void {
  if (principal?.kind !== "ingest-key" || principal.source === null) return;
  for (const event of events) {
    const source = (event as { source?: unknown } | null)?.source;
    if (source !== principal.source) {
      throw new AccessDeniedError(
        `This ingest key sends only for source "${principal.source}", not "${String(source).slice(0, 200)}".`,
      );
    }
  }
}
