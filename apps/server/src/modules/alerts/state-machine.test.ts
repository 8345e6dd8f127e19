import { describe, expect, it } from "vitest";
import {
  type AlertPolicy,
  type AlertState,
  acknowledge,
  advance,
  DEFAULT_POLICY,
  dueNotices,
  initialState,
  type NoticeKind,
  type Observation,
} from "./state-machine.js";

const OPEN: Observation = { open: true, close: false };
const CLOSE: Observation = { open: false, close: true };
const BETWEEN: Observation = { open: false, close: false };
const MIN = 60_000;

/** Feeds observations one minute apart (unless a time is given) and collects every notice sent. */
function run(
  steps: (Observation | [number, Observation] | [number, "ack"])[],
  policy: Partial<AlertPolicy> = {},
  held: (t: number) => boolean = () => false,
): { state: AlertState; notices: [number, NoticeKind][] } {
  const full = { ...DEFAULT_POLICY, ...policy };
  let state = initialState();
  const notices: [number, NoticeKind][] = [];
  let t = 0;
  for (const step of steps) {
    let observation: Observation | "ack";
    if (Array.isArray(step)) [t, observation] = step;
    else {
      t += MIN;
      observation = step;
    }
    if (observation === "ack") {
      state = acknowledge(state, t, "ops");
      continue;
    }
    state = advance(state, observation, t, full);
    const due = dueNotices(state, t, full, held(t));
    state = due.state;
    for (const notice of due.notices) notices.push([t, notice]);
  }
  return { state, notices };
}

describe("alert state machine", () => {
  it("fires at once when the open condition holds and no pending delay is set", () => {
    const { state, notices } = run([OPEN]);
    expect(state.status).toBe("firing");
    expect(notices).toEqual([[MIN, "firing"]]);
  });

  it("stays pending until the open condition has held for the pending delay", () => {
    const { notices } = run([OPEN, OPEN, OPEN, OPEN], { pendingForMs: 2 * MIN });
    expect(notices).toEqual([[3 * MIN, "firing"]]);
  });

  it("returns to inactive without a notice when the condition stops while pending", () => {
    const { state, notices } = run([OPEN, CLOSE, OPEN], { pendingForMs: 5 * MIN });
    expect(state.status).toBe("pending");
    expect(notices).toEqual([]);
  });

  it("keeps firing while neither the open nor the close condition holds (hysteresis)", () => {
    const { state, notices } = run([OPEN, BETWEEN, BETWEEN, BETWEEN]);
    expect(state.status).toBe("firing");
    expect(notices).toEqual([[MIN, "firing"]]);
  });

  it("resolves only after the close condition held for the keep-firing delay", () => {
    const { notices } = run([OPEN, CLOSE, CLOSE, OPEN, CLOSE, CLOSE, CLOSE], { keepFiringForMs: 2 * MIN });
    expect(notices).toEqual([
      [MIN, "firing"],
      [7 * MIN, "resolved"],
    ]);
  });

  it("sends one flapping notice and holds the alert open when it changes state too often", () => {
    const { state, notices } = run([OPEN, CLOSE, OPEN, CLOSE, OPEN, CLOSE, OPEN, CLOSE, OPEN]);
    expect(notices).toEqual([
      [1 * MIN, "firing"],
      [2 * MIN, "resolved"],
      [3 * MIN, "firing"],
      [4 * MIN, "flapping"],
    ]);
    expect(state.status).toBe("firing");
    expect(state.flapping).toBe(true);
  });

  it("resolves a flapping alert once the close condition held for a whole flap window", () => {
    const flaps = [OPEN, CLOSE, OPEN, CLOSE];
    const { state, notices } = run([...flaps, [10 * MIN, CLOSE], [10 * MIN + 3_600_000, CLOSE]]);
    expect(notices.at(-1)).toEqual([10 * MIN + 3_600_000, "resolved"]);
    expect(state.flapping).toBe(false);
    expect(state.status).toBe("inactive");
  });

  it("repeats a firing alert after the repeat interval until it is acknowledged", () => {
    const policy = { repeatIntervalMs: 10 * MIN };
    const unacked = run(
      [
        [0, OPEN],
        [10 * MIN, OPEN],
        [20 * MIN, OPEN],
      ],
      policy,
    );
    expect(unacked.notices.map((n) => n[1])).toEqual(["firing", "repeat", "repeat"]);
    const acked = run(
      [
        [0, OPEN],
        [5 * MIN, "ack"],
        [10 * MIN, OPEN],
        [20 * MIN, OPEN],
      ],
      policy,
    );
    expect(acked.notices.map((n) => n[1])).toEqual(["firing"]);
  });

  it("escalates once after the delay when nobody acknowledged", () => {
    const policy = { escalateAfterMs: 15 * MIN };
    const { notices } = run(
      [
        [0, OPEN],
        [10 * MIN, OPEN],
        [15 * MIN, OPEN],
        [30 * MIN, OPEN],
      ],
      policy,
    );
    expect(notices).toEqual([
      [0, "firing"],
      [15 * MIN, "escalation"],
    ]);
  });

  it("does not escalate an acknowledged alert", () => {
    const { notices } = run(
      [
        [0, OPEN],
        [1 * MIN, "ack"],
        [20 * MIN, OPEN],
      ],
      { escalateAfterMs: 15 * MIN },
    );
    expect(notices).toEqual([[0, "firing"]]);
  });

  it("clears the acknowledgement when a new firing episode begins", () => {
    const { state } = run([
      [0, OPEN],
      [1 * MIN, "ack"],
      [2 * MIN, CLOSE],
      [3 * MIN, OPEN],
    ]);
    expect(state.acknowledgedAt).toBeNull();
  });

  it("announces nothing for a problem that began and ended inside a held period", () => {
    const held = (t: number) => t >= 2 * MIN && t <= 5 * MIN;
    const { notices } = run([CLOSE, OPEN, OPEN, CLOSE, CLOSE, CLOSE], {}, held);
    expect(notices).toEqual([]);
  });

  it("announces at the end of a held period a state that differs from before it", () => {
    const held = (t: number) => t >= 2 * MIN && t <= 4 * MIN;
    const { notices } = run([CLOSE, OPEN, OPEN, OPEN, OPEN], {}, held);
    expect(notices).toEqual([[5 * MIN, "firing"]]);
  });

  it("announces the recovery of an alert that resolved while held", () => {
    const held = (t: number) => t >= 2 * MIN && t <= 3 * MIN;
    const { notices } = run([OPEN, CLOSE, CLOSE, CLOSE], {}, held);
    expect(notices).toEqual([
      [MIN, "firing"],
      [4 * MIN, "resolved"],
    ]);
  });
});
