import { describe, expect, it } from "vitest";
import { ABANDONMENT, MINOR_SHARE, planProspect } from "./prospect-plan.js";
import {
  arrivalsBetween,
  arrivalsInMinute,
  expectedProspectsPerHour,
  localWeekdayAndHour,
  MINUTE_MS,
} from "./traffic-shape.js";

const TZ = "Europe/Paris";
// Monday 5 January 2026, 00:00 in Paris (UTC+1)
const MONDAY = Date.parse("2026-01-04T23:00:00Z");
const HOUR = 3_600_000;
const options = { prospectsPerHour: 60, timeZone: TZ, seed: 42 };

/** Arrivals of a simulated week, counted by local weekday and by local hour. */
function simulatedWeek() {
  const byDay = Array(7).fill(0) as number[];
  const byHour = Array(24).fill(0) as number[];
  let total = 0;
  for (const arrival of arrivalsBetween(new Date(MONDAY), new Date(MONDAY + 7 * 24 * HOUR), options)) {
    const { weekday, hour } = localWeekdayAndHour(arrival.at, TZ);
    byDay[weekday]! += 1;
    byHour[hour]! += 1;
    total += 1;
  }
  return { byDay, byHour, total };
}

describe("simulated traffic shape", () => {
  it("averages the configured rate over a week", () => {
    let sum = 0;
    for (let h = 0; h < 7 * 24; h += 1)
      sum += expectedProspectsPerHour(new Date(MONDAY + h * HOUR + HOUR / 2), 60, TZ);
    expect(sum / (7 * 24)).toBeCloseTo(60, 6);
  });

  it("reads the local weekday and hour in Paris, summer time included", () => {
    expect(localWeekdayAndHour(new Date("2026-01-05T11:00:00Z"), TZ)).toEqual({ weekday: 0, hour: 12 });
    expect(localWeekdayAndHour(new Date("2026-07-06T10:00:00Z"), TZ)).toEqual({ weekday: 0, hour: 12 });
    expect(localWeekdayAndHour(new Date("2026-03-29T22:30:00Z"), TZ)).toEqual({ weekday: 0, hour: 0 });
  });

  it("draws about the expected number of prospects in a simulated week", () => {
    const { total } = simulatedWeek();
    expect(total).toBeGreaterThan(60 * 168 * 0.95);
    expect(total).toBeLessThan(60 * 168 * 1.05);
  });

  it("peaks on Monday and is lowest on Sunday", () => {
    const { byDay } = simulatedWeek();
    const [monday, ...others] = byDay;
    expect(monday).toBeGreaterThan(Math.max(...others));
    expect(byDay[6]).toBeLessThan(Math.min(...byDay.slice(0, 6)));
    expect(monday! / byDay[6]!).toBeGreaterThan(1.6);
  });

  it("keeps nights quiet and days busy", () => {
    const { byHour, total } = simulatedWeek();
    const night = byHour.slice(1, 6).reduce((a, b) => a + b, 0);
    const afternoon = byHour.slice(14, 19).reduce((a, b) => a + b, 0);
    expect(night / total).toBeLessThan(0.02);
    expect(afternoon).toBeGreaterThan(night * 15);
  });

  it("gives the same arrivals for the same minute and seed, others for another seed", () => {
    const minute = Math.floor(Date.parse("2026-01-05T10:00:00Z") / MINUTE_MS);
    expect(arrivalsInMinute(minute, options)).toEqual(arrivalsInMinute(minute, options));
    const many = (seed: number) =>
      Array.from({ length: 60 }, (_, i) => arrivalsInMinute(minute + i, { ...options, seed }).length);
    expect(many(1)).not.toEqual(many(2));
  });

  it("plans prospects reproducibly, with their share of minors and abandonments", () => {
    const arrivals = [...arrivalsBetween(new Date(MONDAY), new Date(MONDAY + 2 * 24 * HOUR), options)];
    const plans = arrivals.map((arrival) => planProspect(arrival, 42));
    expect(planProspect(arrivals[10]!, 42)).toEqual(plans[10]);
    const minors = plans.filter((p) => p.identity.dateNaissance > `${2026 - 18}-01-04`).length / plans.length;
    expect(minors).toBeGreaterThan(MINOR_SHARE / 2);
    expect(minors).toBeLessThan(MINOR_SHARE * 2);
    const atDocuments = plans.filter((p) => p.abandonAt === "documents").length;
    const atSignature = plans.filter((p) => p.abandonAt === "signature").length;
    expect(ABANDONMENT.documents).toBeGreaterThan(ABANDONMENT.signature);
    expect(atDocuments).toBeGreaterThan(atSignature);
    expect(plans.every((p) => /^0[67]( \d{2}){4}$/.test(p.contact.telephone))).toBe(true);
  });
});
