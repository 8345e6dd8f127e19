import { describe, expect, it } from "vitest";
import { burnRate, burnRateWarnings, deriveBurnWindows } from "./burn-rate.js";

const DAY = 86_400_000;

describe("burn-rate factors", () => {
  it("derives the workbook's 14.4, 6 and 1 for a 30-day period", () => {
    expect(deriveBurnWindows(0.999, 30 * DAY).map((w) => w.factor)).toEqual([14.4, 6, 1]);
  });

  it("derives smaller factors for a shorter period", () => {
    expect(deriveBurnWindows(0.999, 28 * DAY).map((w) => w.factor)).toEqual([13.44, 5.6, 0.933]);
  });

  it("turns a factor into the error rate it stands for", () => {
    const [page] = deriveBurnWindows(0.995, 30 * DAY);
    expect(page!.errorRateThreshold).toBeCloseTo(0.072, 6);
  });

  it("warns that a 90 % objective makes the one-hour page impossible", () => {
    const warnings = burnRateWarnings(0.9, 30 * DAY);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/page rule over 1 h needs an error rate of 144 %/);
  });

  it("does not warn for a usual objective", () => {
    expect(burnRateWarnings(0.995, 30 * DAY)).toEqual([]);
  });

  it("measures the burn rate as the error rate over the budget", () => {
    expect(burnRate(72, 1000, 0.995)).toBeCloseTo(14.4, 6);
    expect(burnRate(0, 0, 0.995)).toBe(0);
  });
});
