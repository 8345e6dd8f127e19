import type { Browser, BrowserContext, Page } from "playwright-core";
import type { OutboundGuard } from "../../net/outbound-guard.js";
import type { BrowserRunFunction } from "./definition.js";
import { toStepError } from "./http-runner.js";
import type { StepError, StepResult } from "./results.js";
import { shorten } from "./results.js";
import { maskSecrets } from "./template.js";

/** Flags for Debian's Chromium run headless by a server: no sandbox user namespace, no GPU, no calls home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Options of the browser pool; defaults in brackets. */
export interface BrowserPoolOptions {
  /** Chromium executable [/usr/bin/chromium]. */
  executablePath?: string;
}

/**
 * One Chromium shared by the browser runs in flight, each in a fresh context. It is launched by the
 * first run and closed when the last run ends, so no Chromium process outlives the runs.
 */
export function createBrowserPool(options: BrowserPoolOptions = {}) {
  let browser: Promise<Browser> | undefined;
  let inUse = 0;

  async function launch(): Promise<Browser> {
    const { chromium } = await import("playwright-core");
    return chromium.launch({
      executablePath: options.executablePath ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
      headless: true,
      // Vigie's own shutdown lets runs in flight finish, then closes the pool (a forced exit still
      // kills Chromium): Playwright must not kill it at the first signal, failing those runs.
      handleSIGTERM: false,
      handleSIGINT: false,
      handleSIGHUP: false,
    });
  }

  async function closeBrowser(current: Promise<Browser>): Promise<void> {
    const instance = await current.catch(() => undefined);
    await instance?.close().catch(() => undefined);
  }

  return {
    /** A browser for one run; call `release` when the run is over. */
    async acquire(): Promise<Browser> {
      inUse += 1;
      browser ??= launch();
      const current = browser;
      try {
        return await current;
      } catch (error) {
        if (browser === current) browser = undefined;
        inUse -= 1;
        throw error;
      }
    },
    /** Ends one run's use; the last one closes Chromium. */
    async release(): Promise<void> {
      inUse -= 1;
      if (inUse === 0 && browser) {
        const current = browser;
        browser = undefined;
        await closeBrowser(current);
      }
    },
    /** Closes Chromium whatever is running (shutdown). */
    async close(): Promise<void> {
      if (browser) {
        const current = browser;
        browser = undefined;
        await closeBrowser(current);
      }
    },
  };
}

export type BrowserPool = ReturnType<typeof createBrowserPool>;

/** What a browser attempt produced. */
export interface BrowserAttemptResult {
  steps: StepResult[];
  consoleErrors: string[];
  screenshot?: Uint8Array;
  error?: StepError;
}

/** Everything a browser attempt needs. */
export interface BrowserAttemptInput {
  run: BrowserRunFunction;
  pool: BrowserPool;
  guard: OutboundGuard;
  vars: Record<string, string>;
  secrets: Readonly<Record<string, string>>;
  runId: string;
  /** Steps of the probe's journey: `step(key)` must name one. */
  journeySteps: ReadonlySet<string>;
  /** Aborted when the attempt's time is up. */
  signal: AbortSignal;
  log: (message: string) => void;
}

// Playwright's expect colours its messages for terminals.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const stripAnsi = (text: string) => text.replace(ANSI_COLOUR, "");

function browserError(error: unknown, timedOut: boolean): StepError {
  if (timedOut) return { code: "timeout", message: "timed out" };
  const e = error as { name?: string; message?: string; matcherResult?: unknown };
  const message = stripAnsi(e.message ?? String(error));
  if (e.matcherResult !== undefined || /^expect\(/.test(message))
    return { code: "assertion_failed", message };
  if (e.name === "TimeoutError") return { code: "timeout", message };
  return { ...toStepError(error, false), message };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(Object.assign(new Error("timed out"), { name: "ProbeTimeout" }));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let cancel: () => void = () => undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => {
        const timer = setTimeout(resolve, ms);
        cancel = () => clearTimeout(timer);
      }),
    ]);
  } finally {
    cancel();
  }
}

/** Routes every request of a context through the outbound guard (scheme and resolved address). */
async function guardContext(context: BrowserContext, guard: OutboundGuard, consoleErrors: string[]) {
  const checked = new Map<string, Promise<void>>();
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    try {
      const parsed = guard.checkUrl(url);
      let verdict = checked.get(parsed.hostname);
      if (!verdict) {
        verdict = guard.checkHost(parsed.hostname).then(() => undefined);
        checked.set(parsed.hostname, verdict);
      }
      await verdict;
    } catch (error) {
      consoleErrors.push(`request refused: ${(error as Error).message}`);
      await route.abort("blockedbyclient").catch(() => undefined);
      return;
    }
    await route.continue().catch(() => undefined);
  });
}

/**
 * Runs a browser probe's `run` once in a fresh context: each `step()` timed, console errors kept, a
 * screenshot on failure. The context is closed in `finally`, even on timeout.
 */
export async function runBrowserAttempt(input: BrowserAttemptInput): Promise<BrowserAttemptResult> {
  const steps: StepResult[] = [];
  const consoleErrors: string[] = [];
  const open = new Map<StepResult, number>();
  let finished = false;
  let error: StepError | undefined;
  let screenshot: Uint8Array | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const browser = await input.pool.acquire();
  try {
    context = await browser.newContext();
    await guardContext(context, input.guard, consoleErrors);
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(shorten(message.text(), 500));
    });
    page.on("pageerror", (pageError) => consoleErrors.push(shorten(`uncaught: ${pageError.message}`, 500)));
    const { expect } = await import("@playwright/test");

    const step = async <T>(key: string, body: () => Promise<T>): Promise<T> => {
      if (!input.journeySteps.has(key)) {
        throw new Error(
          `step("${key}"): not a step of the probe's journey (${[...input.journeySteps].join(", ")})`,
        );
      }
      const result: StepResult = {
        phase: "step",
        name: key,
        step: key,
        outcome: "ok",
        startedAt: new Date().toISOString(),
        durationMs: 0,
        assertions: [],
      };
      const started = performance.now();
      steps.push(result);
      open.set(result, started);
      try {
        const value = await body();
        if (!finished) result.durationMs = Math.round((performance.now() - started) * 10) / 10;
        return value;
      } catch (stepError) {
        if (!finished) {
          result.outcome = "error";
          result.durationMs = Math.round((performance.now() - started) * 10) / 10;
          result.error = browserError(stepError, false);
        }
        throw stepError;
      } finally {
        open.delete(result);
      }
    };

    const run = input.run({
      page,
      context,
      expect,
      step,
      vars: input.vars,
      secrets: input.secrets,
      fetch: (url, init) => input.guard.fetch(url, init as never) as unknown as Promise<Response>,
      runId: input.runId,
      signal: input.signal,
      log: input.log,
    });
    await Promise.race([run, untilAborted(input.signal)]);
  } catch (failure) {
    const timedOut = input.signal.aborted;
    error = browserError(failure, timedOut);
    // A step still running when time ran out failed by timeout.
    for (const [result, started] of open) {
      result.outcome = "error";
      result.durationMs = Math.round((performance.now() - started) * 10) / 10;
      result.error = { code: "timeout", message: "timed out" };
    }
    if (!steps.some((s) => s.outcome === "error")) {
      steps.push({
        phase: "step",
        name: "(outside steps)",
        outcome: "error",
        startedAt: new Date().toISOString(),
        durationMs: 0,
        assertions: [],
        error,
      });
    }
    if (page)
      screenshot = await within(page.screenshot({ timeout: 3000, fullPage: true }), 4000).catch(
        () => undefined,
      );
  } finally {
    finished = true;
    // Closing the context ends whatever the probe code still awaits; a stuck close takes Chromium down.
    const closed = context
      ? await within(
          context.close().then(() => true),
          5000,
        ).catch(() => false)
      : true;
    if (!closed) await input.pool.close();
    await input.pool.release();
  }
  for (const result of steps) {
    if (result.error) result.error.message = shorten(maskSecrets(result.error.message, input.secrets), 1000);
  }
  if (error) error.message = shorten(maskSecrets(error.message, input.secrets), 1000);
  return {
    steps,
    consoleErrors: consoleErrors.map((e) => maskSecrets(e, input.secrets)),
    ...(screenshot ? { screenshot } : {}),
    ...(error ? { error } : {}),
  };
}
