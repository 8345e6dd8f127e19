import { describe, expect, it } from "vitest";
import { replayJudgements } from "./probe-state.js";

const start = { down: false, failStreak: 0, okStreak: 0, streakStart: null, downSince: null, lastAt: null };
const rule = { downAfter: 3, upAfter: 2, staleAfterMs: 15 };
const run = (pattern: string) => [...pattern].map((c, i) => ({ at: i * 10, failed: c === "x" }));

describe("confirmed probe state", () => {
  it("is down from the first of three failures until the first of two successes", () => {
    const { periods } = replayJudgements(start, run("ooxxxoxooo"), rule);
    expect(periods).toEqual([{ kind: "down", start: 20, end: 70 }]);
  });

  it("ignores two failures in a row", () => {
    expect(replayJudgements(start, run("oxxoxxo"), rule).periods).toEqual([]);
  });

  it("stays down while failing and reports it open", () => {
    const { periods, end } = replayJudgements(start, run("oxxxx"), rule);
    expect(periods).toEqual([{ kind: "down", start: 10, end: null }]);
    expect(end.down).toBe(true);
  });

  it("marks gaps between judged runs longer than the staleness limit", () => {
    const { periods } = replayJudgements(
      start,
      [
        { at: 0, failed: false },
        { at: 40, failed: false },
      ],
      rule,
    );
    expect(periods).toEqual([{ kind: "stale", start: 15, end: 40 }]);
  });
});
