import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";

interface Machine {
  down: boolean;
  failStreak: number;
  okStreak: number;
  streakStart: number | null;
  downSince: number | null;
}

interface Period {
  kind: "down" | "stale";
  start: number;
  end: number | null;
}

/**
 * Runs the N/M confirmation machine over judgements in time order: down from the first of
 * `downAfter` consecutive failed probe runs until the first of `upAfter` consecutive successes.
 * Emits down periods (the last one open when still down) and stale gaps between judgements further
 * apart than `staleAfterMs`. Pure, so that tests and the replay share it.
 */
export function replayJudgements(
  start: Machine & { lastAt: number | null },
  judgements: { at: number; failed: boolean }[],
  rule: { downAfter: number; upAfter: number; staleAfterMs: number },
): { periods: Period[]; states: Machine[]; end: Machine } {
  const m: Machine = { ...start };
  let lastAt = start.lastAt;
  const periods: Period[] = [];
  const states: Machine[] = [];
  let open: Period | null = m.down ? { kind: "down", start: m.downSince!, end: null } : null;
  for (const j of judgements) {
    if (lastAt !== null && j.at - lastAt > rule.staleAfterMs) {
      periods.push({ kind: "stale", start: lastAt + rule.staleAfterMs, end: j.at });
    }
    lastAt = j.at;
    if (j.failed) {
      m.okStreak = 0;
      m.failStreak += 1;
      if (m.failStreak === 1 && !m.down) m.streakStart = j.at;
      if (!m.down && m.failStreak >= rule.downAfter) {
        m.down = true;
        m.downSince = m.streakStart;
        open = { kind: "down", start: m.downSince!, end: null };
      }
    } else {
      m.failStreak = 0;
      m.okStreak += 1;
      if (m.okStreak === 1 && m.down) m.streakStart = j.at;
      if (m.down && m.okStreak >= rule.upAfter) {
        m.down = false;
        open!.end = m.streakStart;
        periods.push(open!);
        open = null;
        m.downSince = null;
      }
      if (!m.down) m.streakStart = null;
    }
    states.push({ ...m });
  }
  if (open) periods.push(open);
  return { periods, states, end: m };
}

/**
 * Brings the confirmed probe state up to date for every series (journey, or journey step) whose
 * judgements changed since the last replay, resuming from the judgement just before the earliest
 * change. Safe with several instances: each series is claimed with SKIP LOCKED.
 */
export async function replayProbeState(
  db: Kysely<Database>,
  journeys: JourneyCatalogue,
  /** Receives the journeys whose probe state was replayed [none]. */
  touched?: Set<string>,
): Promise<number> {
  let replayed = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const claim = await sql<{ journey: string; step: string; since: Date }>`
        SELECT journey, step, since FROM probe_dirty ORDER BY journey, step LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(
        trx,
      );
      const dirty = claim.rows[0];
      if (!dirty) return false;
      await sql`DELETE FROM probe_dirty WHERE journey = ${dirty.journey} AND step = ${dirty.step}`.execute(
        trx,
      );
      const journey = journeys.get(dirty.journey);
      if (!journey) return true;
      touched?.add(dirty.journey);
      const rule = {
        downAfter: journey.probes.downAfter,
        upAfter: journey.probes.upAfter,
        staleAfterMs: journey.probes.staleAfter,
      };
      const since = dirty.since.toISOString();
      const prev = (
        await sql<{
          at: Date;
          down: boolean | null;
          fail_streak: number;
          ok_streak: number;
          streak_start: Date | null;
          down_since: Date | null;
        }>`
          SELECT at, down, fail_streak, ok_streak, streak_start, down_since FROM probe_judgements
          WHERE journey = ${dirty.journey} AND step = ${dirty.step} AND at < ${since}::timestamptz
          ORDER BY at DESC, run_id DESC LIMIT 1`.execute(trx)
      ).rows[0];
      const start =
        prev && prev.down !== null
          ? {
              down: prev.down,
              failStreak: prev.fail_streak,
              okStreak: prev.ok_streak,
              streakStart: prev.streak_start?.getTime() ?? null,
              downSince: prev.down_since?.getTime() ?? null,
              lastAt: prev.at.getTime(),
            }
          : { down: false, failStreak: 0, okStreak: 0, streakStart: null, downSince: null, lastAt: null };
      const rows = (
        await sql<{ at: Date; run_id: string; failed: boolean }>`
          SELECT at, run_id, failed FROM probe_judgements
          WHERE journey = ${dirty.journey} AND step = ${dirty.step} AND at >= ${since}::timestamptz
          ORDER BY at, run_id`.execute(trx)
      ).rows;
      const result = replayJudgements(
        start,
        rows.map((r) => ({ at: r.at.getTime(), failed: r.failed })),
        rule,
      );
      const from = start.lastAt === null ? null : new Date(start.lastAt).toISOString();
      await sql`
        DELETE FROM probe_periods WHERE journey = ${dirty.journey} AND step = ${dirty.step}
          AND (${from}::timestamptz IS NULL OR ended_at IS NULL OR ended_at > ${from}::timestamptz)`.execute(
        trx,
      );
      if (result.periods.length > 0) {
        await sql`
          INSERT INTO probe_periods (journey, step, kind, started_at, ended_at)
          SELECT ${dirty.journey}, ${dirty.step}, kind, started_at, ended_at
          FROM jsonb_to_recordset(${JSON.stringify(
            result.periods.map((p) => ({
              kind: p.kind,
              started_at: new Date(p.start),
              ended_at: p.end === null ? null : new Date(p.end),
            })),
          )}::jsonb) AS t(kind text, started_at timestamptz, ended_at timestamptz)
          ON CONFLICT (journey, step, kind, started_at) DO UPDATE SET ended_at = excluded.ended_at`.execute(
          trx,
        );
      }
      if (rows.length > 0) {
        await sql`
          UPDATE probe_judgements j SET down = t.down, fail_streak = t.fail_streak, ok_streak = t.ok_streak,
            streak_start = t.streak_start, down_since = t.down_since
          FROM jsonb_to_recordset(${JSON.stringify(
            rows.map((r, i) => {
              const s = result.states[i]!;
              return {
                at: r.at,
                run_id: r.run_id,
                down: s.down,
                fail_streak: s.failStreak,
                ok_streak: s.okStreak,
                streak_start: s.streakStart === null ? null : new Date(s.streakStart),
                down_since: s.downSince === null ? null : new Date(s.downSince),
              };
            }),
          )}::jsonb) AS t(at timestamptz, run_id text, down boolean, fail_streak integer, ok_streak integer,
            streak_start timestamptz, down_since timestamptz)
          WHERE j.journey = ${dirty.journey} AND j.step = ${dirty.step} AND j.at = t.at AND j.run_id = t.run_id`.execute(
          trx,
        );
      }
      await sql`
        INSERT INTO probe_series (journey, step, first_at, last_at, down, down_since)
        SELECT ${dirty.journey}, ${dirty.step}, min(at), max(at), ${result.end.down},
          ${result.end.downSince === null ? null : new Date(result.end.downSince).toISOString()}::timestamptz
        FROM probe_judgements WHERE journey = ${dirty.journey} AND step = ${dirty.step}
        HAVING count(*) > 0
        ON CONFLICT (journey, step) DO UPDATE SET first_at = excluded.first_at, last_at = excluded.last_at,
          down = excluded.down, down_since = excluded.down_since`.execute(trx);
      return true;
    });
    if (!done) return replayed;
    replayed += 1;
  }
}
