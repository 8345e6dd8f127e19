import type { IncidentActivityKind } from "@vigie/contracts";
import { type RawBuilder, sql } from "kysely";

/** An incident as the analytics pass found it before reconciling. */
export interface StoredIncident {
  id: number;
  started_at: Date;
  ended_at: Date | null;
  failing_step: string | null;
  seen_by_probes: boolean;
  seen_by_traffic: boolean;
}

/** An incident as the analytics pass computed it. */
interface ComputedIncident {
  started_at: string;
  ended_at: string | null;
  failing_step: string | null;
  seen_by_probes: boolean;
  seen_by_traffic: boolean;
}

/** One timeline entry the pass records for an incident. */
interface ActivityEntry {
  kind: IncidentActivityKind;
  details: Record<string, unknown>;
}

const seenBy = (i: { seen_by_probes: boolean; seen_by_traffic: boolean }) => [
  ...(i.seen_by_probes ? ["probes"] : []),
  ...(i.seen_by_traffic ? ["traffic"] : []),
];

/** What a new incident's timeline starts with (and, when the data shows it already over, its end). */
export function openedEntries(after: ComputedIncident): ActivityEntry[] {
  const entries: ActivityEntry[] = [
    {
      kind: "opened",
      details: { startedAt: after.started_at, failingStep: after.failing_step, seenBy: seenBy(after) },
    },
  ];
  if (after.ended_at !== null) entries.push({ kind: "closed", details: { endedAt: after.ended_at } });
  return entries;
}

/** What a recomputation changed that people care about: failing step or sources, end, new start. */
export function changeEntries(before: StoredIncident, after: ComputedIncident): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  const previous = { failingStep: before.failing_step, seenBy: seenBy(before) };
  const current = { failingStep: after.failing_step, seenBy: seenBy(after) };
  if (JSON.stringify(previous) !== JSON.stringify(current)) {
    entries.push({ kind: "changed", details: { ...current, previous } });
  }
  if (before.ended_at === null && after.ended_at !== null) {
    entries.push({ kind: "closed", details: { endedAt: after.ended_at } });
  } else if (before.ended_at !== null && after.ended_at === null) {
    entries.push({ kind: "reopened", details: { startedAt: after.started_at } });
  }
  return entries;
}

/**
 * The INSERT that records `entries` for each incident id the CTE named `source` returns, to end a
 * statement that changes incidents: the timeline is written by the same statement, so recording it
 * costs the analytics pass no extra round trip (ADR 0080).
 */
export function recordEntries(source: string, entries: ActivityEntry[], at: string): RawBuilder<unknown> {
  return sql`
    INSERT INTO incident_activity (incident_id, kind, at, details)
    SELECT s.id, e.kind, ${at}::timestamptz, e.details
    FROM ${sql.table(source)} s,
      ROWS FROM (jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) AS (kind text, details jsonb))
        WITH ORDINALITY AS e(kind, details, n)
    ORDER BY s.id, e.n`;
}

/**
 * Deletes the incidents merged into `into` in one statement that moves their history (notes,
 * acknowledgement) to `into` and records a "merged" entry for each.
 */
export function mergeIncidents(merged: number[], into: number, at: string): RawBuilder<unknown> {
  return sql`
    WITH gone AS (DELETE FROM incidents WHERE id = ANY(${merged}::bigint[]) RETURNING id),
      moved AS (UPDATE incident_activity SET incident_id = ${into} WHERE incident_id IN (SELECT id FROM gone))
    INSERT INTO incident_activity (incident_id, kind, at, details)
    SELECT ${into}, 'merged', ${at}::timestamptz, jsonb_build_object('from', id) FROM gone ORDER BY id`;
}

/** Deletes incidents the data no longer supports, recording "withdrawn" under their ids in the same statement. */
export function withdrawIncidents(ids: number[], at: string): RawBuilder<unknown> {
  return sql`
    WITH gone AS (DELETE FROM incidents WHERE id = ANY(${ids}::bigint[]) RETURNING id)
    INSERT INTO incident_activity (incident_id, kind, at) SELECT id, 'withdrawn', ${at}::timestamptz FROM gone ORDER BY id`;
}
