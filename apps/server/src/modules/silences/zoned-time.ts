/**
 * Wall-clock time in an IANA timezone, with Intl only (no tz database of our own): the fields a
 * person reads on a clock in Paris, and back to the instant they name.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
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
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
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

/** The wall clock in `timeZone` at `instant`. */
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

/** Offset of `timeZone` from UTC at `instant`, in ms (Paris in summer: +7 200 000). */
export function offsetAt(instant: number, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in `timeZone`. A time skipped by a spring-forward change
 * (02:30 in Paris on the last Sunday of March) moves forward by the gap, as a clock would; a time
 * that happens twice in autumn is the first of the two.
 */
export function instantOf(wall: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // try the offsets in force a day either side; pick the earliest that reads back as this wall clock
  const candidates = [
    ...new Set([offsetAt(asUtc - 86_400_000, timeZone), offsetAt(asUtc + 86_400_000, timeZone)]),
  ]
    .map((offset) => asUtc - offset)
    .sort((a, b) => a - b);
  for (const instant of candidates) {
    const back = wallClockAt(instant, timeZone);
    if (Date.UTC(back.year, back.month - 1, back.day, back.hour, back.minute, back.second) === asUtc) {
      return instant;
    }
  }
  // in a gap: no reading matches; the offset before the change pushes the time past it
  return asUtc - Math.min(...candidates.map((c) => asUtc - c));
}

/** The same wall-clock time `days` later in `timeZone` (a week before a DST change stays at 10:00). */
export function shiftWallClockDays(instant: number, days: number, timeZone: string): number {
  const w = wallClockAt(instant, timeZone);
  const moved = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return instantOf(
    { ...w, year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() },
    timeZone,
  );
}

/** `YYYY-MM-DD` of the local day of `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const w = wallClockAt(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}
