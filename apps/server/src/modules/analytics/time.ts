/** Timezone arithmetic on instants, exact across daylight-saving changes (Intl-based, no dependency). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in `tz`. */
export function localParts(at: number, tz: string) {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(at))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of `tz` from UTC at an instant, in ms (positive east of Greenwich). */
export function offsetMs(at: number, tz: string): number {
  const p = localParts(at, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant of a local wall-clock time in `tz` (months and days may overflow, as with Date.UTC).
 * A time skipped by a spring-forward change resolves to the instant just after the gap.
 */
export function zonedInstant(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let at = wall - offsetMs(wall, tz);
  const second = wall - offsetMs(at, tz);
  if (second !== at) at = Math.max(at, second);
  return at;
}

const dayCache = new Map<string, number>();

/** Start (instant) of the local day holding `at` in `tz`. */
export function startOfLocalDay(at: number, tz: string): number {
  const hourKey = `${tz}|${Math.floor(at / 3_600_000)}`;
  const cached = dayCache.get(hourKey);
  if (cached !== undefined) return cached;
  const p = localParts(at, tz);
  const start = zonedInstant(tz, p.year, p.month, p.day);
  if (dayCache.size > 50_000) dayCache.clear();
  dayCache.set(hourKey, start);
  return start;
}

export type Unit = "hour" | "day" | "week" | "month";

/** Start of the local hour/day/week (Monday)/month holding `at`. */
export function startOfLocal(at: number, unit: Unit, tz: string): number {
  if (unit === "hour") {
    // offsets may be half hours: truncate in local time
    const off = offsetMs(at, tz);
    return Math.floor((at + off) / 3_600_000) * 3_600_000 - off;
  }
  const p = localParts(at, tz);
  if (unit === "day") return zonedInstant(tz, p.year, p.month, p.day);
  if (unit === "month") return zonedInstant(tz, p.year, p.month, 1);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7; // Monday = 0
  return zonedInstant(tz, p.year, p.month, p.day - weekday);
}

/** The local boundary `count` units after the one starting at `start` (a local boundary). */
export function addLocal(start: number, unit: Unit, count: number, tz: string): number {
  if (unit === "hour") return start + count * 3_600_000;
  const p = localParts(start, tz);
  if (unit === "day") return zonedInstant(tz, p.year, p.month, p.day + count);
  if (unit === "week") return zonedInstant(tz, p.year, p.month, p.day + 7 * count);
  return zonedInstant(tz, p.year, p.month + count, 1);
}

/** Local buckets [start, end) covering [from, to). */
export function localBuckets(
  from: number,
  to: number,
  unit: Unit,
  tz: string,
): { start: number; end: number }[] {
  const buckets: { start: number; end: number }[] = [];
  let start = startOfLocal(from, unit, tz);
  while (start < to) {
    const end = addLocal(start, unit, 1, tz);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

/** Whether `tz` is an IANA timezone this runtime knows. */
export function isTimezone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}
