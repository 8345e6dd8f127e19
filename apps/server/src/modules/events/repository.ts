import { CONTEXT_ATTRIBUTES } from "@vigie/contracts";
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

function extensionsOf(event: Record<string, unknown>): Record<string, unknown> | null {
  let extensions: Record<string, unknown> | null = null;
  for (const name in event) {
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    extensions ??= {};
    extensions[name] = event[name];
  }
  return extensions;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * Builds the text of a PostgreSQL array literal one element at a time (`{"a","b",NULL}`): one string
 * parameter per column instead of a JSON document that PostgreSQL would parse and pick apart
 * row by row, which costs it about three times as much (see docs/adr/0004).
 */
class ArrayLiteral {
  private text = "";
  add(value: string | null): void {
    const element =
      value === null
        ? "NULL"
        : NEEDS_ESCAPE.test(value)
          ? `"${value.replace(ESCAPED, "\\$&")}"`
          : `"${value}"`;
    this.text = this.text === "" ? element : `${this.text},${element}`;
  }
  toString(): string {
    return `{${this.text}}`;
  }
}

/** The events columns filled from a request, each as one array literal. */
function eventColumns(events: AcceptedEvent[]) {
  const columns = {
    time: new ArrayLiteral(),
    source: new ArrayLiteral(),
    id: new ArrayLiteral(),
    journey: new ArrayLiteral(),
    step: new ArrayLiteral(),
    runId: new ArrayLiteral(),
    outcome: new ArrayLiteral(),
    durationMs: new ArrayLiteral(),
    errorCode: new ArrayLiteral(),
    errorMessage: new ArrayLiteral(),
    synthetic: new ArrayLiteral(),
    attributes: new ArrayLiteral(),
    subject: new ArrayLiteral(),
    extensions: new ArrayLiteral(),
  };
  for (const { event, time } of events) {
    const data = event.data;
    columns.time.add(time.toISOString());
    columns.source.add(event.source);
    columns.id.add(event.id);
    columns.journey.add(data.journey);
    columns.step.add(data.step);
    columns.runId.add(data.runId);
    columns.outcome.add(data.outcome);
    columns.durationMs.add(data.durationMs === undefined ? null : String(data.durationMs));
    columns.errorCode.add(data.error?.code ?? null);
    columns.errorMessage.add(data.error?.message ?? null);
    columns.synthetic.add(data.synthetic ? "t" : "f");
    columns.attributes.add(data.attributes ? JSON.stringify(data.attributes) : null);
    columns.subject.add(event.subject ?? null);
    const extensions = extensionsOf(event);
    columns.extensions.add(extensions ? JSON.stringify(extensions) : null);
  }
  return columns;
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
      const c = eventColumns(events);
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
        // One statement: the identities not known yet are claimed in event_keys (a concurrent request
        // sending the same event waits for this one, then skips it), and only those events are
        // inserted. The answer is one row: how many were stored and, only when some were
        // duplicates, the positions of those stored.
        const result = await sql<{ stored: number; positions: number[] | null }>`
          WITH input AS (
            SELECT * FROM unnest(
              ${c.time.toString()}::timestamptz[], ${c.source.toString()}::text[], ${c.id.toString()}::text[],
              ${c.journey.toString()}::text[], ${c.step.toString()}::text[], ${c.runId.toString()}::text[],
              ${c.outcome.toString()}::text[], ${c.durationMs.toString()}::float8[],
              ${c.errorCode.toString()}::text[], ${c.errorMessage.toString()}::text[],
              ${c.synthetic.toString()}::boolean[], ${c.attributes.toString()}::jsonb[],
              ${c.subject.toString()}::text[], ${c.extensions.toString()}::jsonb[]
            ) WITH ORDINALITY AS t(time, source, id, journey, step, run_id, outcome, duration_ms, error_code,
                                   error_message, synthetic, attributes, subject, extensions, ordinal)
          ), fresh AS (
            -- Keys are locked in one global order, so that concurrent requests sharing events wait for
            -- each other instead of deadlocking.
            INSERT INTO event_keys (source, id, time)
            SELECT source, id, time FROM input
            ORDER BY source, id
            ON CONFLICT DO NOTHING
            RETURNING source, id
          ), kept AS MATERIALIZED (
            SELECT i.* FROM input i JOIN fresh f ON f.source = i.source AND f.id = i.id
          ), inserted AS (
            INSERT INTO events (time, source, id, journey, step, run_id, outcome, duration_ms, error_code,
                                error_message, synthetic, attributes, subject, extensions)
            SELECT time, source, id, journey, step, run_id, outcome, duration_ms, error_code,
                   error_message, synthetic, attributes, subject, extensions
            FROM kept
          )
          SELECT count(*)::int AS stored,
                 CASE WHEN count(*) < ${events.length} THEN array_agg(ordinal::int) END AS positions
          FROM kept`.execute(trx);
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
        const { stored: count, positions } = result.rows[0]!;
        let stored = events;
        if (count !== events.length) {
          stored = (positions ?? []).sort((a, b) => a - b).map((position) => events[position - 1]!);
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
