import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { AcceptedEvent } from "./validate.js";

/**
 * Something derived from events (runs, rollups, …) and kept up to date in the very transaction that
 * stores them, so that it can never miss an event nor count one twice.
 */
export interface EventProjection {
  name: string;
  /** Receives only the events newly stored by this transaction; throwing rolls the whole request back. */
  apply(trx: Transaction<Database>, events: AcceptedEvent[]): Promise<void>;
}

const EXTENSION_SKIP = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
  "data",
]);

function extensionsOf(event: Record<string, unknown>): Record<string, unknown> | null {
  let extensions: Record<string, unknown> | null = null;
  for (const name in event) {
    if (EXTENSION_SKIP.has(name)) continue;
    extensions ??= {};
    extensions[name] = event[name];
  }
  return extensions;
}

/** Calendar months (UTC, `YYYY-MM`) spanned by some dates. */
export function monthsOf(dates: Date[]): string[] {
  return [...new Set(dates.map((d) => d.toISOString().slice(0, 7)))].sort();
}

/** SQL for events, their identities and prospects' personal data. */
export function createEventsRepository(db: Kysely<Database>) {
  return {
    /**
     * Stores new events in one transaction: an event whose (source, id) is already known is skipped.
     * Returns the events stored now. `events` must hold each (source, id) once. The projections see
     * the newly stored events inside the same transaction.
     */
    async store(events: AcceptedEvent[], projections: EventProjection[] = []): Promise<AcceptedEvent[]> {
      const rows = events.map(({ event, time }) => ({
        time: time.toISOString(),
        source: event.source,
        id: event.id,
        journey: event.data.journey,
        step: event.data.step,
        run_id: event.data.runId,
        outcome: event.data.outcome,
        duration_ms: event.data.durationMs ?? null,
        error_code: event.data.error?.code ?? null,
        error_message: event.data.error?.message ?? null,
        synthetic: event.data.synthetic ?? false,
        attributes: event.data.attributes ?? null,
        subject: event.subject ?? null,
        extensions: extensionsOf(event),
      }));
      const prospects = new Map<string, { journey: string; run_id: string; details: unknown }>();
      for (const { event } of events) {
        if (!event.data.prospect) continue;
        const key = `${event.data.journey}\n${event.data.runId}`;
        const previous = prospects.get(key)?.details as Record<string, unknown> | undefined;
        prospects.set(key, {
          journey: event.data.journey,
          run_id: event.data.runId,
          details: { ...previous, ...event.data.prospect },
        });
      }
      return db.transaction().execute(async (trx) => {
        const result = await sql`
          WITH input AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t(
              time timestamptz, source text, id text, journey text, step text, run_id text, outcome text,
              duration_ms double precision, error_code text, error_message text, synthetic boolean,
              attributes jsonb, subject text, extensions jsonb)
          ), fresh AS (
            -- Keys are locked in one global order, so that concurrent requests sharing events wait for
            -- each other instead of deadlocking.
            INSERT INTO event_keys (source, id, time)
            SELECT source, id, time FROM input
            ORDER BY source, id
            ON CONFLICT DO NOTHING
            RETURNING source, id
          )
          INSERT INTO events (time, source, id, journey, step, run_id, outcome, duration_ms, error_code,
                              error_message, synthetic, attributes, subject, extensions)
          SELECT i.time, i.source, i.id, i.journey, i.step, i.run_id, i.outcome, i.duration_ms, i.error_code,
                 i.error_message, i.synthetic, i.attributes, i.subject, i.extensions
          FROM input i JOIN fresh f ON f.source = i.source AND f.id = i.id
          RETURNING source, id`.execute(trx);
        if (prospects.size > 0) {
          await sql`
            INSERT INTO prospects (journey, run_id, details)
            SELECT journey, run_id, details
            FROM jsonb_to_recordset(${JSON.stringify([...prospects.values()])}::jsonb)
              AS t(journey text, run_id text, details jsonb)
            ORDER BY journey, run_id -- one lock order across requests (no deadlock)
            ON CONFLICT (journey, run_id)
            DO UPDATE SET details = prospects.details || excluded.details, updated_at = now()`.execute(trx);
        }
        const fresh = result.rows as { source: string; id: string }[];
        let stored = events;
        if (fresh.length !== events.length) {
          const freshKeys = new Set(fresh.map((row) => `${row.source}\n${row.id}`));
          stored = events.filter(({ event }) => freshKeys.has(`${event.source}\n${event.id}`));
        }
        if (stored.length > 0) {
          for (const projection of projections) await projection.apply(trx, stored);
        }
        return stored;
      });
    },

    /** Creates the monthly event partitions from `from` to `to` (inclusive) that are missing. */
    async ensurePartitions(from: Date, to: Date): Promise<number> {
      const result = await sql<{ created: number }>`
        SELECT vigie_ensure_event_partitions(${from.toISOString().slice(0, 10)}::date,
                                             ${to.toISOString().slice(0, 10)}::date) AS created`.execute(db);
      return result.rows[0]?.created ?? 0;
    },

    /** Months (`YYYY-MM`) that have an event partition. */
    async partitionMonths(): Promise<string[]> {
      const result = await sql<{ name: string }>`
        SELECT c.relname AS name FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'events'::regclass`.execute(db);
      return result.rows.map((r) => `${r.name.slice(7, 11)}-${r.name.slice(11, 13)}`).sort();
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
