import type { TableState } from "../../../lib/use-table-state.ts";

/**
 * Sorts and pages a list the API returns whole (probes are few): the same table state as the
 * server-side tables, applied here.
 */
export function localPage<Row>(
  rows: Row[],
  state: TableState,
  sortValue: (row: Row, key: string) => string | number | null,
): { rows: Row[]; total: number } {
  const sorted = [...rows];
  if (state.sort) {
    const { key, order } = state.sort;
    const direction = order === "asc" ? 1 : -1;
    sorted.sort((a, b) => {
      const x = sortValue(a, key);
      const y = sortValue(b, key);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * direction;
    });
  }
  const start = (state.page - 1) * state.pageSize;
  return { rows: sorted.slice(start, start + state.pageSize), total: rows.length };
}

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
