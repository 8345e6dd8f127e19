/**
 * Wall-clock time in an IANA timezone, with Intl only (no timezone database of our own): the fields
 * a person reads on a clock in Paris, the instant they name, and calendar boundaries (local day,
 * Monday-based week, month) exact across daylight-saving changes. The server (rollups, reports,
 * silences) and the web app (time-range presets) share it, so both cut days at the same instants.
 */

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant` (ms since the epoch). */
export function wallClockAt(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Day of the week of a wall-clock date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(wall: Pick<WallClock, "year" | "month" | "day">): number {
  return ((new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7) + 1;
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Offset of `timeZone` from UTC at `instant`, in ms (Paris in summer: +7 200 000). */
export function offsetAt(instant: number, timeZone: string): number {
  return asUtc(wallClockAt(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in `timeZone`. Fields may overflow as with `Date.UTC` (day 0
 * is the last day of the previous month, month 13 the next January). A time skipped by a
 * spring-forward change (02:30 in Paris on the last Sunday of March) moves forward by the gap, as a
 * clock would; a time that happens twice in autumn is the first of the two.
 */
export function instantOf(wall: WallClock, timeZone: string): number {
  const target = asUtc(wall);
  // try the offsets in force a day either side; pick the earliest that reads back as this wall clock
  const candidates = [
    ...new Set([offsetAt(target - 86_400_000, timeZone), offsetAt(target + 86_400_000, timeZone)]),
  ]
    .map((offset) => target - offset)
    .sort((a, b) => a - b);
  for (const instant of candidates) {
    if (asUtc(wallClockAt(instant, timeZone)) === target) return instant;
  }
  // in a gap: no reading matches; the offset before the change pushes the time past it
  return Math.max(...candidates);
}

/** The instant of a local date and time in `timeZone` (fields may overflow, see {@link instantOf}). */
export function zonedInstant(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  return instantOf({ year, month, day, hour, minute, second: 0 }, timeZone);
}

/** The same wall-clock time `days` later in `timeZone` (a week before a DST change stays at 10:00). */
export function shiftWallClockDays(instant: number, days: number, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  return instantOf({ ...w, day: w.day + days }, timeZone);
}

/** `YYYY-MM-DD` of the local day of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

const dayCache = new Map<string, number>();

/** Start (instant) of the local day holding `instant` in `timeZone`; cached per hour, it is on the ingest path. */
export function startOfLocalDay(instant: number, timeZone: string): number {
  const hourKey = `${timeZone}|${Math.floor(instant / 3_600_000)}`;
  const cached = dayCache.get(hourKey);
  if (cached !== undefined) return cached;
  const w = wallClockAt(instant, timeZone);
  const start = zonedInstant(timeZone, w.year, w.month, w.day);
  if (dayCache.size > 50_000) dayCache.clear();
  dayCache.set(hourKey, start);
  return start;
}

export type CalendarUnit = "hour" | "day" | "week" | "month";

/** Start of the local hour, day, week (from Monday) or month holding `instant`. */
export function startOfLocal(instant: number, unit: CalendarUnit, timeZone: string): number {
  if (unit === "hour") {
    // offsets may be half hours: truncate in local time
    const offset = offsetAt(instant, timeZone);
    return Math.floor((instant + offset) / 3_600_000) * 3_600_000 - offset;
  }
  const w = wallClockAt(instant, timeZone);
  if (unit === "day") return zonedInstant(timeZone, w.year, w.month, w.day);
  if (unit === "month") return zonedInstant(timeZone, w.year, w.month, 1);
  return zonedInstant(timeZone, w.year, w.month, w.day - (isoWeekday(w) - 1));
}

/** The local boundary `count` units after `start` (itself a local boundary of that unit). */
export function addLocal(start: number, unit: CalendarUnit, count: number, timeZone: string): number {
  if (unit === "hour") return start + count * 3_600_000;
  const w = wallClockAt(start, timeZone);
  if (unit === "day") return zonedInstant(timeZone, w.year, w.month, w.day + count);
  if (unit === "week") return zonedInstant(timeZone, w.year, w.month, w.day + 7 * count);
  return zonedInstant(timeZone, w.year, w.month + count, 1);
}

/** Local buckets [start, end) covering [from, to). */
export function localBuckets(
  from: number,
  to: number,
  unit: CalendarUnit,
  timeZone: string,
): { start: number; end: number }[] {
  const buckets: { start: number; end: number }[] = [];
  let start = startOfLocal(from, unit, timeZone);
  while (start < to) {
    const end = addLocal(start, unit, 1, timeZone);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}
