import { describe, expect, it } from "vitest";
import { trafficSignals } from "./detect.js";

const MIN = 60_000;
const T0 = Date.parse("2026-11-07T10:00:00Z");
const rule = { threshold: 0.5, minAttempts: 5, window: 15 * MIN };
/** One row of the minute rollup for step "identity". */
const minute = (m: number, attempts: number, errors: number) => ({
  bucket: T0 + m * MIN,
  step: "identity",
  attempts,
  errors,
});

describe("real-traffic signal", () => {
  it("judges each minute alone when it holds enough outcomes, and joins consecutive bad minutes", () => {
    const signals = trafficSignals(
      [minute(0, 10, 1), minute(1, 10, 6), minute(2, 8, 5), minute(3, 10, 0)],
      rule,
    );
    expect(signals).toEqual([{ source: "traffic", step: "identity", start: T0 + MIN, end: T0 + 3 * MIN }]);
  });

  it("on thin traffic, judges a minute with errors with the minutes before it until enough outcomes", () => {
    // one prospect a minute; the outage starts at minute 3
    const rows = [minute(0, 1, 0), minute(1, 1, 0), minute(2, 1, 0)];
    for (let m = 3; m < 12; m++) rows.push(minute(m, 1, m % 3 === 0 ? 0 : 1));
    const [signal, ...rest] = trafficSignals(rows, rule);
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({ step: "identity", end: T0 + 12 * MIN });
    expect(signal!.start).toBeGreaterThanOrEqual(T0 + 4 * MIN);
    expect(signal!.start).toBeLessThanOrEqual(T0 + 7 * MIN);
  });

  it("sees no outage in an error now and then among successes", () => {
    const rows = [];
    for (let m = 0; m < 30; m++) rows.push(minute(m, 1, m % 7 === 0 ? 1 : 0));
    expect(trafficSignals(rows, rule)).toEqual([]);
  });

  it("never adds up outcomes further back than the window", () => {
    const rows = [minute(0, 2, 2), minute(20, 2, 2), minute(40, 2, 2)];
    expect(trafficSignals(rows, rule)).toEqual([]);
    expect(trafficSignals(rows, { ...rule, window: 45 * MIN })).toHaveLength(1);
  });
});
