import { randomUUID } from "node:crypto";
import { createSender } from "./sender.js";
import type {
  ClientStats,
  OutcomeOptions,
  ProspectDetails,
  RunHandle,
  RunOptions,
  StepCloudEvent,
  StepEventData,
  StepHandle,
  VigieClientOptions,
  VigieSdkError,
} from "./types.js";

/** A Vigie client: emits step events for runs; see `createVigieClient`. */
export interface VigieClient {
  /** Starts (or resumes) a run of `journey`; `runId` defaults to a new UUID. */
  run(journey: string, runId?: string, options?: RunOptions): RunHandle;
  /** Emits one raw step event (the run/step helpers are easier); returns its id. */
  emit(data: StepEventData, options?: { at?: Date; id?: string }): string | undefined;
  /** Sends everything buffered now; resolves when sent or when an attempt failed (retried later). */
  flush(): Promise<void>;
  /** Sends what is left (retrying for up to `timeoutMs`, default 5000) and stops; later events are dropped. */
  shutdown(options?: { timeoutMs?: number }): Promise<ClientStats>;
  /** What the client did so far. */
  stats(): ClientStats;
}

const KEY = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Creates a client that sends `vigie.step` CloudEvents to Vigie in batches, in the background.
 * No method ever throws into the host application: problems go to `onError`.
 *
 * @example
 * const vigie = createVigieClient({ url: "http://vigie:8080", apiKey: process.env.VIGIE_KEY!, source: "online-bank" });
 * const run = vigie.run("cco-subscription", prospect.id);
 * const identity = run.step("identity").start();
 * try { await checkIdentity(form); identity.ok(); } catch (e) { identity.error("KYC_TIMEOUT", e.message); }
 * await vigie.shutdown(); // on exit
 */
export function createVigieClient(options: VigieClientOptions): VigieClient {
  const onError = options.onError;
  const report = (error: VigieSdkError) => {
    try {
      onError?.(error);
    } catch {
      // the host's error handler must not break the SDK either
    }
  };
  const now = options.now ?? (() => new Date());
  const generateId = options.generateId ?? randomUUID;
  const defaults = options.attributes;
  const sender = createSender({
    endpoint: `${String(options.url ?? "").replace(/\/+$/, "")}/api/v1/events`,
    apiKey: options.apiKey,
    batchSize: Math.max(1, options.batchSize ?? 100),
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    maxBufferedEvents: Math.max(1, options.maxBufferedEvents ?? 10_000),
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    random: options.random ?? Math.random,
    report,
  });
  let closed = false;
  let shutdownPromise: Promise<ClientStats> | undefined;

  function emit(data: StepEventData, at?: Date, id?: string): string | undefined {
    if (closed) {
      report({ kind: "shutdown", events: 1, message: "Event emitted after shutdown(): dropped." });
      return undefined;
    }
    if (!KEY.test(data.journey ?? "") || !KEY.test(data.step ?? "") || !data.runId) {
      report({
        kind: "usage",
        events: 1,
        message: `Invalid event (journey "${data.journey}", step "${data.step}", run "${data.runId}"): dropped.`,
      });
      return undefined;
    }
    const attributes = defaults || data.attributes ? { ...defaults, ...data.attributes } : undefined;
    const event: StepCloudEvent = {
      specversion: "1.0",
      // generated once: a retried send carries the same id, so Vigie never counts it twice
      id: id ?? generateId(),
      source: options.source,
      type: "vigie.step",
      time: (at ?? now()).toISOString(),
      data: attributes ? { ...data, attributes } : data,
    };
    sender.enqueue(event);
    return event.id;
  }

  function safe<T>(fallback: T, body: () => T): T {
    try {
      return body();
    } catch (cause) {
      report({ kind: "usage", message: `SDK misuse: ${(cause as Error)?.message ?? String(cause)}`, cause });
      return fallback;
    }
  }

  function run(journey: string, runId?: string, runOptions: RunOptions = {}): RunHandle {
    const id = runId ?? generateId();
    let pendingProspect: ProspectDetails | undefined;
    const base = (step: string, outcome: StepEventData["outcome"], extra: OutcomeOptions = {}) => {
      const attributes =
        runOptions.attributes || extra.attributes
          ? { ...runOptions.attributes, ...extra.attributes }
          : undefined;
      const data: StepEventData = { journey, runId: id, step, outcome };
      if (runOptions.synthetic) data.synthetic = true;
      if (attributes) data.attributes = attributes;
      if (pendingProspect) {
        data.prospect = pendingProspect;
        pendingProspect = undefined;
      }
      return data;
    };
    const handle: RunHandle = {
      journey,
      runId: id,
      prospect(details) {
        safe(undefined, () => {
          pendingProspect = { ...pendingProspect, ...details };
        });
        return handle;
      },
      step(step) {
        let startedAt: number | undefined;
        const duration = (explicit: number | undefined, at: Date | undefined) => {
          if (explicit !== undefined) return Math.max(0, explicit);
          if (startedAt === undefined) return undefined;
          return Math.max(0, (at ?? now()).getTime() - startedAt);
        };
        const stepHandle: StepHandle = {
          start(opts = {}) {
            safe(undefined, () => {
              startedAt = (opts.at ?? now()).getTime();
              emit(base(step, "started", opts), opts.at);
            });
            return stepHandle;
          },
          ok(opts = {}) {
            safe(undefined, () => {
              const data = base(step, "ok", opts);
              const ms = duration(opts.durationMs, opts.at);
              if (ms !== undefined) data.durationMs = ms;
              emit(data, opts.at);
            });
          },
          error(code, message, opts = {}) {
            safe(undefined, () => {
              const data = base(step, "error", opts);
              data.error = message === undefined ? { code } : { code, message };
              const ms = duration(opts.durationMs, opts.at);
              if (ms !== undefined) data.durationMs = ms;
              emit(data, opts.at);
            });
          },
          rejected(code, opts = {}) {
            safe(undefined, () => {
              const data = base(step, "rejected", opts);
              data.error = opts.message === undefined ? { code } : { code, message: opts.message };
              const ms = duration(opts.durationMs, opts.at);
              if (ms !== undefined) data.durationMs = ms;
              emit(data, opts.at);
            });
          },
        };
        return stepHandle;
      },
    };
    return handle;
  }

  const onBeforeExit = () => {
    void client.shutdown();
  };
  if (options.flushOnExit !== false && typeof process !== "undefined")
    process.once("beforeExit", onBeforeExit);

  const client: VigieClient = {
    run(journey, runId, runOptions) {
      try {
        return run(journey, runId, runOptions);
      } catch (cause) {
        report({ kind: "usage", message: `run() failed: ${String(cause)}`, cause });
        // a working handle all the same, with an id that needs no generator
        return run(journey, runId ?? `run-${Date.now()}-${Math.random().toString(36).slice(2)}`, runOptions);
      }
    },
    emit: (data, opts = {}) => safe(undefined, () => emit(data, opts.at, opts.id)),
    async flush() {
      try {
        await sender.flush();
      } catch (cause) {
        report({ kind: "usage", message: `flush failed: ${String(cause)}`, cause });
      }
    },
    shutdown(opts = {}) {
      shutdownPromise ??= (async () => {
        closed = true;
        if (typeof process !== "undefined") process.removeListener("beforeExit", onBeforeExit);
        try {
          await sender.shutdown(opts.timeoutMs ?? 5000);
        } catch (cause) {
          report({ kind: "shutdown", message: `shutdown failed: ${String(cause)}`, cause });
        }
        return sender.stats();
      })();
      return shutdownPromise;
    },
    stats: () => sender.stats(),
  };
  return client;
}
