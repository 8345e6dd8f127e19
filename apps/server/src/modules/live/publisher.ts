import { encodeNotice } from "./notice.js";

/** Options of the change publisher; defaults in brackets. */
export interface ChangePublisherOptions {
  /** Sends one payload to every instance (a `pg_notify` on the live channel). */
  notify(payload: string): Promise<unknown>;
  /** At most one notice per window; changes in between travel together in the next one [250 ms]. */
  windowMs?: number;
  /** The notice could not be sent: these journeys' changes reach no instance, not even this one. */
  onFailed?(journeys: string[], error: unknown): void;
  /** Clock in ms [Date.now]. */
  now?: () => number;
}

/**
 * Turns the journeys each commit changed into notices for every instance, one per window at most: a
 * quiet system's first change leaves at once, a burst of commits shares the next notice.
 */
export function createChangePublisher(options: ChangePublisherOptions) {
  const windowMs = options.windowMs ?? 250;
  const now = options.now ?? (() => Date.now());
  const sending = new Set<Promise<void>>();
  let pending: Set<string> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let closed = false;

  function send(): void {
    timer = undefined;
    if (!pending) return;
    const journeys = [...pending].sort();
    pending = null;
    lastSentAt = now();
    const sent: Promise<void> = options
      .notify(encodeNotice(journeys))
      .then(
        () => undefined,
        (error: unknown) => options.onFailed?.(journeys, error),
      )
      .finally(() => sending.delete(sent));
    sending.add(sent);
  }

  return {
    /** Notes that these journeys changed (after their commit); every instance hears of it. */
    journeysChanged(journeys: Iterable<string>): void {
      if (closed) return;
      for (const journey of journeys) {
        pending ??= new Set();
        pending.add(journey);
      }
      if (pending && !timer) timer = setTimeout(send, Math.max(0, lastSentAt + windowMs - now()));
    },

    /** Sends what is pending at once and waits for the notices in flight; later changes are dropped. */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      send();
      await Promise.all([...sending]);
    },
  };
}

export type ChangePublisher = ReturnType<typeof createChangePublisher>;
