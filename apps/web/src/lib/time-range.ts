/**
 * Time ranges as business people name them ("yesterday", "last month"), computed in the user's
 * timezone so that day and month boundaries stay right across daylight-saving changes.
 */
import { isoWeekday, shiftWallClockDays, type WallClock, wallClockAt, zonedInstant } from "@vigie/zoned-time";

export const RANGE_PRESETS = [
  "today",
  "yesterday",
  "7d",
  "thisWeek",
  "30d",
  "thisMonth",
  "lastMonth",
  "custom",
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** A half-open interval [from, to) and the preset that produced it. */
export interface TimeRange {
  preset: RangePreset;
  from: Date;
  to: Date;
}

/** Paris, unless the user chose another zone. */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

/** The wall-clock reading of an instant in a timezone, with its day of the week (1 = Monday … 7 = Sunday). */
export function wallClock(instant: Date, timeZone: string): WallClock & { weekday: number } {
  const wall = wallClockAt(instant.getTime(), timeZone);
  return { ...wall, weekday: isoWeekday(wall) };
}

/**
 * The instant at which the timezone's wall clock reads that date and time. Out-of-range days roll
 * over (day 0 is the last day of the previous month), which makes "N days before" arithmetic easy.
 */
export function zonedTime(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): Date {
  return new Date(zonedInstant(timeZone, year, month, day, hour, minute));
}

/** Midnight (in the timezone) of the day `deltaDays` after the day containing `instant`. */
export function startOfDay(instant: Date, timeZone: string, deltaDays = 0): Date {
  const wall = wallClock(instant, timeZone);
  return zonedTime(timeZone, wall.year, wall.month, wall.day + deltaDays);
}

/** Midnight of the first day of the month `deltaMonths` after the one containing `instant`. */
export function startOfMonth(instant: Date, timeZone: string, deltaMonths = 0): Date {
  const wall = wallClock(instant, timeZone);
  return zonedTime(timeZone, wall.year, wall.month + deltaMonths, 1);
}

/** Monday midnight of the week containing `instant`. */
export function startOfWeek(instant: Date, timeZone: string, deltaWeeks = 0): Date {
  const wall = wallClock(instant, timeZone);
  return zonedTime(timeZone, wall.year, wall.month, wall.day - (wall.weekday - 1) + 7 * deltaWeeks);
}

/** The interval a preset stands for at `now`; `custom` needs its own bounds (see {@link customRange}). */
export function presetRange(preset: Exclude<RangePreset, "custom">, now: Date, timeZone: string): TimeRange {
  const today = startOfDay(now, timeZone);
  switch (preset) {
    case "today":
      return { preset, from: today, to: now };
    case "yesterday":
      return { preset, from: startOfDay(now, timeZone, -1), to: today };
    case "7d":
      return { preset, from: startOfDay(now, timeZone, -6), to: now };
    case "thisWeek":
      return { preset, from: startOfWeek(now, timeZone), to: now };
    case "30d":
      return { preset, from: startOfDay(now, timeZone, -29), to: now };
    case "thisMonth":
      return { preset, from: startOfMonth(now, timeZone), to: now };
    case "lastMonth":
      return { preset, from: startOfMonth(now, timeZone, -1), to: startOfMonth(now, timeZone) };
  }
}

/** A custom interval; refuses an empty or reversed one. */
export function customRange(from: Date, to: Date): TimeRange {
  if (!(from.getTime() < to.getTime())) throw new RangeError("a time range must end after it starts");
  return { preset: "custom", from, to };
}

/** Whole days from `firstDay` to `lastDay` inclusive ("YYYY-MM-DD"), as the timezone counts days. */
export function dayRange(firstDay: string, lastDay: string, timeZone: string): TimeRange {
  const [y1, m1, d1] = firstDay.split("-").map(Number) as [number, number, number];
  const [y2, m2, d2] = lastDay.split("-").map(Number) as [number, number, number];
  return customRange(zonedTime(timeZone, y1, m1, d1), zonedTime(timeZone, y2, m2, d2 + 1));
}

function shiftDays(instant: Date, timeZone: string, days: number): Date {
  return new Date(shiftWallClockDays(instant.getTime(), days, timeZone));
}

/**
 * The period to compare with: the same calendar span just before (yesterday for today, the previous
 * month for a month, the previous week for a week), or the same length just before for a custom range.
 */
export function previousPeriod(range: TimeRange, timeZone: string): TimeRange {
  const { from, to } = range;
  switch (range.preset) {
    case "today":
    case "yesterday":
      return { preset: "custom", from: shiftDays(from, timeZone, -1), to: shiftDays(to, timeZone, -1) };
    case "7d":
    case "thisWeek":
      return { preset: "custom", from: shiftDays(from, timeZone, -7), to: shiftDays(to, timeZone, -7) };
    case "30d":
      return { preset: "custom", from: shiftDays(from, timeZone, -30), to: shiftDays(to, timeZone, -30) };
    case "thisMonth":
    case "lastMonth": {
      const previousStart = startOfMonth(from, timeZone, -1);
      const elapsed = to.getTime() - from.getTime();
      const end = Math.min(previousStart.getTime() + elapsed, from.getTime());
      return {
        preset: "custom",
        from: previousStart,
        to: range.preset === "lastMonth" ? from : new Date(end),
      };
    }
    case "custom": {
      const length = to.getTime() - from.getTime();
      return { preset: "custom", from: new Date(from.getTime() - length), to: from };
    }
  }
}

/** Bucket size the analytics API should use: hours up to 8 days, days up to ~6 months, then weeks. */
export function bucketFor(range: TimeRange): "hour" | "day" | "week" {
  const hours = (range.to.getTime() - range.from.getTime()) / 3_600_000;
  if (hours <= 24 * 8) return "hour";
  return hours <= 24 * 190 ? "day" : "week";
}

/** Reads a range from URL parameters (`range`, and `from`/`to` for custom); falls back to `fallback`. */
export function rangeFromSearch(
  params: URLSearchParams,
  now: Date,
  timeZone: string,
  fallback: Exclude<RangePreset, "custom"> = "7d",
): TimeRange {
  const preset = params.get("range");
  if (preset === "custom") {
    const from = new Date(params.get("from") ?? "");
    const to = new Date(params.get("to") ?? "");
    if (!Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to)
      return customRange(from, to);
  } else if (preset && (RANGE_PRESETS as readonly string[]).includes(preset)) {
    return presetRange(preset as Exclude<RangePreset, "custom">, now, timeZone);
  }
  return presetRange(fallback, now, timeZone);
}

/** Writes a range into URL parameters (only the preset name when it is one, so links stay relative). */
export function rangeToSearch(range: TimeRange, params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("range", range.preset);
  if (range.preset === "custom") {
    next.set("from", range.from.toISOString());
    next.set("to", range.to.toISOString());
  } else {
    next.delete("from");
    next.delete("to");
  }
  return next;
}
