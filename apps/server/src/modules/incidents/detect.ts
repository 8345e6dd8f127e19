import { type Kysely, sql } from "kysely";
import type { JourneyConfig } from "../../config.js";
import type { Database } from "../../db/schema.js";
import {
  changeEntries,
  mergeIncidents,
  openedEntries,
  recordEntries,
  type StoredIncident,
  withdrawIncidents,
} from "./activity.js";

const MINUTE = 60_000;

/** A stretch of time one source saw a journey (or one of its steps) failing. */
export interface Signal {
  source: "probes" | "traffic";
  /** "" when the journey as a whole (probe runs failing anywhere). */
  step: string;
  start: number;
  /** null while still going on. */
  end: number | null;
}

/** Signals closer than `gapMs` (or overlapping) merged into incident windows, in time order. */
export function mergeSignals(
  signals: Signal[],
  gapMs: number,
): { start: number; end: number | null; signals: Signal[] }[] {
  const sorted = [...signals].sort((a, b) => a.start - b.start);
  const groups: { start: number; end: number | null; signals: Signal[] }[] = [];
  for (const s of sorted) {
    const last = groups.at(-1);
    if (last && (last.end === null || s.start <= last.end + gapMs)) {
      last.signals.push(s);
      last.end = last.end === null || s.end === null ? null : Math.max(last.end, s.end);
    } else {
      groups.push({ start: s.start, end: s.end, signals: [s] });
    }
  }
  return groups;
}

/**
 * Real-traffic signal. A minute with errors at a step is bad when the error share of real prospects'
 * outcomes (ok, rejected or error) there reaches `threshold` over at least `minAttempts` of them:
 * the minute's own, or, on thin traffic (a night, a small journey), those of the fewest minutes
 * before it that add up to `minAttempts`, at most `windowMs` back. A bad minute is a signal from the
 * first error of the minutes it was judged on to the end of the minute; a step's signals that touch
 * are one. With enough traffic every minute is judged alone.
 */
export function trafficSignals(
  minutes: { bucket: number; step: string; errors: number; attempts: number }[],
  rule: { threshold: number; minAttempts: number; window?: number },
): Signal[] {
  const windowMs = rule.window ?? MINUTE;
  const byStep = new Map<string, typeof minutes>();
  for (const m of minutes) {
    if (m.attempts <= 0) continue;
    const list = byStep.get(m.step) ?? [];
    list.push(m);
    byStep.set(m.step, list);
  }
  const signals: Signal[] = [];
  for (const step of [...byStep.keys()].sort()) {
    const list = byStep.get(step)!.sort((a, b) => a.bucket - b.bucket);
    let current: Signal | undefined;
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!;
      if (m.errors === 0) continue;
      let attempts = 0;
      let errors = 0;
      let firstError = m.bucket;
      for (let j = i; j >= 0 && list[j]!.bucket > m.bucket - windowMs; j--) {
        attempts += list[j]!.attempts;
        errors += list[j]!.errors;
        if (list[j]!.errors > 0) firstError = list[j]!.bucket;
        if (attempts >= rule.minAttempts) break;
      }
      if (attempts < rule.minAttempts || errors / attempts < rule.threshold) continue;
      if (current && firstError <= current.end!) {
        current.end = m.bucket + MINUTE;
      } else {
        current = { source: "traffic", step, start: firstError, end: m.bucket + MINUTE };
        signals.push(current);
      }
    }
  }
  return signals;
}

/** Options of one detection pass. */
export interface DetectOptions {
  now: number;
  /** Recompute from here [min(now − 24 h, start of the oldest open incident)]. */
  since?: number;
  mergeGapMs: number;
}

/**
 * Opens, updates, merges and closes the incidents of a journey from its probe down periods and its
 * real-traffic error signal. Incidents are derived data: recomputed from `since`, they converge to
 * the same result whatever the order in which events arrived.
 */
/** Recomputes a journey's incidents; answers whether any incident changed (opened, changed, merged, closed, withdrawn). */
export async function detectIncidents(
  db: Kysely<Database>,
  journey: JourneyConfig,
  options: DetectOptions,
): Promise<boolean> {
  const { now } = options;
  let changed = false;
  const note = (result: { numAffectedRows?: bigint }) => {
    if ((result.numAffectedRows ?? 0n) > 0n) changed = true;
  };
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`vigie_incidents:${journey.key}`}))`.execute(trx);
    const oldestOpen = (
      await sql<{ at: Date | null }>`
        SELECT min(started_at) AS at FROM incidents WHERE journey = ${journey.key} AND ended_at IS NULL`.execute(
        trx,
      )
    ).rows[0]?.at;
    const horizon = Math.min(
      options.since ?? now - 86_400_000,
      oldestOpen?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    const from = new Date(horizon).toISOString();
    const to = new Date(now).toISOString();

    const probe = await sql<{ step: string; started_at: Date; ended_at: Date | null }>`
      SELECT step, started_at, ended_at FROM probe_periods
      WHERE journey = ${journey.key} AND kind = 'down' AND started_at < ${to}::timestamptz
        AND (ended_at IS NULL OR ended_at > ${from}::timestamptz)`.execute(trx);
    // Only the minutes a judgement can read: those with errors, and those less than the window
    // before one (a quiet step's successes are not fetched at all).
    const traffic = await sql<{ bucket: Date; step: string; errors: number; attempts: number }>`
      SELECT bucket, step, errors, attempts FROM (
        SELECT bucket, step, errors, attempts,
          max(errors) OVER (PARTITION BY step ORDER BY bucket
            RANGE BETWEEN CURRENT ROW AND ${`${journey.errorRate.window - 1} milliseconds`}::interval FOLLOWING) AS ahead
        FROM (
          SELECT bucket, step, sum(events) FILTER (WHERE outcome = 'error')::bigint AS errors,
            sum(events)::bigint AS attempts
          FROM step_rollup_minute
          WHERE journey = ${journey.key} AND NOT synthetic AND outcome <> 'started'
            AND bucket >= ${new Date(horizon - journey.errorRate.window).toISOString()}::timestamptz
            AND bucket < ${to}::timestamptz
          GROUP BY bucket, step
        ) AS minutes
      ) AS judged
      WHERE ahead > 0`.execute(trx);
    const signals: Signal[] = [
      ...probe.rows.map((p) => ({
        source: "probes" as const,
        step: p.step,
        start: p.started_at.getTime(),
        end: p.ended_at?.getTime() ?? null,
      })),
      ...trafficSignals(
        traffic.rows.map((r) => ({
          bucket: r.bucket.getTime(),
          step: r.step,
          errors: Number(r.errors ?? 0),
          attempts: Number(r.attempts ?? 0),
        })),
        journey.errorRate,
      )
        // minutes before the horizon were read only to judge the first ones after it
        .filter((s) => s.end! > horizon)
        .map((s) => ({ ...s, start: Math.max(s.start, horizon) }))
        .map((s) => (s.end !== null && s.end > now - options.mergeGapMs ? { ...s, end: null } : s)),
    ];
    const groups = mergeSignals(signals, options.mergeGapMs);

    const existing = (
      await sql<StoredIncident>`
        SELECT id, started_at, ended_at, failing_step, seen_by_probes, seen_by_traffic FROM incidents
        WHERE journey = ${journey.key} AND (ended_at IS NULL OR ended_at >= ${from}::timestamptz)
        ORDER BY started_at, id`.execute(trx)
    ).rows.map((e) => ({ ...e, id: Number(e.id) }));
    const used = new Set<number>();
    // Each statement that changes incidents also records their timeline (no extra round trip).
    for (const group of groups) {
      const gEnd = group.end ?? Number.POSITIVE_INFINITY;
      const matches = existing.filter(
        (e) =>
          !used.has(e.id) &&
          e.started_at.getTime() <= gEnd &&
          (e.ended_at?.getTime() ?? Infinity) >= group.start,
      );
      for (const m of matches) used.add(m.id);
      let start = group.start;
      if (matches[0] && start <= horizon) start = Math.min(start, matches[0].started_at.getTime());
      const details = await summarize(trx, journey.key, start, group.end ?? now, group.signals);
      const values = {
        started_at: new Date(start).toISOString(),
        ended_at: group.end === null ? null : new Date(group.end).toISOString(),
        ...details,
      };
      if (matches[0]) {
        await sql`
          WITH updated AS (
            UPDATE incidents SET started_at = ${values.started_at}::timestamptz, ended_at = ${values.ended_at}::timestamptz,
              failing_step = ${values.failing_step}, top_error_codes = ${JSON.stringify(values.top_error_codes)}::jsonb,
              runs_affected = ${values.runs_affected}, prospects_affected = ${values.prospects_affected},
              seen_by_probes = ${values.seen_by_probes}, seen_by_traffic = ${values.seen_by_traffic}, updated_at = now()
            WHERE id = ${matches[0].id}
              AND (started_at, ended_at, failing_step, top_error_codes, runs_affected, prospects_affected, seen_by_probes, seen_by_traffic)
              IS DISTINCT FROM (${values.started_at}::timestamptz, ${values.ended_at}::timestamptz, ${values.failing_step}::text,
                ${JSON.stringify(values.top_error_codes)}::jsonb, ${values.runs_affected}::int, ${values.prospects_affected}::int,
                ${values.seen_by_probes}::boolean, ${values.seen_by_traffic}::boolean)
            RETURNING id
          )
          ${recordEntries("updated", changeEntries(matches[0], values), to)}`
          .execute(trx)
          .then(note);
        const merged = matches.slice(1).map((m) => m.id);
        if (merged.length > 0) {
          await mergeIncidents(merged, matches[0].id, to).execute(trx);
          changed = true;
        }
      } else {
        await sql`
          WITH inserted AS (
            INSERT INTO incidents (journey, started_at, ended_at, failing_step, top_error_codes, runs_affected,
              prospects_affected, seen_by_probes, seen_by_traffic, created_at)
            VALUES (${journey.key}, ${values.started_at}::timestamptz, ${values.ended_at}::timestamptz, ${values.failing_step},
              ${JSON.stringify(values.top_error_codes)}::jsonb, ${values.runs_affected}, ${values.prospects_affected},
              ${values.seen_by_probes}, ${values.seen_by_traffic}, ${to}::timestamptz)
            RETURNING id
          )
          ${recordEntries("inserted", openedEntries(values), to)}`.execute(trx);
        changed = true;
      }
    }
    // Incidents the data no longer supports (late events changed the picture) are withdrawn.
    const stale = existing
      .filter((e) => !used.has(e.id) && e.started_at.getTime() >= horizon)
      .map((e) => e.id);
    if (stale.length > 0) {
      await withdrawIncidents(stale, to).execute(trx);
      changed = true;
    }
  });
  return changed;
}

async function summarize(
  trx: Kysely<Database>,
  journey: string,
  start: number,
  end: number,
  signals: Signal[],
) {
  const from = new Date(start).toISOString();
  const to = new Date(Math.max(end, start + MINUTE)).toISOString();
  const weight = new Map<string, number>();
  for (const s of signals) {
    if (s.step === "") continue;
    const length = (s.end ?? end) - s.start;
    weight.set(s.step, (weight.get(s.step) ?? 0) + length + (s.source === "probes" ? 1 : 0));
  }
  const failingStep =
    [...weight.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  const codes = await sql<{ code: string; count: number }>`
    SELECT error_code AS code, sum(events)::bigint AS count FROM step_rollup_minute
    WHERE journey = ${journey} AND outcome = 'error' AND bucket >= date_trunc('minute', ${from}::timestamptz)
      AND bucket < ${to}::timestamptz
    GROUP BY error_code ORDER BY count DESC, code LIMIT 5`.execute(trx);
  const affected = await sql<{ runs: number; prospects: number }>`
    SELECT count(*)::int AS runs,
      count(DISTINCT coalesce(p.details->>'email', p.details->>'phone', r.run_id))::int AS prospects
    FROM runs r LEFT JOIN prospects p ON p.journey = r.journey AND p.run_id = r.run_id
    WHERE r.journey = ${journey} AND NOT r.synthetic AND r.error_count > 0
      AND r.last_error_at >= ${from}::timestamptz AND r.first_error_at < ${to}::timestamptz`.execute(trx);
  return {
    failing_step: failingStep,
    top_error_codes: codes.rows.map((r) => ({ code: r.code, count: Number(r.count) })),
    runs_affected: affected.rows[0]?.runs ?? 0,
    prospects_affected: affected.rows[0]?.prospects ?? 0,
    seen_by_probes: signals.some((s) => s.source === "probes"),
    seen_by_traffic: signals.some((s) => s.source === "traffic"),
  };
}
