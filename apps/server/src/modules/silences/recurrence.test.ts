import { instantOf, offsetAt, shiftWallClockDays } from "@vigie/zoned-time";
import { describe, expect, it } from "vitest";
import { checkSchedule, isActiveAt, ScheduleError, windowsBetween } from "./recurrence.js";

const iso = (t: number) => new Date(t).toISOString();

describe("recurring maintenance windows", () => {
  const sundayNights = {
    startsAt: "2026-03-15T01:00",
    endsAt: "2026-03-15T04:00",
    timeZone: "Europe/Paris",
    rrule: "FREQ=WEEKLY;BYDAY=SU",
  };

  it("keeps a weekly window at the same local hours across the spring daylight-saving change", () => {
    const windows = windowsBetween(
      sundayNights,
      Date.parse("2026-03-21T00:00Z"),
      Date.parse("2026-04-06T00:00Z"),
    );
    expect(windows.map((w) => [iso(w.from), iso(w.to)])).toEqual([
      // 22 March, winter time (UTC+1): 01:00–04:00 local
      ["2026-03-22T00:00:00.000Z", "2026-03-22T03:00:00.000Z"],
      // 29 March, the change happens at 02:00 inside the window: 01:00 CET to 04:00 CEST, 2 hours
      ["2026-03-29T00:00:00.000Z", "2026-03-29T02:00:00.000Z"],
      // 5 April, summer time (UTC+2)
      ["2026-04-04T23:00:00.000Z", "2026-04-05T02:00:00.000Z"],
    ]);
  });

  it("keeps a weekly window at the same local hours across the autumn change", () => {
    const windows = windowsBetween(
      sundayNights,
      Date.parse("2026-10-24T00:00Z"),
      Date.parse("2026-10-27T00:00Z"),
    );
    // 25 October: 01:00 CEST to 04:00 CET, 4 hours
    expect(windows.map((w) => [iso(w.from), iso(w.to)])).toEqual([
      ["2026-10-24T23:00:00.000Z", "2026-10-25T03:00:00.000Z"],
    ]);
  });

  it("is in force inside a window and not outside", () => {
    expect(isActiveAt(sundayNights, Date.parse("2026-04-05T01:30Z"))).toBe(true);
    expect(isActiveAt(sundayNights, Date.parse("2026-04-05T02:30Z"))).toBe(false);
    expect(isActiveAt(sundayNights, Date.parse("2026-04-06T01:30Z"))).toBe(false);
  });

  it("applies a one-off window given as instants with an offset", () => {
    const once = {
      startsAt: "2026-06-01T10:00:00+02:00",
      endsAt: "2026-06-01T11:00:00+02:00",
      timeZone: "Europe/Paris",
    };
    expect(isActiveAt(once, Date.parse("2026-06-01T08:30Z"))).toBe(true);
    expect(isActiveAt(once, Date.parse("2026-06-01T09:30Z"))).toBe(false);
  });

  it("refuses an unknown timezone, a reversed window and an unreadable RRULE", () => {
    expect(() => checkSchedule({ ...sundayNights, timeZone: "Mars/Olympus" })).toThrow(ScheduleError);
    expect(() => checkSchedule({ ...sundayNights, endsAt: "2026-03-14T00:00" })).toThrow(/after/);
    expect(() => checkSchedule({ ...sundayNights, rrule: "FREQ=SOMETIMES" })).toThrow(ScheduleError);
  });
});

describe("zoned time", () => {
  it("knows Paris offsets on both sides of a change", () => {
    expect(offsetAt(Date.parse("2026-01-10T12:00Z"), "Europe/Paris")).toBe(3_600_000);
    expect(offsetAt(Date.parse("2026-07-10T12:00Z"), "Europe/Paris")).toBe(7_200_000);
  });

  it("moves a time skipped in spring forward by the gap", () => {
    const t = instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, "Europe/Paris");
    expect(iso(t)).toBe("2026-03-29T01:30:00.000Z");
  });

  it("finds the same weekday and hour one week earlier across a change", () => {
    const monday10 = Date.parse("2026-03-30T08:00Z"); // 10:00 CEST
    expect(iso(shiftWallClockDays(monday10, -7, "Europe/Paris"))).toBe("2026-03-23T09:00:00.000Z"); // 10:00 CET
  });
});
