import { describe, expect, it } from "vitest";
import {
  bucketFor,
  customRange,
  dayRange,
  presetRange,
  previousPeriod,
  rangeFromSearch,
  rangeToSearch,
  startOfDay,
  zonedTime,
} from "./time-range.ts";

const PARIS = "Europe/Paris";
const iso = (date: Date) => date.toISOString();

describe("time ranges in the reader's timezone", () => {
  it("starts today at Paris midnight, which is 23:00 UTC the day before in winter", () => {
    const range = presetRange("today", new Date("2026-11-25T14:05:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-11-24T23:00:00.000Z");
    expect(iso(range.to)).toBe("2026-11-25T14:05:00.000Z");
  });

  it("starts today at Paris midnight, which is 22:00 UTC the day before in summer", () => {
    const range = presetRange("today", new Date("2026-07-14T08:00:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-07-13T22:00:00.000Z");
  });

  it("makes yesterday 23 hours long on the day clocks go forward", () => {
    // 29 March 2026: 02:00 → 03:00 in Paris
    const range = presetRange("yesterday", new Date("2026-03-30T10:00:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(range.to)).toBe("2026-03-29T22:00:00.000Z");
    expect(range.to.getTime() - range.from.getTime()).toBe(23 * 3_600_000);
  });

  it("makes yesterday 25 hours long on the day clocks go back", () => {
    // 25 October 2026: 03:00 → 02:00 in Paris
    const range = presetRange("yesterday", new Date("2026-10-26T10:00:00Z"), PARIS);
    expect(range.to.getTime() - range.from.getTime()).toBe(25 * 3_600_000);
  });

  it("covers seven calendar days including today for the 7-day preset", () => {
    const range = presetRange("7d", new Date("2026-11-25T14:05:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-11-18T23:00:00.000Z");
  });

  it("starts this week on Monday", () => {
    // Wednesday 25 November 2026
    const range = presetRange("thisWeek", new Date("2026-11-25T14:05:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-11-22T23:00:00.000Z");
  });

  it("takes last month from its first to the first of this month, across a year boundary", () => {
    const range = presetRange("lastMonth", new Date("2027-01-10T09:00:00Z"), PARIS);
    expect(iso(range.from)).toBe("2026-11-30T23:00:00.000Z");
    expect(iso(range.to)).toBe("2026-12-31T23:00:00.000Z");
  });

  it("follows the chosen timezone, not the browser's", () => {
    const range = presetRange("today", new Date("2026-11-25T14:05:00Z"), "America/New_York");
    expect(iso(range.from)).toBe("2026-11-25T05:00:00.000Z");
  });

  it("rolls day overflow into the next month", () => {
    expect(iso(zonedTime(PARIS, 2026, 1, 32))).toBe("2026-01-31T23:00:00.000Z");
    expect(iso(startOfDay(new Date("2026-03-01T12:00:00Z"), PARIS, -1))).toBe("2026-02-27T23:00:00.000Z");
  });

  it("turns picked days into whole local days, the last one included", () => {
    const range = dayRange("2026-10-24", "2026-10-25", PARIS);
    expect(iso(range.from)).toBe("2026-10-23T22:00:00.000Z");
    expect(iso(range.to)).toBe("2026-10-25T23:00:00.000Z");
  });

  it("refuses a range that ends before it starts", () => {
    expect(() => customRange(new Date("2026-01-02"), new Date("2026-01-01"))).toThrow(RangeError);
  });
});

describe("previous period", () => {
  it("compares this week so far with the same days of last week", () => {
    const now = new Date("2026-11-25T14:05:00Z");
    const previous = previousPeriod(presetRange("thisWeek", now, PARIS), PARIS);
    expect(iso(previous.from)).toBe("2026-11-15T23:00:00.000Z");
    expect(iso(previous.to)).toBe("2026-11-18T14:05:00.000Z");
  });

  it("compares last month with the whole month before it", () => {
    const previous = previousPeriod(presetRange("lastMonth", new Date("2026-03-10T09:00:00Z"), PARIS), PARIS);
    // last month is February; the one before is January
    expect(iso(previous.from)).toBe("2025-12-31T23:00:00.000Z");
    expect(iso(previous.to)).toBe("2026-01-31T23:00:00.000Z");
  });

  it("keeps local midnight when the comparison crosses a daylight-saving change", () => {
    const previous = previousPeriod(presetRange("yesterday", new Date("2026-03-31T10:00:00Z"), PARIS), PARIS);
    // yesterday is 30 March (summer time); the day before is 29 March, 23 hours long
    expect(iso(previous.from)).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(previous.to)).toBe("2026-03-29T22:00:00.000Z");
  });

  it("shifts a custom range back by its own length", () => {
    const previous = previousPeriod(
      customRange(new Date("2026-11-10T00:00:00Z"), new Date("2026-11-10T06:00:00Z")),
      PARIS,
    );
    expect(iso(previous.from)).toBe("2026-11-09T18:00:00.000Z");
    expect(iso(previous.to)).toBe("2026-11-10T00:00:00.000Z");
  });
});

describe("ranges in the address", () => {
  const now = new Date("2026-11-25T14:05:00Z");

  it("round-trips a custom range through URL parameters", () => {
    const range = customRange(new Date("2026-11-01T10:00:00Z"), new Date("2026-11-02T10:00:00Z"));
    const params = rangeToSearch(range, new URLSearchParams("compare=1"));
    expect(params.get("compare")).toBe("1");
    const back = rangeFromSearch(params, now, PARIS);
    expect(back).toEqual(range);
  });

  it("falls back to the default preset on a malformed address", () => {
    const range = rangeFromSearch(new URLSearchParams("range=custom&from=nonsense"), now, PARIS, "30d");
    expect(range.preset).toBe("30d");
  });

  it("picks hourly buckets for a week and daily ones for a month", () => {
    expect(bucketFor(presetRange("7d", now, PARIS))).toBe("hour");
    expect(bucketFor(presetRange("30d", now, PARIS))).toBe("day");
  });
});
