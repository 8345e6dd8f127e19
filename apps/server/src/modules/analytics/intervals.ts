/** Half-open time intervals [start, end) in ms, kept sorted and disjoint. */
export type Interval = [number, number];

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function normalize(list: Interval[]): Interval[] {
  const sorted = list.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The parts of `a` inside [start, end). */
export function clip(a: Interval[], start: number, end: number): Interval[] {
  const out: Interval[] = [];
  for (const [s, e] of a) {
    const cs = Math.max(s, start);
    const ce = Math.min(e, end);
    if (ce > cs) out.push([cs, ce]);
  }
  return out;
}

/** `a` without `b` (both normalized). */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [s, e] of a) {
    let cursor = s;
    for (const [bs, be] of b) {
      if (be <= cursor) continue;
      if (bs >= e) break;
      if (bs > cursor) out.push([cursor, bs]);
      cursor = Math.max(cursor, be);
      if (cursor >= e) break;
    }
    if (cursor < e) out.push([cursor, e]);
  }
  return out;
}

/** Total length of normalized intervals. */
export function totalLength(a: Interval[]): number {
  return a.reduce((sum, [s, e]) => sum + (e - s), 0);
}
