import type { RunOutcome, StepOutcome } from "@vigie/contracts";

/** Everything a run's outcome is derived from; a fold of its events in any order. */
export interface RunState {
  journey: string;
  runId: string;
  synthetic: boolean;
  eventCount: number;
  firstAt: number;
  lastAt: number;
  furthestStep: number;
  lastEventAt: number;
  lastStep: number;
  lastOutcome: StepOutcome;
  lastErrorCode: string;
  completedAt: number | null;
  rejectedAt: number | null;
  rejectedStep: number | null;
  errorCount: number;
  firstErrorAt: number | null;
  lastErrorAt: number | null;
  product: string;
  channel: string;
  attributes: Record<string, string>;
}

/** One event as the fold sees it. */
export interface RunEvent {
  time: number;
  stepIndex: number;
  outcome: StepOutcome;
  errorCode: string;
  synthetic: boolean;
  attributes: Record<string, string> | null;
}

const RANK: Record<StepOutcome, number> = { started: 0, ok: 1, rejected: 2, error: 3 };

/** Total order of events within a run, so that "the last event" never depends on arrival order. */
function isAfter(e: RunEvent, s: RunState): boolean {
  if (e.time !== s.lastEventAt) return e.time > s.lastEventAt;
  if (e.stepIndex !== s.lastStep) return e.stepIndex > s.lastStep;
  if (RANK[e.outcome] !== RANK[s.lastOutcome]) return RANK[e.outcome] > RANK[s.lastOutcome];
  return e.errorCode > s.lastErrorCode;
}

const minOf = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
const maxOf = (a: number | null, b: number) => (a === null ? b : Math.max(a, b));

/**
 * Adds one event to a run (commutative and idempotent on a set of distinct events, except that on
 * conflicting attribute values the first one folded is kept).
 */
export function foldRunEvent(
  state: RunState | undefined,
  journey: string,
  runId: string,
  e: RunEvent,
  finalStep: number,
): RunState {
  const s: RunState = state
    ? { ...state }
    : {
        journey,
        runId,
        synthetic: false,
        eventCount: 0,
        firstAt: e.time,
        lastAt: e.time,
        furthestStep: e.stepIndex,
        lastEventAt: e.time,
        lastStep: e.stepIndex,
        lastOutcome: e.outcome,
        lastErrorCode: e.errorCode,
        completedAt: null,
        rejectedAt: null,
        rejectedStep: null,
        errorCount: 0,
        firstErrorAt: null,
        lastErrorAt: null,
        product: "",
        channel: "",
        attributes: {},
      };
  s.eventCount += 1;
  s.synthetic ||= e.synthetic;
  s.firstAt = Math.min(s.firstAt, e.time);
  s.lastAt = Math.max(s.lastAt, e.time);
  s.furthestStep = Math.max(s.furthestStep, e.stepIndex);
  if (isAfter(e, s)) {
    s.lastEventAt = e.time;
    s.lastStep = e.stepIndex;
    s.lastOutcome = e.outcome;
    s.lastErrorCode = e.errorCode;
  }
  if (e.outcome === "ok" && e.stepIndex === finalStep) s.completedAt = minOf(s.completedAt, e.time);
  if (e.outcome === "rejected") {
    if (
      s.rejectedAt === null ||
      e.time < s.rejectedAt ||
      (e.time === s.rejectedAt && e.stepIndex < (s.rejectedStep ?? 0))
    ) {
      s.rejectedAt = e.time;
      s.rejectedStep = e.stepIndex;
    }
  }
  if (e.outcome === "error") {
    s.errorCount += 1;
    s.firstErrorAt = minOf(s.firstErrorAt, e.time);
    s.lastErrorAt = maxOf(s.lastErrorAt, e.time);
  }
  if (e.attributes) {
    s.attributes = { ...e.attributes, ...s.attributes };
    s.product = s.attributes.product ?? "";
    s.channel = s.attributes.channel ?? "";
  }
  return s;
}

/**
 * A run's outcome: completed (ok at the final step) over rejected (a business refusal) over failed
 * (its latest event is a technical error) over abandoned (no activity within the conversion window)
 * over in progress.
 */
export function runOutcome(s: RunState, conversionWindowMs: number, now: number): RunOutcome {
  if (s.completedAt !== null) return "completed";
  if (s.rejectedAt !== null) return "rejected";
  if (s.lastOutcome === "error") return "failed";
  if (s.lastAt + conversionWindowMs <= now) return "abandoned";
  return "in_progress";
}

/** Step where a run stopped, when it failed or was rejected. */
export function stoppedStep(s: RunState, outcome: RunOutcome): number | null {
  if (outcome === "rejected") return s.rejectedStep;
  if (outcome === "failed") return s.lastStep;
  return null;
}

/** An error was seen and the run went on past it. */
export function recoveredFailure(s: RunState, outcome: RunOutcome): boolean {
  return s.errorCount > 0 && outcome !== "failed";
}
