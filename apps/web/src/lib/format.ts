/**
 * Numbers, percentages, durations and dates in the reader's language and timezone. Everything the UI
 * and the exports show goes through here, so French readers get "99,52 %" and "25/11/2026 14:05".
 */

export type Language = "fr" | "en";

/** The BCP 47 locale used for a UI language (British English: day-first dates, 24-hour clock). */
export function localeOf(language: Language): string {
  return language === "fr" ? "fr-FR" : "en-GB";
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(localeOf(language), options);
    cache.set(key, format);
  }
  return format;
}

function dateFormat(
  language: Language,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `d|${language}|${timeZone}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(language), { timeZone, ...options });
    cache.set(key, format);
  }
  return format;
}

/** "—" stands for a figure that does not exist (no traffic, no probe), never for zero. */
export const NO_VALUE = "—";

/** An integer or decimal number with the locale's separators. */
export function formatNumber(
  value: number | null | undefined,
  language: Language,
  maximumFractionDigits = 0,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NO_VALUE;
  return numberFormat(language, { maximumFractionDigits }).format(value);
}

/**
 * A fraction (0.9952) as a percentage ("99,52 %"). Availability is never rounded up to 100 %: a
 * journey that failed once shows 99.99 %, not 100 %.
 */
export function formatPercent(fraction: number | null | undefined, language: Language, digits = 2): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return NO_VALUE;
  const factor = 10 ** (digits + 2);
  const floored = fraction < 1 ? Math.floor(fraction * factor) / factor : fraction;
  return numberFormat(language, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(floored);
}

/** A duration in milliseconds as the most readable unit: "850 ms", "2,4 s", "3 min 20 s", "1 h 05 min", "2 j 3 h". */
export function formatDuration(ms: number | null | undefined, language: Language): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return NO_VALUE;
  const day = language === "fr" ? "j" : "d";
  if (ms < 1000) return `${formatNumber(Math.round(ms), language)} ms`;
  if (ms < 60_000) return `${formatNumber(ms / 1000, language, 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds ? `${minutes} min ${String(seconds).padStart(2, "0")} s` : `${minutes} min`;
  }
  const totalMinutes = Math.round(ms / 60_000);
  if (totalMinutes < 24 * 60) {
    const hours = Math.floor(totalMinutes / 60);
    const minutes = totalMinutes % 60;
    return minutes ? `${hours} h ${String(minutes).padStart(2, "0")} min` : `${hours} h`;
  }
  const totalHours = Math.round(ms / 3_600_000);
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours ? `${days} ${day} ${hours} h` : `${days} ${day}`;
}

type DateInput = Date | string | number | null | undefined;

function toDate(value: DateInput): Date | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Date and time to the minute: "25/11/2026 14:05". */
export function formatDateTime(value: DateInput, language: Language, timeZone: string): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  return dateFormat(language, timeZone, { dateStyle: "short", timeStyle: "short" }).format(date);
}

/** Date and time to the second, for timelines and run events. */
export function formatTimestamp(value: DateInput, language: Language, timeZone: string): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  return dateFormat(language, timeZone, { dateStyle: "short", timeStyle: "medium" }).format(date);
}

/** Day only: "25/11/2026". */
export function formatDate(value: DateInput, language: Language, timeZone: string): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  return dateFormat(language, timeZone, { dateStyle: "short" }).format(date);
}

/** Chart axis label for a bucket start: the hour within a day, the day within a month. */
export function formatBucket(value: DateInput, language: Language, timeZone: string, bucket: string): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  if (bucket === "day")
    return dateFormat(language, timeZone, { day: "2-digit", month: "2-digit" }).format(date);
  return dateFormat(language, timeZone, {
    day: "2-digit",
    month: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

/** "il y a 3 min" / "3 min ago". */
export function formatRelative(value: DateInput, language: Language, now: Date = new Date()): string {
  const date = toDate(value);
  if (!date) return NO_VALUE;
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(localeOf(language), { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, "second");
  if (abs < 3600) return format.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), "hour");
  return format.format(Math.round(seconds / 86_400), "day");
}

/** Timezones offered to the user: the browser's list when it has one, else a short European list. */
export function availableTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.("timeZone") ?? [];
  const base = ["Europe/Paris", "UTC", "Europe/London", "America/New_York", "Asia/Tokyo"];
  return [...new Set([...base, ...zones])];
}
