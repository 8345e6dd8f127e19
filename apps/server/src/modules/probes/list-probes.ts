import type { PageRequest } from "../analytics/paging.js";
import type { ProbeDefinition } from "./definition.js";
import type { ScheduleListing } from "./repository.js";

/** A probe with its schedule state (absent before its schedule is first planned). */
export interface ProbeEntry {
  probe: ProbeDefinition;
  schedule: ScheduleListing | undefined;
}

export const PROBE_STATES = ["active", "paused", "failing", "passing", "never-run"] as const;
export type ProbeState = (typeof PROBE_STATES)[number];

/** Filters of the probe list. */
export interface ProbeFilter {
  journey?: string;
  kind?: "http" | "browser";
  state?: ProbeState;
  /** Part of the name or description, any case. */
  search?: string;
}

export const PROBE_SORTS = ["name", "journey", "kind", "lastRunAt", "nextRunAt", "lastOutcome"] as const;
export type ProbeSort = (typeof PROBE_SORTS)[number];

const isPaused = (entry: ProbeEntry) => entry.schedule?.paused ?? !entry.probe.enabled;
const lastOutcome = (entry: ProbeEntry) => entry.schedule?.last_outcome ?? null;

function hasState(entry: ProbeEntry, state: ProbeState): boolean {
  switch (state) {
    case "paused":
      return isPaused(entry);
    case "active":
      return !isPaused(entry);
    case "failing":
      return lastOutcome(entry) === "failed";
    case "passing":
      return lastOutcome(entry) === "passed";
    case "never-run":
      return !entry.schedule?.last_run_id;
  }
}

function sortValue(entry: ProbeEntry, field: ProbeSort): string | number | null {
  switch (field) {
    case "name":
      return entry.probe.name;
    case "journey":
      return entry.probe.journey;
    case "kind":
      return entry.probe.kind;
    case "lastRunAt":
      return entry.schedule?.last_run_at?.getTime() ?? null;
    case "nextRunAt":
      return isPaused(entry) ? null : (entry.schedule?.next_run_at.getTime() ?? null);
    case "lastOutcome":
      return lastOutcome(entry);
  }
}

/**
 * One page of probes matching the filter, in the requested order (missing values last, then by
 * name). Probes live in the probes folder, not in a table, so the server sorts them here.
 */
export function pageProbes(
  entries: ProbeEntry[],
  filter: ProbeFilter,
  page: PageRequest<ProbeSort>,
): { items: ProbeEntry[]; total: number } {
  const search = filter.search?.trim().toLowerCase();
  const matching = entries.filter(
    (entry) =>
      (filter.journey === undefined || entry.probe.journey === filter.journey) &&
      (filter.kind === undefined || entry.probe.kind === filter.kind) &&
      (filter.state === undefined || hasState(entry, filter.state)) &&
      (!search ||
        entry.probe.name.toLowerCase().includes(search) ||
        (entry.probe.description ?? "").toLowerCase().includes(search)),
  );
  const direction = page.sort.direction === "asc" ? 1 : -1;
  matching.sort((a, b) => {
    const x = sortValue(a, page.sort.field);
    const y = sortValue(b, page.sort.field);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * direction;
    }
    return a.probe.name < b.probe.name ? -1 : a.probe.name > b.probe.name ? 1 : 0;
  });
  const start = (page.page - 1) * page.pageSize;
  return { items: matching.slice(start, start + page.pageSize), total: matching.length };
}
