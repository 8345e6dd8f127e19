import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { OutboundGuard } from "../../net/outbound-guard.js";
import { type BrowserPool, runBrowserAttempt } from "./browser-runner.js";
import type { HttpStep, PhaseFunction, ProbeContext, ProbeDefinition } from "./definition.js";
import { type HttpRunState, runHttpSteps, toStepError } from "./http-runner.js";
import type { AttemptResult, Phase, ProbeRunResult, StepError, StepResult } from "./results.js";
import { shorten } from "./results.js";
import { maskSecrets } from "./template.js";

/** What running a probe needs. */
export interface ProbeRunnerDeps {
  guard: OutboundGuard;
  /** Needed by browser probes. */
  browsers?: BrowserPool;
  secrets: Readonly<Record<string, string>>;
  /** Label of where the probe runs [local]. */
  location?: string;
  /** Journey step keys by journey, to check `step()` calls of browser probes. */
  journeySteps: (journey: string) => ReadonlySet<string>;
  /** Receives what probe code logs. */
  log?: (probe: string, message: string) => void;
}

/** Options of one run. */
export interface RunOptions {
  trigger: ProbeRunResult["trigger"];
  scheduledAt?: Date;
  runId?: string;
}

async function runPhaseFunction(
  fn: PhaseFunction,
  phase: Phase,
  context: ProbeContext,
  secrets: Readonly<Record<string, string>>,
): Promise<StepResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  let error: StepError | undefined;
  try {
    await Promise.race([
      Promise.resolve(fn(context)),
      new Promise<never>((_resolve, reject) => {
        if (context.signal.aborted) reject(new Error("timed out"));
        context.signal.addEventListener("abort", () => reject(new Error("timed out")), { once: true });
      }),
    ]);
  } catch (failure) {
    error = toStepError(failure, context.signal.aborted);
    error.message = shorten(maskSecrets(error.message, secrets), 1000);
  }
  return {
    phase,
    name: phase,
    outcome: error ? "error" : "ok",
    startedAt,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    assertions: [],
    ...(error ? { error } : {}),
  };
}

/** Runs a probe once, retrying failed attempts as its policy says; the teardown follows every attempt. */
export async function runProbe(
  probe: ProbeDefinition,
  deps: ProbeRunnerDeps,
  options: RunOptions,
): Promise<ProbeRunResult> {
  const runId = options.runId ?? randomUUID();
  const startedAt = new Date();
  const attempts: AttemptResult[] = [];
  let cleanupOk: boolean | undefined;
  const log = (message: string) => deps.log?.(probe.name, maskSecrets(message, deps.secrets));

  for (let attempt = 1; attempt <= 1 + probe.retries.attempts; attempt += 1) {
    if (attempt > 1) await sleep(probe.retries.delay);
    const attemptStarted = performance.now();
    const attemptStartedAt = new Date().toISOString();
    const vars: Record<string, string> = { ...probe.variables };
    const cookies = new Map<string, string>();
    const mainSignal = AbortSignal.timeout(probe.timeout);
    const stateFor = (signal: AbortSignal): HttpRunState => ({
      vars,
      secrets: deps.secrets,
      runId,
      cookies,
      guard: deps.guard,
      signal,
    });
    const contextFor = (signal: AbortSignal): ProbeContext => ({
      vars,
      secrets: deps.secrets,
      fetch: (url, init) => deps.guard.fetch(url, init as never) as unknown as Promise<Response>,
      runId,
      signal,
      log,
    });
    const runPhase = async (phase: Phase, definition: HttpStep[] | PhaseFunction, signal: AbortSignal) =>
      typeof definition === "function"
        ? [await runPhaseFunction(definition, phase, contextFor(signal), deps.secrets)]
        : runHttpSteps(definition, phase, stateFor(signal));

    const steps: StepResult[] = [];
    let consoleErrors: string[] = [];
    let screenshot: Uint8Array | undefined;
    let error: StepError | undefined;
    try {
      if (probe.setup) steps.push(...(await runPhase("setup", probe.setup, mainSignal)));
      if (!steps.some((s) => s.outcome === "error")) {
        if (probe.kind === "http") {
          steps.push(...(await runPhase("step", probe.steps, mainSignal)));
        } else {
          if (!deps.browsers) throw new Error("browser probes need a browser pool");
          const browserResult = await runBrowserAttempt({
            run: probe.run,
            pool: deps.browsers,
            guard: deps.guard,
            vars,
            secrets: deps.secrets,
            runId,
            journeySteps: deps.journeySteps(probe.journey),
            signal: mainSignal,
            log,
          });
          steps.push(...browserResult.steps);
          consoleErrors = browserResult.consoleErrors;
          screenshot = browserResult.screenshot;
          error = browserResult.error;
        }
      }
    } catch (failure) {
      error = toStepError(failure, mainSignal.aborted);
      error.message = shorten(maskSecrets(error.message, deps.secrets), 1000);
    } finally {
      // The cleanup batch: always, with a time budget of its own.
      if (probe.teardown) {
        const teardown = await runPhase(
          "teardown",
          probe.teardown,
          AbortSignal.timeout(probe.teardownTimeout),
        );
        steps.push(...teardown);
        const ok = teardown.every((s) => s.outcome === "ok");
        cleanupOk = (cleanupOk ?? true) && ok;
      }
    }
    const failed = steps.find((s) => s.outcome === "error" && s.phase !== "teardown");
    const outcome = failed || error ? "failed" : "passed";
    attempts.push({
      attempt,
      outcome,
      startedAt: attemptStartedAt,
      durationMs: Math.round(performance.now() - attemptStarted),
      steps,
      ...(failed ? { failedStep: failed.step ?? failed.name } : {}),
      ...(failed?.error || error ? { error: (failed?.error ?? error)! } : {}),
      consoleErrors,
      ...(screenshot ? { screenshot } : {}),
    });
    if (outcome === "passed") break;
  }

  const last = attempts.at(-1)!;
  return {
    runId,
    probe: probe.name,
    journey: probe.journey,
    kind: probe.kind,
    location: deps.location ?? "local",
    trigger: options.trigger,
    ...(options.scheduledAt ? { scheduledAt: options.scheduledAt } : {}),
    startedAt,
    finishedAt: new Date(),
    outcome: last.outcome,
    ...(cleanupOk !== undefined ? { cleanupOk } : {}),
    attempts,
  };
}
