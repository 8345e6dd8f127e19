import { describe, expect, it } from "vitest";
import { instantOf, localBuckets, startOfLocal, startOfLocalDay, zonedInstant } from "./index.ts";

const PARIS = "Europe/Paris";
const iso = (ms: number) => new Date(ms).toISOString();

describe("local time boundaries", () => {
  it("gives the 25-hour day of the autumn change in Paris", () => {
    const start = startOfLocalDay(Date.parse("2026-10-25T12:00:00Z"), PARIS);
    expect(iso(start)).toBe("2026-10-24T22:00:00.000Z");
    const [day] = localBuckets(start, start + 1, "day", PARIS);
    expect(iso(day!.end)).toBe("2026-10-25T23:00:00.000Z");
  });

  it("gives the 23-hour day of the spring change in Paris", () => {
    const [day] = localBuckets(
      Date.parse("2026-03-29T05:00:00Z"),
      Date.parse("2026-03-29T06:00:00Z"),
      "day",
      PARIS,
    );
    expect([iso(day!.start), iso(day!.end)]).toEqual([
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T22:00:00.000Z",
    ]);
  });

  it("starts weeks on Monday and months on the first, local time", () => {
    const at = Date.parse("2026-11-05T10:00:00Z");
    expect(iso(startOfLocal(at, "week", PARIS))).toBe("2026-11-01T23:00:00.000Z");
    expect(iso(startOfLocal(at, "month", PARIS))).toBe("2026-10-31T23:00:00.000Z");
    const months = localBuckets(
      Date.parse("2026-10-01T00:00:00Z"),
      Date.parse("2026-12-01T00:00:00Z"),
      "month",
      PARIS,
    );
    expect(months.map((m) => iso(m.start))).toEqual([
      "2026-09-30T22:00:00.000Z",
      "2026-10-31T23:00:00.000Z",
      "2026-11-30T23:00:00.000Z",
    ]);
  });

  it("moves a time skipped by the spring change forward by the gap, and takes the first of a repeated time", () => {
    expect(iso(zonedInstant(PARIS, 2026, 3, 29, 2, 30))).toBe("2026-03-29T01:30:00.000Z");
    const repeated = instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, PARIS);
    expect(iso(repeated)).toBe("2026-10-25T00:30:00.000Z");
  });

  it("lets days and months overflow as Date.UTC does", () => {
    expect(iso(zonedInstant(PARIS, 2026, 1, 32))).toBe("2026-01-31T23:00:00.000Z");
    expect(iso(zonedInstant(PARIS, 2026, 13, 1))).toBe("2026-12-31T23:00:00.000Z");
  });
});
