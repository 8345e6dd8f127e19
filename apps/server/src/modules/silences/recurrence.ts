import { instantOf, isTimeZone, type WallClock, wallClockAt } from "@vigie/zoned-time";
import rrulePackage from "rrule";

// rrule ships CommonJS with ESM typings: take the class from the default export.
const { RRule } = rrulePackage as unknown as typeof import("rrule");

/**
 * When a silence or maintenance window applies: once, or again and again by an RFC 5545 RRULE.
 * Times are wall-clock times in `timeZone` ("every Sunday 01:00–05:00 in Paris" stays 01:00–05:00
 * on both sides of a daylight-saving change).
 */
export interface Schedule {
  /** Local start of the (first) window, `YYYY-MM-DDTHH:mm[:ss]`, or an ISO instant with an offset. */
  startsAt: string;
  /** Local end of the (first) window, same form; the length of every later window. */
  endsAt: string;
  timeZone: string;
  /** RRULE body, e.g. `FREQ=WEEKLY;BYDAY=SU` (UNTIL is read as local time); none for a one-off. */
  rrule?: string | null;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A wall clock encoded in a UTC Date ("floating" time, as rrule computes without a tzid). */
function floating(text: string, timeZone: string): Date {
  const match = LOCAL.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s] = match;
    return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +(s ?? 0)));
  }
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) throw new ScheduleError(`"${text}" is not a date-time (YYYY-MM-DDTHH:mm).`);
  // an absolute instant: its wall clock in the zone is the floating time
  const clock = wallClockAt(instant, timeZone);
  return new Date(Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second));
}

function wall(date: Date): WallClock {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** A schedule that cannot be understood; the message says why. */
export class ScheduleError extends Error {}

/** Checks a schedule, throwing a ScheduleError that names the problem. */
export function checkSchedule(schedule: Schedule): void {
  if (!isTimeZone(schedule.timeZone)) throw new ScheduleError(`Unknown timezone "${schedule.timeZone}".`);
  const start = floating(schedule.startsAt, schedule.timeZone);
  const end = floating(schedule.endsAt, schedule.timeZone);
  if (end <= start) throw new ScheduleError("endsAt must be after startsAt.");
  if (schedule.rrule) {
    const options = parseRule(schedule.rrule);
    if (!options.freq && options.freq !== 0) {
      throw new ScheduleError(
        "The RRULE cannot be read: FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY.",
      );
    }
    try {
      windowsBetween(schedule, Date.now(), Date.now() + 86_400_000);
    } catch (error) {
      throw new ScheduleError(`The RRULE cannot be read: ${(error as Error).message}`);
    }
  }
}

function parseRule(text: string) {
  const body = text.replace(/^RRULE:/i, "").trim();
  if (/DTSTART|TZID/i.test(body)) {
    throw new ScheduleError("Give the start in startsAt and the zone in timeZone, not inside the RRULE.");
  }
  try {
    return RRule.parseString(body);
  } catch (error) {
    throw new ScheduleError(`The RRULE cannot be read: ${(error as Error).message}`);
  }
}

/** Every window of the schedule that overlaps [from, to), as instants (epoch ms). */
export function windowsBetween(schedule: Schedule, from: number, to: number): { from: number; to: number }[] {
  const start = floating(schedule.startsAt, schedule.timeZone);
  const end = floating(schedule.endsAt, schedule.timeZone);
  const length = end.getTime() - start.getTime();
  const toInstants = (s: Date) => ({
    from: instantOf(wall(s), schedule.timeZone),
    to: instantOf(wall(new Date(s.getTime() + length)), schedule.timeZone),
  });
  if (!schedule.rrule) {
    const only = toInstants(start);
    return only.from < to && only.to > from ? [only] : [];
  }
  const rule = new RRule({ ...parseRule(schedule.rrule), dtstart: start, tzid: null });
  // floating and real time differ by at most a day: widen the search, then filter on instants
  const starts = rule.between(new Date(from - length - 2 * 86_400_000), new Date(to + 2 * 86_400_000), true);
  return starts.map(toInstants).filter((w) => w.from < to && w.to > from);
}

/** Whether the schedule is in force at `instant`. */
export function isActiveAt(schedule: Schedule, instant: number): boolean {
  return windowsBetween(schedule, instant, instant + 1).length > 0;
}
