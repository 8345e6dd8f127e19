/** Where a step belongs in a run. */
export type Phase = "setup" | "step" | "teardown";

/** One check of a response, kept with the run. */
export interface AssertionResult {
  /** The assertion as written, e.g. `status = 201` or `jsonPath $.id exists`. */
  assertion: string;
  passed: boolean;
  /** What was found (shortened). */
  actual?: string;
}

/** A failure's stable code and its message (secrets masked). */
export interface StepError {
  code:
    | "assertion_failed"
    | "timeout"
    | "outbound_blocked"
    | "network_error"
    | "unknown_variable"
    | "extraction_failed"
    | "script_error";
  message: string;
}

/** Outcome and timing of one step (HTTP call, browser step, setup or teardown). */
export interface StepResult {
  phase: Phase;
  name: string;
  /** Journey step key, when the step stands for one. */
  step?: string;
  outcome: "ok" | "error";
  startedAt: string;
  durationMs: number;
  /** HTTP status of the answer (HTTP steps). */
  status?: number;
  assertions: AssertionResult[];
  error?: StepError;
}

/** One try of the probe: setup, steps, teardown. */
export interface AttemptResult {
  attempt: number;
  outcome: "passed" | "failed";
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** Journey step (or step name) that failed. */
  failedStep?: string;
  error?: StepError;
  /** Errors the page logged in its console, and uncaught page errors (browser probes). */
  consoleErrors: string[];
  /** PNG of the page when the attempt failed (browser probes). */
  screenshot?: Uint8Array;
}

/** Everything one run of a probe produced. */
export interface ProbeRunResult {
  runId: string;
  probe: string;
  journey: string;
  kind: "http" | "browser";
  location: string;
  trigger: "schedule" | "manual" | "cli";
  /** When the scheduler meant to start it (scheduled runs). */
  scheduledAt?: Date;
  startedAt: Date;
  finishedAt: Date;
  outcome: "passed" | "failed";
  /** Whether every teardown succeeded (undefined when the probe has none). */
  cleanupOk?: boolean;
  /** Every attempt; the last one is the run's outcome. */
  attempts: AttemptResult[];
}

/** Shortens a value for display in results. */
export function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
