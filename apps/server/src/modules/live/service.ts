/** A message pushed to every live connection: these journeys' figures changed. */
export interface LiveChange {
  journeys: string[];
  /** When the change was noticed, ISO 8601. */
  at: string;
  /** Notices may have been missed (or were too many to name): `journeys` lists every journey. */
  all?: true;
}

/** One open live connection, as the hub sees it: how to send to it, how to end it, who opened it. */
export interface LiveSubscriber {
  send(change: LiveChange): void;
  close(): void;
  /** Whatever the transport knows of who is connected (the HTTP request), for `disconnect`. */
  owner?: unknown;
}

/** Options of the live hub; defaults in brackets. */
export interface LiveHubOptions {
  /** Changes within this window are merged into one message [250 ms]. */
  coalesceMs?: number;
  /** Clock [Date.now]. */
  now?: () => Date;
  /** Every journey's key, for a "refresh everything" message [none]. */
  everyJourney?: () => string[];
}

/**
 * Fans board changes out to this instance's connected browsers. Fed by the PostgreSQL notices of
 * every instance (`listener.ts`), it merges bursts (a batch of 5,000 events is one message, not
 * 5,000) and knows nothing of HTTP.
 */
export function createLiveHub(options: LiveHubOptions = {}) {
  const coalesceMs = options.coalesceMs ?? 250;
  const now = options.now ?? (() => new Date());
  const everyJourney = options.everyJourney ?? (() => []);
  const subscribers = new Set<LiveSubscriber>();
  let pending: Set<string> | null = null;
  let everything = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function schedule(): void {
    if (!timer) timer = setTimeout(flush, coalesceMs);
  }

  function flush(): void {
    timer = undefined;
    if (!everything && (!pending || pending.size === 0)) return;
    const change: LiveChange = everything
      ? {
          journeys: [...new Set([...everyJourney(), ...(pending ?? [])])].sort(),
          at: now().toISOString(),
          all: true,
        }
      : { journeys: [...(pending ?? [])].sort(), at: now().toISOString() };
    pending = null;
    everything = false;
    for (const subscriber of subscribers) {
      try {
        subscriber.send(change);
      } catch {
        // a broken connection is dropped; the others still get the change
        subscribers.delete(subscriber);
      }
    }
  }

  return {
    /** Notes that these journeys changed; subscribers hear of it within `coalesceMs`. */
    journeysChanged(journeys: Iterable<string>): void {
      if (closed) return;
      pending ??= new Set();
      for (const journey of journeys) pending.add(journey);
      if (pending.size > 0) schedule();
    },

    /** Notes that anything may have changed (notices were missed): subscribers refresh everything. */
    everythingChanged(): void {
      if (closed) return;
      everything = true;
      schedule();
    },

    /** Adds a connection; returns the function that removes it. */
    subscribe(subscriber: LiveSubscriber): () => void {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },

    /**
     * Ends the connections whose owner matches (e.g. every connection of a user whose session ended);
     * returns how many were ended.
     */
    disconnect(matches: (owner: unknown) => boolean): number {
      let ended = 0;
      for (const subscriber of [...subscribers]) {
        if (!matches(subscriber.owner)) continue;
        subscribers.delete(subscriber);
        subscriber.close();
        ended += 1;
      }
      return ended;
    },

    /** Open connections. */
    get size(): number {
      return subscribers.size;
    },

    /** Ends every connection and drops what was pending (server shutdown). */
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = null;
      everything = false;
      for (const subscriber of [...subscribers]) subscriber.close();
      subscribers.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
