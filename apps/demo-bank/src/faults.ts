import { randomUUID } from "node:crypto";
import { STEP_KEYS, type StepKey } from "./journey.js";

/** What a fault does; see the README. */
export type FaultKind = "error" | "slow" | "down" | "under-exposure";
export const FAULT_KINDS: readonly FaultKind[] = ["error", "slow", "down", "under-exposure"];

/** A fault as requested (admin API, Vigie's demo module, CLI). */
export interface FaultRequest {
  kind: FaultKind;
  /** Step hit by an `error` or `slow` fault. */
  step?: StepKey;
  /** Share of requests affected, 0 to 1 [1]. */
  share?: number;
  /** Error code of an `error` fault [TECHNICAL_ERROR]. */
  errorCode?: string;
  /** Added latency of a `slow` fault, ms [5000]. */
  delayMs?: number;
  /** Lifted automatically after this long, ms [never]. */
  durationMs?: number;
}

/** A fault in force. */
export interface Fault {
  id: string;
  kind: FaultKind;
  step: StepKey | null;
  share: number;
  errorCode: string | null;
  delayMs: number | null;
  createdAt: string;
  until: string | null;
}

/** Raised for a fault request that makes no sense; `field` names the culprit. */
export class InvalidFaultError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Checks a fault request and fills its defaults. */
export function parseFaultRequest(input: unknown): Required<Omit<FaultRequest, "durationMs" | "step">> & {
  step: StepKey | null;
  durationMs: number | null;
} {
  if (!input || typeof input !== "object") throw new InvalidFaultError("body", "must be a JSON object");
  const raw = input as Record<string, unknown>;
  if (!FAULT_KINDS.includes(raw.kind as FaultKind)) {
    throw new InvalidFaultError("kind", `must be one of ${FAULT_KINDS.join(", ")}`);
  }
  const kind = raw.kind as FaultKind;
  let step: StepKey | null = null;
  if (raw.step !== undefined && raw.step !== null) {
    if (!STEP_KEYS.includes(raw.step as StepKey)) {
      throw new InvalidFaultError("step", `must be one of ${STEP_KEYS.join(", ")}`);
    }
    step = raw.step as StepKey;
  }
  if ((kind === "error" || kind === "slow") && !step) {
    throw new InvalidFaultError("step", `a fault of kind "${kind}" needs a step`);
  }
  const share = raw.share === undefined ? 1 : raw.share;
  if (typeof share !== "number" || !(share > 0 && share <= 1)) {
    throw new InvalidFaultError("share", "must be a number in (0, 1]");
  }
  const errorCode = raw.errorCode === undefined ? "TECHNICAL_ERROR" : raw.errorCode;
  if (typeof errorCode !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(errorCode)) {
    throw new InvalidFaultError("errorCode", "must be 1 to 100 letters, digits, '_', '.' or '-'");
  }
  const delayMs = raw.delayMs === undefined ? 5000 : raw.delayMs;
  if (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > 120_000) {
    throw new InvalidFaultError("delayMs", "must be an integer from 0 to 120000");
  }
  const durationMs = raw.durationMs ?? null;
  if (
    durationMs !== null &&
    (typeof durationMs !== "number" || !Number.isInteger(durationMs) || durationMs <= 0)
  ) {
    throw new InvalidFaultError("durationMs", "must be a positive integer");
  }
  return { kind, step, share, errorCode, delayMs, durationMs };
}

/** What the faults in force do to one request of a step. */
export interface FaultEffect {
  down: boolean;
  underExposed: boolean;
  delayMs: number;
  errorCode?: string;
}

/** The faults in force in the bank, lifted automatically when their time is up. */
export function createFaultRegistry(options: { now: () => Date; random: () => number }) {
  let faults: Fault[] = [];
  const current = () => {
    const at = options.now().getTime();
    faults = faults.filter((f) => f.until === null || Date.parse(f.until) > at);
    return faults;
  };
  return {
    /** Puts a fault in force; throws InvalidFaultError on a bad request. */
    inject(input: unknown): Fault {
      const request = parseFaultRequest(input);
      const now = options.now();
      const fault: Fault = {
        id: randomUUID(),
        kind: request.kind,
        step: request.step,
        share: request.share,
        errorCode: request.kind === "error" ? request.errorCode : null,
        delayMs: request.kind === "slow" ? request.delayMs : null,
        createdAt: now.toISOString(),
        until:
          request.durationMs === null ? null : new Date(now.getTime() + request.durationMs).toISOString(),
      };
      current().push(fault);
      return fault;
    },
    list: (): Fault[] => [...current()],
    /** Lifts one fault; false if it was not in force. */
    lift(id: string): boolean {
      const before = current().length;
      faults = faults.filter((f) => f.id !== id);
      return faults.length < before;
    },
    clear(): number {
      const count = current().length;
      faults = [];
      return count;
    },
    /** Draws what happens to one request of `step` (each fault applies to its share of requests). */
    effectOn(step: StepKey | null): FaultEffect {
      const effect: FaultEffect = { down: false, underExposed: false, delayMs: 0 };
      for (const fault of current()) {
        const hit = fault.share >= 1 || options.random() < fault.share;
        if (!hit) continue;
        if (fault.kind === "down") effect.down = true;
        else if (fault.kind === "under-exposure") effect.underExposed = true;
        else if (fault.step === step && fault.kind === "slow") effect.delayMs += fault.delayMs ?? 0;
        else if (fault.step === step && fault.kind === "error")
          effect.errorCode ??= fault.errorCode ?? undefined;
      }
      return effect;
    },
  };
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>;
