import { describe, expect, it } from "vitest";
import { rollupParts } from "./rollup-parts.js";
import { localBuckets, startOfLocal, startOfLocalDay } from "./time.js";

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

  it("splits a range into local days, UTC hours and minutes that cover it exactly once", () => {
    const from = Date.parse("2026-10-23T20:17:00Z");
    const to = Date.parse("2026-10-27T08:05:00Z");
    const parts = rollupParts(from, to, PARIS, PARIS);
    expect(parts.map((p) => p.grain)).toEqual(["minute", "hour", "day", "hour", "minute"]);
    expect(parts[0]!.from).toBe(from);
    expect(parts.at(-1)!.to).toBe(to);
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.from).toBe(parts[i - 1]!.to);
    expect(iso(parts[2]!.from)).toBe("2026-10-23T22:00:00.000Z");
    expect(iso(parts[2]!.to)).toBe("2026-10-26T23:00:00.000Z");
  });

  it("never reads daily rollups for another timezone", () => {
    const parts = rollupParts(
      Date.parse("2026-10-01T00:00:00Z"),
      Date.parse("2026-10-10T00:00:00Z"),
      "UTC",
      PARIS,
    );
    expect(parts.every((p) => p.grain !== "day")).toBe(true);
  });
});
