import { describe, expect, it } from "vitest";
import { rollupParts } from "./rollup-parts.js";

const PARIS = "Europe/Paris";
const iso = (ms: number) => new Date(ms).toISOString();

describe("rollup parts", () => {
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
