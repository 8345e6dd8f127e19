/** Human form of a probe schedule: `every` is in milliseconds once the server parsed it. */
export function describeSchedule(
  schedule: Record<string, unknown>,
  t: (key: string, values?: Record<string, unknown>) => string,
  duration: (ms: number) => string,
): string {
  if (typeof schedule.every === "number") return t("probes.every", { duration: duration(schedule.every) });
  if (schedule.every !== undefined) return t("probes.every", { duration: String(schedule.every) });
  if (schedule.cron !== undefined) return `cron ${String(schedule.cron)}`;
  return "";
}
