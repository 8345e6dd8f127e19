/** What a step outcome means for the quality of service (Vigie's event contract). */
export type StepOutcome = "started" | "ok" | "error" | "rejected";

/** Personal data of a prospect; Vigie stores it apart from events, visible only to allowed roles. */
export interface ProspectDetails {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  /** The prospect agreed to be called back by the bank. */
  consentToCall?: boolean;
}

/** The `data` of a `vigie.step` CloudEvent. */
export interface StepEventData {
  journey: string;
  runId: string;
  step: string;
  outcome: StepOutcome;
  durationMs?: number;
  error?: { code: string; message?: string };
  synthetic?: boolean;
  attributes?: Record<string, string>;
  prospect?: ProspectDetails;
}

/** One `vigie.step` CloudEvent (structured JSON form), as the SDK sends it. */
export interface StepCloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: "vigie.step";
  time: string;
  data: StepEventData;
}

/** Counters of what the client did since it was created. */
export interface ClientStats {
  /** Events waiting in memory to be sent. */
  buffered: number;
  /** Events Vigie acknowledged (stored now or already stored before). */
  sent: number;
  /** Events dropped because the buffer was full (the oldest go first). */
  dropped: number;
  /** Events Vigie refused as invalid (they would never be accepted). */
  rejected: number;
  /** Events still unsent when `shutdown()` gave up. */
  lostOnShutdown: number;
  /** Failed send attempts (each retried later). */
  failedAttempts: number;
}

/** Why something went wrong; handed to `onError`, never thrown into the host application. */
export interface VigieSdkError {
  kind: "network" | "http" | "rejected" | "buffer-full" | "shutdown" | "usage";
  message: string;
  /** HTTP status, when Vigie answered. */
  status?: number;
  /** Number of events concerned. */
  events?: number;
  cause?: unknown;
}

/** Options of `createVigieClient`; defaults in brackets. */
export interface VigieClientOptions {
  /** Base URL of Vigie, e.g. `http://127.0.0.1:8080`; events go to `<url>/api/v1/events`. */
  url: string;
  /** An ingest key of that Vigie (sent as `Authorization: Bearer <apiKey>`). */
  apiKey: string;
  /** CloudEvents `source` naming this application, e.g. `demo-bank`. */
  source: string;
  /** Events per request [100]. */
  batchSize?: number;
  /** Longest wait before a partial batch is sent, in ms [1000]. */
  flushIntervalMs?: number;
  /** Events kept in memory at most; when full the oldest are dropped and counted [10000]. */
  maxBufferedEvents?: number;
  /** Delay before the first retry, in ms; doubled at each failure [500]. */
  retryDelayMs?: number;
  /** Longest delay between retries, in ms [30000]. */
  maxRetryDelayMs?: number;
  /** Timeout of one request, in ms [10000]. */
  requestTimeoutMs?: number;
  /** Attributes added to every event (product, channel, app version…) [none]. */
  attributes?: Record<string, string>;
  /** Calls `shutdown()` when the process is about to exit on its own (`beforeExit`) [true]. */
  flushOnExit?: boolean;
  /** Told about every problem instead of an exception [ignored]. */
  onError?: (error: VigieSdkError) => void;
  /** HTTP client [global fetch]. */
  fetch?: typeof fetch;
  /** Clock [() => new Date()]. */
  now?: () => Date;
  /** Random numbers in [0, 1) for the retry jitter [Math.random]. */
  random?: () => number;
  /** Event id generator [crypto.randomUUID]. */
  generateId?: () => string;
}

/** Options of one run. */
export interface RunOptions {
  /** Marks every event of the run as synthetic (a probe's), kept out of business figures [false]. */
  synthetic?: boolean;
  /** Attributes added to every event of the run [none]. */
  attributes?: Record<string, string>;
}

/** Options of one step outcome. */
export interface OutcomeOptions {
  /** When it happened [now]; set it to emit past-dated events (history backfill). */
  at?: Date;
  /** Attributes of this event only. */
  attributes?: Record<string, string>;
}

/** A step of a run. */
export interface StepHandle {
  /** The prospect entered the step; starts the duration clock. */
  start(options?: OutcomeOptions): StepHandle;
  /** The step succeeded; `durationMs` defaults to the time since `start()`. */
  ok(options?: OutcomeOptions & { durationMs?: number }): void;
  /** Technical failure (counts against availability). */
  error(code: string, message?: string, options?: OutcomeOptions & { durationMs?: number }): void;
  /** Business refusal, e.g. `AGE_INELIGIBLE` (not an outage). */
  rejected(code: string, options?: OutcomeOptions & { message?: string; durationMs?: number }): void;
}

/** One prospect's pass through a journey. */
export interface RunHandle {
  readonly journey: string;
  readonly runId: string;
  /** Attaches the prospect's details to the run's next event (once; call again to update them). */
  prospect(details: ProspectDetails): RunHandle;
  step(step: string): StepHandle;
}
