/**
 * The life of one alert (a rule applied to one group, e.g. one journey), as pure functions of its
 * previous state, what the rule observes now, and the time. No I/O, no clock: the caller passes
 * `now`, so that every noise-control behaviour is tested to the millisecond.
 */

/** How an alert turns observations into states and notices; every default is stated. */
export interface AlertPolicy {
  /** The open condition must hold this long before the alert fires [0: at once]. */
  pendingForMs: number;
  /** The close condition must hold this long before a firing alert resolves [0]. */
  keepFiringForMs: number;
  /** Window over which state changes are counted for flap detection [1 h]. */
  flapWindowMs: number;
  /** State changes within the window that make the alert "flapping" [4]. */
  flapThreshold: number;
  /** A firing, unacknowledged alert is notified again this often [4 h]. */
  repeatIntervalMs: number;
  /** Escalate to the second audience after this long firing unacknowledged [none]. */
  escalateAfterMs: number | null;
}

export const DEFAULT_POLICY: AlertPolicy = {
  pendingForMs: 0,
  keepFiringForMs: 0,
  flapWindowMs: 3_600_000,
  flapThreshold: 4,
  repeatIntervalMs: 4 * 3_600_000,
  escalateAfterMs: null,
};

/**
 * What a rule sees now. `open` and `close` are separate conditions (hysteresis): when neither holds
 * the alert keeps its state, so a value hovering around one threshold cannot make it flap.
 */
export interface Observation {
  open: boolean;
  close: boolean;
}

export type AlertStatus = "inactive" | "pending" | "firing";
/** What the audiences were last told about this alert. */
export type NotifiedStatus = "firing" | "resolved" | null;

/** Persisted state of one alert. Times are epoch milliseconds. */
export interface AlertState {
  status: AlertStatus;
  /** When the current status began. */
  since: number | null;
  /** Start of the current (or last) firing episode. */
  firingSince: number | null;
  /** End of the last firing episode. */
  resolvedAt: number | null;
  /** Since when the close condition has held while firing. */
  closingSince: number | null;
  /** Times of the recent firing/resolved changes, for flap detection. */
  changes: number[];
  flapping: boolean;
  flapNotified: boolean;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  escalatedAt: number | null;
  notified: NotifiedStatus;
  lastNotifiedAt: number | null;
}

/** A fresh alert that never fired. */
export function initialState(): AlertState {
  return {
    status: "inactive",
    since: null,
    firingSince: null,
    resolvedAt: null,
    closingSince: null,
    changes: [],
    flapping: false,
    flapNotified: false,
    acknowledgedAt: null,
    acknowledgedBy: null,
    escalatedAt: null,
    notified: null,
    lastNotifiedAt: null,
  };
}

/** A notice to send: the kind decides the message and, for escalation, the audience. */
export type NoticeKind = "firing" | "resolved" | "repeat" | "escalation" | "flapping";

function recordChange(state: AlertState, now: number, policy: AlertPolicy): void {
  state.changes = [...state.changes.filter((t) => now - t < policy.flapWindowMs), now];
}

function fire(state: AlertState, now: number, policy: AlertPolicy): void {
  state.status = "firing";
  state.since = now;
  state.firingSince = now;
  state.closingSince = null;
  state.resolvedAt = null;
  // a new episode: the previous acknowledgement and escalation belonged to the last one
  state.acknowledgedAt = null;
  state.acknowledgedBy = null;
  state.escalatedAt = null;
  recordChange(state, now, policy);
}

function resolve(state: AlertState, now: number, policy: AlertPolicy): void {
  state.status = "inactive";
  state.since = now;
  state.resolvedAt = now;
  state.closingSince = null;
  recordChange(state, now, policy);
}

/**
 * Advances the alert with what the rule observes at `now`. When resolving would make one state
 * change too many within the flap window, the alert becomes "flapping" and is held open: it resolves
 * only once the close condition has held for a whole flap window, and then stops flapping.
 */
export function advance(
  previous: AlertState,
  observation: Observation,
  now: number,
  policy: AlertPolicy = DEFAULT_POLICY,
): AlertState {
  const state: AlertState = {
    ...previous,
    changes: previous.changes.filter((t) => now - t < policy.flapWindowMs),
  };
  switch (state.status) {
    case "inactive":
      if (observation.open) {
        state.status = "pending";
        state.since = now;
        if (policy.pendingForMs <= 0) fire(state, now, policy);
      }
      break;
    case "pending":
      if (!observation.open) {
        state.status = "inactive";
        state.since = now;
      } else if (state.since !== null && now - state.since >= policy.pendingForMs) {
        fire(state, now, policy);
      }
      break;
    case "firing": {
      if (!observation.close) {
        state.closingSince = null;
        break;
      }
      state.closingSince ??= now;
      const held = now - state.closingSince;
      if (state.flapping) {
        if (held >= Math.max(policy.keepFiringForMs, policy.flapWindowMs)) {
          resolve(state, now, policy);
          state.flapping = false;
          state.flapNotified = false;
          state.changes = [];
        }
      } else if (held >= policy.keepFiringForMs) {
        // resolving now would be one change too many: hold the alert open as "flapping" instead
        if (state.changes.length + 1 >= policy.flapThreshold) state.flapping = true;
        else resolve(state, now, policy);
      }
      break;
    }
  }
  return state;
}

/**
 * Decides which notices are due now and records them as sent (the caller writes them to the outbox
 * in the same transaction). `held` (silence, maintenance window, inhibition) sends nothing and
 * records nothing: once released, the audiences hear only how the state differs from what they were
 * last told — a problem that began and ended inside a window is never announced.
 */
export function dueNotices(
  previous: AlertState,
  now: number,
  policy: AlertPolicy = DEFAULT_POLICY,
  held = false,
): { state: AlertState; notices: NoticeKind[] } {
  if (held) return { state: previous, notices: [] };
  const state: AlertState = { ...previous };
  const notices: NoticeKind[] = [];
  const current = state.status === "firing" ? "firing" : "resolved";
  const told = state.notified ?? "resolved";
  if (current !== told) {
    if (current === "firing" && state.flapping) {
      if (!state.flapNotified) notices.push("flapping");
      state.flapNotified = true;
    } else {
      notices.push(current);
    }
    state.notified = current;
    state.lastNotifiedAt = now;
  } else if (current === "firing" && state.flapping && !state.flapNotified) {
    notices.push("flapping");
    state.flapNotified = true;
    state.lastNotifiedAt = now;
  } else if (current === "firing" && state.acknowledgedAt === null) {
    if (state.lastNotifiedAt !== null && now - state.lastNotifiedAt >= policy.repeatIntervalMs) {
      notices.push("repeat");
      state.lastNotifiedAt = now;
    }
  }
  if (
    current === "firing" &&
    state.acknowledgedAt === null &&
    state.escalatedAt === null &&
    policy.escalateAfterMs !== null &&
    state.firingSince !== null &&
    now - state.firingSince >= policy.escalateAfterMs
  ) {
    notices.push("escalation");
    state.escalatedAt = now;
  }
  return { state, notices };
}

/** Records an acknowledgement: repeats and escalation stop for this firing episode. */
export function acknowledge(previous: AlertState, now: number, by: string): AlertState {
  if (previous.status !== "firing") return previous;
  return { ...previous, acknowledgedAt: now, acknowledgedBy: by };
}
