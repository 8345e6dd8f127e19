import type { IngestResult } from "@vigie/contracts";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { createGroupCommit, type GroupCommitOptions } from "./group-commit.js";
import type { EventProjection, EventsRepository } from "./repository.js";
import { type AcceptedEvent, type EventLimits, validateStepEvents } from "./validate.js";

/** What the events service needs; defaults in brackets. */
export interface EventsServiceDeps {
  repository: EventsRepository;
  journeys: JourneyCatalogue;
  limits: EventLimits;
  /** Derived data maintained in the storing transaction [none]. */
  projections?: EventProjection[];
  /** Clock [Date.now]. */
  now?: () => Date;
  onIngested?: (result: IngestResult & { rejected: number }) => void;
  /**
   * Called after the transaction committed with the events it stored (never with duplicates), e.g.
   * to evaluate alert rules at once. Errors are the listener's own: they never fail the request.
   */
  afterCommit?: ((stored: AcceptedEvent[]) => void)[];
  /** How concurrent requests share transactions [one writer, groups of up to 10,000 events]. */
  groupCommit?: GroupCommitOptions;
}

/** Calendar months (UTC, `YYYY-MM`) from the month of `from` to the month of `to`. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  const last = to.getUTCFullYear() * 12 + to.getUTCMonth();
  for (let month = from.getUTCFullYear() * 12 + from.getUTCMonth(); month <= last; month++) {
    months.push(`${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}`);
  }
  return months;
}

/** Ingestion of `vigie.step` events: validation, de-duplication and durable storage. */
export function createEventsService(deps: EventsServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const knownMonths = new Set<string>();
  const writer = createGroupCommit(
    (events) => deps.repository.store(events, deps.projections),
    deps.groupCommit,
  );

  async function ensurePartitionsFor(events: AcceptedEvent[]): Promise<void> {
    // Only the span matters: its months are checked without formatting every event's date.
    let earliest = Number.POSITIVE_INFINITY;
    let latest = Number.NEGATIVE_INFINITY;
    for (const { time } of events) {
      const at = time.getTime();
      if (at < earliest) earliest = at;
      if (at > latest) latest = at;
    }
    const months = monthsBetween(new Date(earliest), new Date(latest));
    if (months.every((m) => knownMonths.has(m))) return;
    await deps.repository.ensurePartitions(new Date(`${months[0]}-01`), new Date(`${months.at(-1)}-01`));
    for (const month of months) knownMonths.add(month);
  }

  return {
    /** Creates the partitions for the whole accepted time range, so that ingestion never waits on DDL. */
    async preparePartitions(): Promise<void> {
      const at = now().getTime();
      await deps.repository.ensurePartitions(
        new Date(at - deps.limits.maxEventAgeMs),
        new Date(at + deps.limits.maxClockSkewMs + 31 * 86_400_000),
      );
      for (const month of await deps.repository.partitionMonths()) knownMonths.add(month);
    },

    /**
     * Validates then stores a request's events; resolves only once they are committed. Events already
     * stored (same source and id), or repeated in the request, count as duplicates.
     */
    async ingest(raw: unknown[]): Promise<IngestResult> {
      let events: AcceptedEvent[];
      try {
        events = validateStepEvents(raw, deps.journeys, deps.limits, now());
      } catch (error) {
        deps.onIngested?.({ accepted: 0, duplicates: 0, rejected: raw.length });
        throw error;
      }
      const unique = new Map<string, AcceptedEvent>();
      for (const accepted of events) {
        const key = `${accepted.event.source}\n${accepted.event.id}`;
        if (!unique.has(key)) unique.set(key, accepted);
      }
      let stored: AcceptedEvent[] = [];
      if (unique.size > 0) {
        await ensurePartitionsFor([...unique.values()]);
        stored = await writer.write([...unique.values()]);
      }
      const result = { accepted: stored.length, duplicates: events.length - stored.length };
      if (stored.length > 0) {
        for (const listener of deps.afterCommit ?? []) {
          try {
            listener(stored);
          } catch {
            // a listener's failure is its own; the events are committed
          }
        }
      }
      deps.onIngested?.({ ...result, rejected: 0 });
      return result;
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
