import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { IncidentActivityKind } from "./tables.js";

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

const seenBy = (i: { seen_by_probes: boolean; seen_by_traffic: boolean }) => [
  ...(i.seen_by_probes ? ["probes"] : []),
  ...(i.seen_by_traffic ? ["traffic"] : []),
];

/**
 * What one analytics pass did to a journey's incidents, written to `incident_activity` in the
 * pass's transaction with at most two statements, however many incidents changed (ADR 0080).
 */
export function createActivityLog(now: number) {
  const rows: { incident_id: number; kind: IncidentActivityKind; details: Record<string, unknown> }[] = [];
  const moves: { from: number; into: number }[] = [];
  const add = (incident_id: number, kind: IncidentActivityKind, details: Record<string, unknown> = {}) =>
    rows.push({ incident_id, kind, details });

  return {
    /** A new incident (and, when the data shows it already over, its end). */
    opened(id: number, after: ComputedIncident): void {
      add(id, "opened", {
        startedAt: after.started_at,
        failingStep: after.failing_step,
        seenBy: seenBy(after),
      });
      if (after.ended_at !== null) add(id, "closed", { endedAt: after.ended_at });
    },

    /** An incident recomputed: its failing step or sources changed, it ended or it started again. */
    changed(before: StoredIncident, after: ComputedIncident): void {
      const previous = { failingStep: before.failing_step, seenBy: seenBy(before) };
      const current = { failingStep: after.failing_step, seenBy: seenBy(after) };
      if (JSON.stringify(previous) !== JSON.stringify(current)) {
        add(before.id, "changed", { ...current, previous });
      }
      if (before.ended_at === null && after.ended_at !== null) {
        add(before.id, "closed", { endedAt: after.ended_at });
      } else if (before.ended_at !== null && after.ended_at === null) {
        add(before.id, "reopened", { startedAt: after.started_at });
      }
    },

    /** `from` was merged into `into`: its history (notes, acknowledgement) moves to `into`. */
    merged(from: number, into: number): void {
      moves.push({ from, into });
      add(into, "merged", { from });
    },

    /** The data no longer supports the incident; its history is kept under its id. */
    withdrawn(id: number): void {
      add(id, "withdrawn");
    },

    /** Writes what was recorded, in the caller's transaction. */
    async save(trx: Kysely<Database>): Promise<void> {
      if (moves.length > 0) {
        await sql`
          UPDATE incident_activity a SET incident_id = m.into_id
          FROM unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.into)}::bigint[]) AS m(from_id, into_id)
          WHERE a.incident_id = m.from_id`.execute(trx);
      }
      if (rows.length === 0) return;
      await sql`
        INSERT INTO incident_activity (incident_id, kind, at, details)
        SELECT r.incident_id, r.kind, ${new Date(now).toISOString()}::timestamptz, r.details
        FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS (incident_id bigint, kind text, details jsonb))
          WITH ORDINALITY AS r(incident_id, kind, details, n)
        ORDER BY n`.execute(trx);
    },
  };
}
