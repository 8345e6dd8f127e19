import type { RunOutcome } from "@vigie/contracts";
import { sql } from "kysely";
import type { EventProjection } from "../events/repository.js";
import type { AcceptedEvent } from "../events/validate.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { foldRunEvent, type RunEvent, type RunState, runOutcome } from "./fold.js";
import { applyRunChanges, type RunChange } from "./run-changes.js";
import { fromRow, ordered, RUN_COLUMNS, RUN_FIELDS, type RunRow, toRow } from "./run-rows.js";
import { upsertStepRollups } from "./step-rollups.js";

/** What the runs projection needs; defaults in brackets. */
export interface RunsProjectionDeps {
  journeys: JourneyCatalogue;
  /** Timezone of the daily rollups (the configured one). */
  timezone: string;
  /** Clock used to decide abandonment [Date.now]. */
  now?: () => number;
  /** Maintain rollups and cohorts too [true]; off only to measure their cost. */
  rollups?: boolean;
}

/**
 * Keeps runs, run cohorts, step rollups (minute, hour, local day) and probe judgements up to date in
 * the transaction that stores the events. Runs are folded order-independently; existing runs are
 * locked in key order, new ones inserted in key order, so concurrent requests neither lose updates
 * nor deadlock.
 */
export function createRunsProjection(deps: RunsProjectionDeps): EventProjection {
  const now = deps.now ?? (() => Date.now());
  const withRollups = deps.rollups ?? true;
  const stepIndex = new Map<string, Map<string, number>>();
  for (const journey of deps.journeys.list()) {
    stepIndex.set(journey.key, new Map(journey.steps.map((s, i) => [s.key, i])));
  }

  return {
    name: "runs",
    async apply(trx, events: AcceptedEvent[]) {
      const at = now();
      const byRun = new Map<string, { journey: string; runId: string; events: RunEvent[] }>();
      for (const { event, time } of events) {
        const { journey, runId } = event.data;
        const key = `${journey}\u0000${runId}`;
        let group = byRun.get(key);
        if (!group) {
          group = { journey, runId, events: [] };
          byRun.set(key, group);
        }
        group.events.push({
          time: time.getTime(),
          stepIndex: stepIndex.get(journey)?.get(event.data.step) ?? 0,
          outcome: event.data.outcome,
          errorCode: event.data.error?.code ?? "",
          synthetic: event.data.synthetic ?? false,
          attributes: event.data.attributes ?? null,
        });
      }
      const keys = [...byRun.keys()].sort();
      const fold = (
        start: RunState | undefined,
        group: { journey: string; runId: string; events: RunEvent[] },
      ) => {
        const finalStep = (stepIndex.get(group.journey)?.size ?? 1) - 1;
        let s = start;
        for (const e of group.events) s = foldRunEvent(s, group.journey, group.runId, e, finalStep);
        return s!;
      };
      const windowOf = (journey: string) => deps.journeys.get(journey)?.conversionWindow ?? 86_400_000;

      // 1. New runs: inserted in key order; a run another transaction is inserting makes us wait for it.
      const fresh = new Map<string, RunState>();
      for (const key of keys) fresh.set(key, fold(undefined, byRun.get(key)!));
      const inserted = await sql<{ journey: string; run_id: string }>`
        INSERT INTO runs (${sql.raw(RUN_FIELDS)})
        SELECT ${sql.raw(RUN_FIELDS)} FROM jsonb_to_recordset(${ordered(
          keys.map((k) => {
            const s = fresh.get(k)!;
            return toRow(s, runOutcome(s, windowOf(s.journey), at));
          }),
        )}::jsonb) AS t(${sql.raw(RUN_COLUMNS)}, ord bigint)
        ORDER BY ord
        ON CONFLICT (journey, run_id) DO NOTHING
        RETURNING journey, run_id`.execute(trx);
      const insertedKeys = new Set(inserted.rows.map((r) => `${r.journey}\u0000${r.run_id}`));
      const changes: RunChange[] = [];
      for (const key of insertedKeys) {
        const s = fresh.get(key)!;
        changes.push({ before: null, after: { state: s, outcome: runOutcome(s, windowOf(s.journey), at) } });
      }

      // 2. Existing runs: locked in key order, folded, written back.
      const existing = keys.filter((k) => !insertedKeys.has(k));
      if (existing.length > 0) {
        const locked = await sql<Record<string, unknown>>`
          SELECT r.* FROM runs r
          JOIN jsonb_to_recordset(${JSON.stringify(
            existing.map((k) => ({ journey: byRun.get(k)!.journey, run_id: byRun.get(k)!.runId })),
          )}::jsonb) AS t(journey text, run_id text) ON r.journey = t.journey AND r.run_id = t.run_id
          ORDER BY r.journey, r.run_id
          FOR UPDATE OF r`.execute(trx);
        const updates: RunRow[] = [];
        for (const row of locked.rows) {
          const before = fromRow(row);
          const beforeOutcome = row.outcome as RunOutcome;
          const after = fold(before, byRun.get(`${before.journey}\u0000${before.runId}`)!);
          const outcome = runOutcome(after, windowOf(after.journey), at);
          updates.push(toRow(after, outcome));
          changes.push({
            before: { state: before, outcome: beforeOutcome },
            after: { state: after, outcome },
          });
        }
        await sql`
          UPDATE runs r SET (${sql.raw(RUN_FIELDS)}) = (${sql.raw(
            RUN_FIELDS.split(", ")
              .map((f) => `t.${f}`)
              .join(", "),
          )})
          FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS t(${sql.raw(RUN_COLUMNS)})
          WHERE r.journey = t.journey AND r.run_id = t.run_id`.execute(trx);
      }
      await applyRunChanges(trx, changes, deps.journeys, deps.timezone, withRollups);
      if (!withRollups) return;

      // 3. Step rollups: one cell per minute/hour/day, step, origin, outcome, error code, product, channel.
      const runState = new Map<string, RunState>();
      for (const c of changes)
        runState.set(`${c.after.state.journey}\u0000${c.after.state.runId}`, c.after.state);
      await upsertStepRollups(trx, events, runState, deps.timezone);
    },
  };
}
