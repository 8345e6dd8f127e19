import type { ClientStats, StepCloudEvent, VigieSdkError } from "./types.js";

/** What the sender needs; every field is resolved by the client (no defaults here). */
export interface SenderOptions {
  endpoint: string;
  apiKey: string;
  batchSize: number;
  flushIntervalMs: number;
  maxBufferedEvents: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  requestTimeoutMs: number;
  fetch: typeof fetch;
  random: () => number;
  report: (error: VigieSdkError) => void;
}

type Attempt = "sent" | "retry" | "empty";

/**
 * A bounded in-memory queue of events and the one loop that sends them in batches. At most one
 * request is in flight, so events reach Vigie in the order they were emitted. A failed batch goes
 * back to the head of the queue with the same event ids: Vigie counts a resent event only once.
 */
export function createSender(options: SenderOptions) {
  let queue: StepCloudEvent[] = [];
  let inFlight: Promise<Attempt> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerDue = Number.POSITIVE_INFINITY;
  let failures = 0;
  let retryNotBefore = 0;
  let batchLimit = options.batchSize;
  let overflowReported = false;
  let stopped = false;
  const stats: Omit<ClientStats, "buffered"> = {
    sent: 0,
    dropped: 0,
    rejected: 0,
    lostOnShutdown: 0,
    failedAttempts: 0,
  };

  function enforceBound(): void {
    const excess = queue.length - options.maxBufferedEvents;
    if (excess <= 0) {
      overflowReported = false;
      return;
    }
    queue.splice(0, excess);
    stats.dropped += excess;
    // one report per overflow episode, not one per event
    if (!overflowReported) {
      overflowReported = true;
      options.report({
        kind: "buffer-full",
        message: `Buffer full (${options.maxBufferedEvents} events): the oldest events are dropped.`,
        events: excess,
      });
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    const due = Date.now() + Math.max(0, delayMs);
    if (timer && timerDue <= due) return;
    if (timer) clearTimeout(timer);
    timerDue = due;
    timer = setTimeout(
      () => {
        timer = undefined;
        timerDue = Number.POSITIVE_INFINITY;
        void pump();
      },
      Math.max(0, delayMs),
    );
    // the SDK never keeps the host process alive by itself
    timer.unref?.();
  }

  function backoffMs(retryAfterSeconds?: number): number {
    const exponential = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** (failures - 1));
    // equal jitter: half fixed, half random, so that many clients do not retry in step
    const jittered = exponential / 2 + options.random() * (exponential / 2);
    return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
  }

  function requeue(events: StepCloudEvent[]): void {
    queue = events.concat(queue);
    enforceBound();
  }

  async function post(batch: StepCloudEvent[]): Promise<Response> {
    return options.fetch(options.endpoint, {
      method: "POST",
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        "content-type": "application/cloudevents-batch+json",
      },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(options.requestTimeoutMs),
    });
  }

  function failed(batch: StepCloudEvent[], error: VigieSdkError, retryAfterSeconds?: number): Attempt {
    stats.failedAttempts += 1;
    failures += 1;
    requeue(batch);
    const delay = backoffMs(retryAfterSeconds);
    retryNotBefore = Date.now() + delay;
    options.report({ ...error, message: `${error.message} Retrying in ${Math.round(delay)} ms.` });
    schedule(delay);
    return "retry";
  }

  /** Sends one batch from the head of the queue and settles its fate. */
  async function sendOne(): Promise<Attempt> {
    if (queue.length === 0) return "empty";
    const batch = queue.splice(0, batchLimit);
    let response: Response;
    try {
      response = await post(batch);
    } catch (cause) {
      return failed(batch, {
        kind: "network",
        message: `Vigie could not be reached: ${(cause as Error)?.message ?? String(cause)}.`,
        events: batch.length,
        cause,
      });
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      await response.body?.cancel().catch(() => undefined);
      stats.sent += batch.length;
      failures = 0;
      retryNotBefore = 0;
      batchLimit = options.batchSize;
      return "sent";
    }
    const text = await response.text().catch(() => "");
    const retryAfter = Number(response.headers.get("retry-after"));
    if (status === 413 && batch.length > 1) {
      // the server takes smaller bodies: halve the batch and send again at once
      batchLimit = Math.max(1, Math.floor(batch.length / 2));
      requeue(batch);
      return "sent";
    }
    if (status === 400 || status === 413) {
      let problem: { errors?: { index: number; reason?: string; field?: string }[]; detail?: string } = {};
      try {
        problem = JSON.parse(text);
      } catch {
        // not a problem body: the whole batch is refused
      }
      const bad = new Set((problem.errors ?? []).map((e) => e.index));
      const kept = bad.size > 0 && bad.size < batch.length ? batch.filter((_, i) => !bad.has(i)) : [];
      const refused = batch.length - kept.length;
      stats.rejected += refused;
      options.report({
        kind: "rejected",
        status,
        events: refused,
        message: `Vigie refused ${refused} invalid event(s): ${
          problem.errors?.[0]
            ? `${problem.errors[0].field}: ${problem.errors[0].reason}`
            : (problem.detail ?? text)
        }`,
      });
      // a batch is all or nothing: the valid events go again, without the refused ones
      if (kept.length > 0) requeue(kept);
      return "sent";
    }
    return failed(
      batch,
      { kind: "http", status, events: batch.length, message: `Vigie answered ${status}.` },
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  /** Sends batches while there are full ones (or `all` is set), one request at a time. */
  async function pump(all = false): Promise<Attempt> {
    if (inFlight) return inFlight;
    if (Date.now() < retryNotBefore && !all) {
      schedule(retryNotBefore - Date.now());
      return "retry";
    }
    let last: Attempt = "empty";
    const run = async () => {
      while (queue.length > 0) {
        last = await sendOne();
        if (last !== "sent") break;
        if (!all && queue.length < batchLimit) {
          if (queue.length > 0) schedule(options.flushIntervalMs);
          break;
        }
      }
      return last;
    };
    inFlight = run().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    /** Queues one event; sends at once when a batch is full, else within the flush interval. */
    enqueue(event: StepCloudEvent): void {
      queue.push(event);
      enforceBound();
      if (stopped) return;
      if (queue.length >= batchLimit && Date.now() >= retryNotBefore) schedule(0);
      else schedule(Math.max(options.flushIntervalMs, retryNotBefore - Date.now()));
    },

    /** Sends every queued event now; resolves when the queue is empty or an attempt failed. */
    async flush(): Promise<void> {
      if (inFlight) await inFlight;
      await pump(true);
    },

    /**
     * Stops the timers and sends what is left, retrying until `timeoutMs`; whatever is still
     * unsent then is counted in `lostOnShutdown`.
     */
    async shutdown(timeoutMs: number): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const deadline = Date.now() + timeoutMs;
      while (queue.length > 0 || inFlight) {
        if (inFlight) await inFlight;
        if (queue.length === 0) break;
        const wait = Math.min(retryNotBefore - Date.now(), deadline - Date.now());
        if (Date.now() >= deadline) break;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (Date.now() >= deadline) break;
        retryNotBefore = 0;
        await pump(true);
      }
      if (queue.length > 0) {
        stats.lostOnShutdown += queue.length;
        options.report({
          kind: "shutdown",
          events: queue.length,
          message: `${queue.length} event(s) could not be sent before shutdown.`,
        });
        queue = [];
      }
    },

    stats(): ClientStats {
      return { buffered: queue.length, ...stats };
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
