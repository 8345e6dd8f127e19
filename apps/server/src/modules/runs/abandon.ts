import type { RunOutcome } from "@vigie/contracts";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { runOutcome } from "./fold.js";
import { applyRunChanges, type RunChange } from "./run-changes.js";
import { fromRow } from "./run-rows.js";

const BATCH = 2000;

/**
 * Marks as abandoned the runs in progress whose last activity is older than their journey's
 * conversion window at `now`, keeping cohorts and probe judgements in step. Returns how many.
 */
export async function abandonIdleRuns(
  db: Kysely<Database>,
  journeys: JourneyCatalogue,
  timezone: string,
  now: number,
  /** Receives the journeys whose runs were abandoned [none]. */
  touched?: Set<string>,
): Promise<number> {
  let total = 0;
  for (const journey of journeys.list()) {
    const cutoff = new Date(now - journey.conversionWindow).toISOString();
    for (;;) {
      const count = await db.transaction().execute(async (trx) => {
        // Same lock order as the projection (journey, run_id); rows another writer holds are left for later.
        const locked = await sql<Record<string, unknown>>`
          SELECT * FROM runs
          WHERE outcome = 'in_progress' AND journey = ${journey.key} AND last_at <= ${cutoff}::timestamptz
          ORDER BY journey, run_id
          LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED`.execute(trx);
        if (locked.rows.length === 0) return 0;
        const changes: RunChange[] = [];
        for (const row of locked.rows) {
          const state = fromRow(row);
          const outcome = runOutcome(state, journey.conversionWindow, now);
          if (outcome === row.outcome) continue;
          changes.push({ before: { state, outcome: row.outcome as RunOutcome }, after: { state, outcome } });
        }
        await sql`
          UPDATE runs SET outcome = 'abandoned'
          WHERE journey = ${journey.key} AND run_id = ANY(${changes.map((c) => c.after.state.runId)}::text[])`.execute(
          trx,
        );
        await applyRunChanges(trx, changes, journeys, timezone);
        return locked.rows.length;
      });
      total += count;
      if (count > 0) touched?.add(journey.key);
      if (count < BATCH) break;
    }
  }
  return total;
}
