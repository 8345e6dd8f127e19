import { describe, expect, it } from "vitest";
import { judgeExposure, median, poissonLowerTail, usableBaselineWindow } from "./under-exposure.js";

describe("under-exposure statistics", () => {
  it("computes the Poisson lower tail", () => {
    expect(poissonLowerTail(0, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(poissonLowerTail(2, 3)).toBeCloseTo(Math.exp(-3) * (1 + 3 + 4.5), 12);
    expect(poissonLowerTail(5000, 5000)).toBeGreaterThan(0.5);
  });

  it("takes the median of the past weeks so that one odd week does not move the baseline", () => {
    expect(median([40, 42, 3, 41])).toBe(40.5);
  });

  it("does not call a quiet Sunday night under-exposed", () => {
    // 03:00 on a Sunday: 2, 3, 1, 2 starts in past weeks, none tonight
    const verdict = judgeExposure(0, [2, 3, 1, 2]);
    expect(verdict.underExposed).toBe(false);
    expect(verdict.reason).toBe("not-enough-expected");
  });

  it("calls a busy weekday morning with a fifth of its usual starts under-exposed", () => {
    const verdict = judgeExposure(24, [118, 125, 131, 120]);
    expect(verdict.underExposed).toBe(true);
    expect(verdict.ratio).toBeCloseTo(24 / 122.5, 6);
    expect(verdict.pValue!).toBeLessThan(1e-20);
  });

  it("lets a dip that chance explains pass", () => {
    const verdict = judgeExposure(5, [12, 12, 12, 12], { ratio: 0.5, maxPValue: 0.001, minExpected: 10 });
    expect(verdict.ratio!).toBeLessThan(0.5);
    expect(verdict.reason).toBe("plausible-by-chance");
  });

  it("says nothing without a baseline", () => {
    expect(judgeExposure(0, []).reason).toBe("no-baseline");
  });

  it("leaves out of the baseline a week overlapping an incident or a holiday", () => {
    const window = { from: 1000, to: 2000, localDates: ["2026-12-25"] };
    expect(usableBaselineWindow(window, [], new Set(["2026-12-25"]))).toBe(false);
    expect(
      usableBaselineWindow({ ...window, localDates: ["2026-12-18"] }, [{ from: 1500, to: 2500 }], new Set()),
    ).toBe(false);
    expect(
      usableBaselineWindow({ ...window, localDates: ["2026-12-18"] }, [{ from: 2000, to: 2500 }], new Set()),
    ).toBe(true);
  });
});
