import { FormData } from "undici";
import type { OutboundGuard } from "../../net/outbound-guard.js";
import { isOutboundBlocked } from "../../net/outbound-guard.js";
import type { Assertion, Extraction, HttpStep } from "./definition.js";
import type { AssertionResult, Phase, StepError, StepResult } from "./results.js";
import { shorten } from "./results.js";
import { maskSecrets, readJsonPath, renderJson, renderTemplate, UnknownVariableError } from "./template.js";

/** State shared by the HTTP calls of one attempt. */
export interface HttpRunState {
  vars: Record<string, string>;
  secrets: Readonly<Record<string, string>>;
  runId: string;
  /** Cookies received so far (name → value), sent back on later calls. */
  cookies: Map<string, string>;
  guard: OutboundGuard;
  /** Aborted when the phase's time is up. */
  signal: AbortSignal;
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
  latencyMs: number;
  json?: unknown;
  jsonError?: string;
}

function assertionText(assertion: Assertion): string {
  if ("status" in assertion) return `status = ${[assertion.status].flat().join(" or ")}`;
  if ("maxLatency" in assertion) return `latency ≤ ${assertion.maxLatency} ms`;
  const [subject, spec] =
    "header" in assertion
      ? [`header ${assertion.header.name}`, assertion.header]
      : "jsonPath" in assertion
        ? [`jsonPath ${assertion.jsonPath.path}`, assertion.jsonPath]
        : ["text", assertion.text];
  const s = spec as { equals?: unknown; contains?: string; matches?: string; exists?: boolean };
  if (s.exists !== undefined) return `${subject} ${s.exists ? "exists" : "is absent"}`;
  if (s.contains !== undefined) return `${subject} contains "${s.contains}"`;
  if (s.matches !== undefined) return `${subject} matches /${s.matches}/`;
  return `${subject} = ${JSON.stringify(s.equals)}`;
}

function matches(
  value: unknown,
  spec: { equals?: unknown; contains?: string; matches?: string; exists?: boolean },
): boolean {
  if (spec.exists !== undefined) return (value !== undefined) === spec.exists;
  if (value === undefined) return false;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (spec.contains !== undefined) return text.includes(spec.contains);
  if (spec.matches !== undefined) return new RegExp(spec.matches).test(text);
  return value === spec.equals || (typeof value !== "string" && text === JSON.stringify(spec.equals));
}

function display(value: unknown): string {
  if (value === undefined) return "(absent)";
  return shorten(typeof value === "string" ? value : JSON.stringify(value), 200);
}

function check(assertion: Assertion, answer: Answer): AssertionResult {
  const text = assertionText(assertion);
  if ("status" in assertion) {
    const expected = [assertion.status].flat();
    return {
      assertion: text,
      passed: expected.includes(answer.status),
      actual: String(answer.status),
    };
  }
  if ("maxLatency" in assertion) {
    return {
      assertion: text,
      passed: answer.latencyMs <= assertion.maxLatency,
      actual: `${Math.round(answer.latencyMs)} ms`,
    };
  }
  if ("header" in assertion) {
    const value = answer.headers.get(assertion.header.name) ?? undefined;
    return { assertion: text, passed: matches(value, assertion.header), actual: display(value) };
  }
  if ("jsonPath" in assertion) {
    if (answer.json === undefined) {
      return { assertion: text, passed: false, actual: `not JSON (${answer.jsonError ?? "empty"})` };
    }
    const value = readJsonPath(answer.json, assertion.jsonPath.path);
    return { assertion: text, passed: matches(value, assertion.jsonPath), actual: display(value) };
  }
  return {
    assertion: text,
    passed: matches(answer.body, assertion.text),
    actual: display(answer.body),
  };
}

function extract(name: string, how: Extraction, answer: Answer, state: HttpRunState): string {
  let value: unknown;
  if ("jsonPath" in how)
    value = answer.json === undefined ? undefined : readJsonPath(answer.json, how.jsonPath);
  else if ("header" in how) value = answer.headers.get(how.header) ?? undefined;
  else if ("cookie" in how) value = state.cookies.get(how.cookie);
  else value = new RegExp(how.regex).exec(answer.body)?.[1];
  if (value === undefined || value === null) {
    throw Object.assign(new Error(`could not extract "${name}" (${JSON.stringify(how)})`), {
      code: "extraction_failed",
    });
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

function rememberCookies(headers: Headers, cookies: Map<string, string>): void {
  for (const line of headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const at = pair.indexOf("=");
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

/** Turns any failure into a step error with a stable code; secrets are masked by the caller. */
export function toStepError(error: unknown, timedOut: boolean): StepError {
  if (timedOut) return { code: "timeout", message: "timed out" };
  if (isOutboundBlocked(error)) return { code: "outbound_blocked", message: error.message };
  if (error instanceof UnknownVariableError) return { code: "unknown_variable", message: error.message };
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.code === "extraction_failed") return { code: "extraction_failed", message: e.message ?? "" };
  if (e.code === "assertion_failed") return { code: "assertion_failed", message: e.message ?? "" };
  if (e.cause && (e.cause.code || e.cause.message)) {
    return {
      code: "network_error",
      message: `${e.message ?? "request failed"}: ${e.cause.code ?? ""} ${e.cause.message ?? ""}`.trim(),
    };
  }
  return { code: "script_error", message: e.message ?? String(error) };
}

/** Runs one HTTP step: request, assertions, extractions. Never throws: the result says what happened. */
export async function runHttpStep(
  step: HttpStep,
  index: number,
  phase: Phase,
  state: HttpRunState,
): Promise<StepResult> {
  const startedAt = new Date();
  const started = performance.now();
  const name = step.name ?? step.step ?? `request ${index + 1}`;
  const result: StepResult = {
    phase,
    name,
    ...(step.step ? { step: step.step } : {}),
    outcome: "ok",
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    assertions: [],
  };
  const stepTimeout = step.timeout !== undefined ? AbortSignal.timeout(step.timeout) : undefined;
  const signal = stepTimeout ? AbortSignal.any([state.signal, stepTimeout]) : state.signal;
  try {
    const scope = { vars: state.vars, secrets: state.secrets, runId: state.runId };
    const { request } = step;
    const url = renderTemplate(request.url, scope);
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(request.headers))
      headers[header.toLowerCase()] = renderTemplate(value, scope);
    let body: string | FormData | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(renderJson(request.json, scope));
      headers["content-type"] ??= "application/json";
    } else if (request.form !== undefined) {
      body = new URLSearchParams(
        Object.entries(request.form).map(([k, v]) => [k, renderTemplate(v, scope)]),
      ).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    } else if (request.multipart !== undefined) {
      const form = new FormData();
      for (const [field, value] of Object.entries(request.multipart)) {
        if (typeof value === "string") form.append(field, renderTemplate(value, scope));
        else {
          const content = renderTemplate(value.content, scope);
          form.append(field, new Blob([content], { type: value.contentType }), value.filename);
        }
      }
      body = form;
    } else if (request.body !== undefined) {
      body = renderTemplate(request.body, scope);
    }
    if (state.cookies.size > 0 && headers.cookie === undefined) {
      headers.cookie = [...state.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    const sent = performance.now();
    const response = await state.guard.fetch(url, {
      method: request.method,
      headers,
      body,
      redirect: request.followRedirects ? "follow" : "manual",
      signal,
    });
    const text = await response.text();
    const answer: Answer = {
      status: response.status,
      headers: response.headers,
      body: text,
      latencyMs: performance.now() - sent,
    };
    if (text.length > 0) {
      try {
        answer.json = JSON.parse(text);
      } catch (error) {
        answer.jsonError = (error as Error).message;
      }
    }
    result.status = response.status;
    rememberCookies(response.headers, state.cookies);
    result.assertions = step.assert.map((assertion) => check(assertion, answer));
    const failed = result.assertions.filter((a) => !a.passed);
    if (failed.length > 0) {
      throw Object.assign(
        new Error(failed.map((a) => `expected ${a.assertion}, got ${a.actual ?? "?"}`).join("; ")),
        { code: "assertion_failed" },
      );
    }
    for (const [variable, how] of Object.entries(step.extract)) {
      state.vars[variable] = extract(variable, how, answer, state);
    }
  } catch (error) {
    result.outcome = "error";
    const timedOut = signal.aborted && (error as Error).name !== "OutboundBlockedError";
    result.error = toStepError(error, timedOut);
  }
  result.durationMs = Math.round((performance.now() - started) * 10) / 10;
  if (result.error) result.error.message = shorten(maskSecrets(result.error.message, state.secrets), 1000);
  for (const assertion of result.assertions) {
    if (assertion.actual) assertion.actual = maskSecrets(assertion.actual, state.secrets);
  }
  return result;
}

/** Runs HTTP steps in order, stopping at the first failure. */
export async function runHttpSteps(
  steps: HttpStep[],
  phase: Phase,
  state: HttpRunState,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of steps.entries()) {
    if (step.skipUnless !== undefined && !state.vars[step.skipUnless]) continue;
    const result = await runHttpStep(step, index, phase, state);
    results.push(result);
    if (result.outcome === "error") break;
  }
  return results;
}
