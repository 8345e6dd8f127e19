import { describe, expect, it } from "vitest";
import { businessHours, timeAvailability } from "./time-based.js";

const at = (text: string) => Date.parse(text);

describe("time-based availability", () => {
  it("counts business hours in local time across the autumn change", () => {
    // Friday 23 Oct (CEST) to Tuesday 27 Oct (CET) 2026, 08:00–20:00 Monday to Friday in Paris
    const hours = businessHours(
      { days: [1, 2, 3, 4, 5], from: "08:00", to: "20:00", availabilityOnly: true },
      at("2026-10-23T00:00:00Z"),
      at("2026-10-28T00:00:00Z"),
      "Europe/Paris",
    );
    expect(hours.map(([s, e]) => [new Date(s).toISOString(), new Date(e).toISOString()])).toEqual([
      ["2026-10-23T06:00:00.000Z", "2026-10-23T18:00:00.000Z"],
      ["2026-10-26T07:00:00.000Z", "2026-10-26T19:00:00.000Z"],
      ["2026-10-27T07:00:00.000Z", "2026-10-27T19:00:00.000Z"],
    ]);
  });

  it("leaves unknown and excluded time out of the ratio and reports them", () => {
    const timeline = { firstAt: 100, lastAt: 900, down: [[200, 300]] as [number, number][], stale: [] };
    const result = timeAvailability(timeline, 0, 1000, 1000, [[400, 500]], 50);
    // counted 0–1000 minus 400–500; unknown 0–100 and 950–1000; down 200–300
    expect(result).toEqual({
      method: "time",
      ratio: 650 / 750,
      upSeconds: 0.65,
      downSeconds: 0.1,
      unknownSeconds: 0.15,
      excludedSeconds: 0.1,
    });
  });
});
