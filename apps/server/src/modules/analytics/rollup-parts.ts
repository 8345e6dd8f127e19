import { addLocal, startOfLocalDay } from "@vigie/zoned-time";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A piece of a time range read from one rollup granularity. */
export interface RollupPart {
  grain: "day" | "hour" | "minute";
  from: number;
  to: number;
}

function ceilTo(at: number, unit: number) {
  return Math.ceil(at / unit) * unit;
}
function floorTo(at: number, unit: number) {
  return Math.floor(at / unit) * unit;
}

function hoursAndMinutes(from: number, to: number): RollupPart[] {
  const parts: RollupPart[] = [];
  const h0 = ceilTo(from, HOUR);
  const h1 = floorTo(to, HOUR);
  if (h0 < h1) {
    if (from < h0) parts.push({ grain: "minute", from, to: h0 });
    parts.push({ grain: "hour", from: h0, to: h1 });
    if (h1 < to) parts.push({ grain: "minute", from: h1, to });
  } else if (from < to) {
    parts.push({ grain: "minute", from, to });
  }
  return parts;
}

/**
 * Splits [from, to) (minute-aligned) into the coarsest rollups that cover it exactly: whole local days
 * of the daily rollup (kept in `rollupTz`), whole UTC hours, then minutes at the edges. Daily rows
 * are used only when the figures are asked in the rollups' own timezone, so that no day straddles a
 * requested bucket.
 */
export function rollupParts(from: number, to: number, requestTz: string, rollupTz: string): RollupPart[] {
  from = floorTo(from, MINUTE);
  to = ceilTo(to, MINUTE);
  if (to <= from) return [];
  if (requestTz !== rollupTz) return hoursAndMinutes(from, to);
  const firstDay = startOfLocalDay(from, rollupTz);
  const d0 = firstDay === from ? from : addLocal(firstDay, "day", 1, rollupTz);
  const d1 = startOfLocalDay(to, rollupTz);
  if (d0 >= d1) return hoursAndMinutes(from, to);
  return [...hoursAndMinutes(from, d0), { grain: "day", from: d0, to: d1 }, ...hoursAndMinutes(d1, to)];
}
