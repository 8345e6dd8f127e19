/** A probe as `GET /api/v1/probes` describes it (modules/probes/routes.ts). */
export interface Probe {
  name: string;
  kind: "http" | "browser";
  journey: string;
  description: string | null;
  file: string;
  schedule: { every?: string | number; cron?: string; [key: string]: unknown };
  timeoutMs: number;
  retries: { attempts: number; delayMs: number };
  labels: Record<string, string>;
  steps: { name: string; step: string | null }[];
  paused: boolean;
  running: boolean;
  nextRunAt: string | null;
  lastRunId: string | null;
  lastRunAt: string | null;
  lastOutcome: "passed" | "failed" | null;
  lastFailedStep: string | null;
  lastErrorCode: string | null;
}

/** A page of a list sorted, filtered and paged on the server. */
export interface Page<Item> {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ProbeList extends Page<Probe> {
  invalid: { file: string; problems: string[] }[];
}

export interface AssertionResult {
  assertion: string;
  passed: boolean;
  actual?: string;
}

export interface ProbeStepResult {
  phase: "setup" | "step" | "teardown";
  name: string;
  step?: string;
  outcome: "ok" | "error";
  startedAt: string;
  durationMs: number;
  status?: number;
  assertions: AssertionResult[];
  error?: { code: string; message: string };
}

export interface ProbeAttempt {
  attempt: number;
  outcome: "passed" | "failed";
  startedAt: string;
  durationMs: number;
  steps: ProbeStepResult[];
  failedStep?: string;
  error?: { code: string; message: string };
  consoleErrors: string[];
}

/** One probe run (`GET /api/v1/probe-runs/:runId`). */
export interface ProbeRun {
  runId: string;
  probe: string;
  journey: string;
  kind: "http" | "browser";
  location: string;
  trigger: "schedule" | "manual" | "cli";
  scheduledAt: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: "passed" | "failed";
  failedStep: string | null;
  error: { code: string; message: string } | null;
  cleanupOk: boolean | null;
  attempts: ProbeAttempt[];
  consoleErrors: string[];
  screenshot: string | null;
}
