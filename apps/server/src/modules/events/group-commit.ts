import { isDatabaseUnavailable, ServiceUnavailableError } from "../../errors.js";
import type { AcceptedEvent } from "./validate.js";

/** How requests' events are grouped into transactions; defaults in brackets. */
export interface GroupCommitOptions {
  /** Transactions storing events at once, per Vigie instance [1]. */
  writers?: number;
  /** Events stored by one transaction at most; a bigger request is stored on its own [10,000]. */
  maxGroupEvents?: number;
  /** Events waiting for a transaction at most; beyond, requests get 503 and retry later [200,000]. */
  maxQueuedEvents?: number;
}

/** Stores events (each source and id once) in one transaction; resolves with those newly stored. */
export type StoreEvents = (events: AcceptedEvent[]) => Promise<AcceptedEvent[]>;

interface Waiting {
  events: AcceptedEvent[];
  resolve(stored: AcceptedEvent[]): void;
  reject(error: unknown): void;
}

const identity = (accepted: AcceptedEvent) => `${accepted.event.source}\n${accepted.event.id}`;

/**
 * Group commit: requests arriving while a transaction is writing wait, then are written together in
 * the next one. Each request still resolves only once its own events are committed, and learns
 * which of them were new. Fewer, larger transactions cost PostgreSQL less per event, and a single
 * writer never waits on its own row locks (projections update the same rollup rows). See ADR 0005.
 */
export function createGroupCommit(store: StoreEvents, options: GroupCommitOptions = {}) {
  const writers = options.writers ?? 1;
  const maxGroupEvents = options.maxGroupEvents ?? 10_000;
  const maxQueuedEvents = options.maxQueuedEvents ?? 200_000;
  const queue: Waiting[] = [];
  let queuedEvents = 0;
  let writing = 0;

  async function storeAlone(request: Waiting): Promise<void> {
    try {
      request.resolve(await store(request.events));
    } catch (error) {
      request.reject(error);
    }
  }

  async function storeGroup(group: Waiting[]): Promise<void> {
    if (group.length === 1) return storeAlone(group[0]!);
    // an event sent by two requests of the group is new for the first one, a duplicate for the other
    const union: AcceptedEvent[] = [];
    const seen = new Set<string>();
    for (const request of group) {
      for (const accepted of request.events) {
        const key = identity(accepted);
        if (seen.has(key)) continue;
        seen.add(key);
        union.push(accepted);
      }
    }
    let stored: Set<AcceptedEvent>;
    try {
      stored = new Set(await store(union));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const request of group) request.reject(error);
        return;
      }
      // One request may be the cause (e.g. a projection refusing its events): each is stored on its
      // own again, so that the others still succeed.
      for (const request of group) await storeAlone(request);
      return;
    }
    for (const request of group) request.resolve(request.events.filter((accepted) => stored.has(accepted)));
  }

  function drain(): void {
    while (writing < writers && queue.length > 0) {
      const group = [queue.shift()!];
      let events = group[0]!.events.length;
      while (queue.length > 0 && events + queue[0]!.events.length <= maxGroupEvents) {
        events += queue[0]!.events.length;
        group.push(queue.shift()!);
      }
      queuedEvents -= events;
      writing += 1;
      void storeGroup(group).finally(() => {
        writing -= 1;
        drain();
      });
    }
  }

  return {
    /**
     * Stores a request's events (each source and id once), possibly in one transaction with other
     * requests' events; resolves with those it stored, once committed.
     */
    write(events: AcceptedEvent[]): Promise<AcceptedEvent[]> {
      if (queuedEvents + events.length > maxQueuedEvents && queue.length > 0) {
        return Promise.reject(
          new ServiceUnavailableError(
            "Too many events are waiting to be stored; send them again shortly.",
            1,
          ),
        );
      }
      return new Promise((resolve, reject) => {
        queue.push({ events, resolve, reject });
        queuedEvents += events.length;
        drain();
      });
    },
  };
}
