import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { PageRequest } from "../analytics/paging.js";
import type { ProbeRunResult } from "./results.js";
import type { StoredAttempt } from "./tables.js";

/** A probe's schedule row as the scheduler needs it. */
export interface ScheduleRow {
  probe: string;
  kind: "http" | "browser";
  schedule: string;
  paused: boolean;
  next_run_at: Date;
  lease_owner: string | null;
  lease_until: Date | null;
  last_run_id: string | null;
  last_run_at: Date | null;
}

/** A probe known to this instance, for `syncSchedules`. */
export interface ScheduleSeed {
  probe: string;
  kind: "http" | "browser";
  /** Fingerprint of the schedule; a change recomputes the next start. */
  schedule: string;
  firstRunAt: Date;
  paused: boolean;
}

/** A schedule row with the outcome of the probe's last run, for the probe list. */
export interface ScheduleListing extends ScheduleRow {
  last_outcome: "passed" | "failed" | null;
  last_failed_step: string | null;
  last_error_code: string | null;
}

/** Filters of the run list. */
export interface RunFilter {
  probe?: string;
  outcome?: "passed" | "failed";
}

export const RUN_SORTS = ["startedAt", "durationMs", "outcome"] as const;
export type RunSort = (typeof RUN_SORTS)[number];
const RUN_SORT_COLUMN: Record<RunSort, string> = {
  startedAt: "started_at",
  durationMs: "finished_at - started_at",
  outcome: "outcome",
};

/** What a run's listing and detail show: everything but the screenshot's bytes. */
const RUN_COLUMNS = [
  "run_id",
  "probe",
  "journey",
  "kind",
  "location",
  "trigger",
  "scheduled_at",
  "started_at",
  "finished_at",
  "outcome",
  "failed_step",
  "error_code",
  "error_message",
  "cleanup_ok",
  "attempts",
  "console_errors",
  sql<boolean>`screenshot IS NOT NULL`.as("has_screenshot"),
] as const;

/** SQL of probe schedules (with their leases) and probe runs. */
export function createProbesRepository(db: Kysely<Database>) {
  return {
    /** Adds missing schedules and re-plans those whose schedule changed; paused state is kept. */
    async syncSchedules(seeds: ScheduleSeed[]): Promise<void> {
      if (seeds.length === 0) return;
      for (let i = 0; i < seeds.length; i += 1000) {
        const chunk = seeds.slice(i, i + 1000);
        await db
          .insertInto("probe_schedules")
          .values(
            chunk.map((s) => ({
              probe: s.probe,
              kind: s.kind,
              schedule: s.schedule,
              paused: s.paused,
              next_run_at: s.firstRunAt,
            })),
          )
          .onConflict((oc) =>
            oc.column("probe").doUpdateSet({
              kind: (eb) => eb.ref("excluded.kind"),
              schedule: (eb) => eb.ref("excluded.schedule"),
              next_run_at: sql`CASE WHEN probe_schedules.schedule = excluded.schedule
                THEN probe_schedules.next_run_at ELSE excluded.next_run_at END`,
              updated_at: sql`now()`,
            }),
          )
          .execute();
      }
    },

    /**
     * Takes the lease of up to `limit` due probes of a kind (oldest first) and moves each one's next
     * start with `nextRunAt`, in one transaction. Rows leased elsewhere are skipped, never waited on.
     */
    async claimDue(input: {
      kind: "http" | "browser";
      probes: string[];
      owner: string;
      now: Date;
      /** Probes planned to start before this time are claimed (a little ahead of `now`). */
      dueBefore: Date;
      limit: number;
      leaseUntil: (probe: string) => Date;
      nextRunAt: (probe: string, scheduled: Date) => Date;
    }): Promise<{ probe: string; scheduledAt: Date }[]> {
      if (input.limit <= 0 || input.probes.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const due = await trx
          .selectFrom("probe_schedules")
          .select(["probe", "next_run_at"])
          .where("kind", "=", input.kind)
          .where("paused", "=", false)
          .where("next_run_at", "<=", input.dueBefore)
          .where("probe", "=", sql<string>`ANY(${input.probes})`)
          .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", input.now)]))
          .orderBy("next_run_at")
          .limit(input.limit)
          .forUpdate()
          .skipLocked()
          .execute();
        if (due.length === 0) return [];
        const rows = due.map((row) => ({
          probe: row.probe,
          next: input.nextRunAt(row.probe, row.next_run_at).toISOString(),
          until: input.leaseUntil(row.probe).toISOString(),
        }));
        await sql`
          UPDATE probe_schedules s
          SET next_run_at = v.next, lease_owner = ${input.owner}, lease_until = v.until, updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(probe text, next timestamptz, until timestamptz)
          WHERE s.probe = v.probe`.execute(trx);
        return due.map((row) => ({ probe: row.probe, scheduledAt: row.next_run_at }));
      });
    },

    /** Takes the lease of one probe now (manual run); false when it is running somewhere. */
    async acquire(probe: string, owner: string, now: Date, leaseUntil: Date): Promise<boolean> {
      const result = await db
        .updateTable("probe_schedules")
        .set({ lease_owner: owner, lease_until: leaseUntil, updated_at: sql`now()` })
        .where("probe", "=", probe)
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Gives the lease back after a run, noting the run. */
    async release(probe: string, owner: string, run?: { runId: string; at: Date }): Promise<void> {
      await db
        .updateTable("probe_schedules")
        .set({
          lease_owner: null,
          lease_until: null,
          ...(run ? { last_run_id: run.runId, last_run_at: run.at } : {}),
          updated_at: sql`now()`,
        })
        .where("probe", "=", probe)
        .where("lease_owner", "=", owner)
        .execute();
    },

    /** Pauses or resumes a probe; false if it has no schedule. */
    async setPaused(probe: string, paused: boolean): Promise<boolean> {
      const result = await db
        .updateTable("probe_schedules")
        .set({ paused, updated_at: sql`now()` })
        .where("probe", "=", probe)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** The schedules of these probes, each with its last run's outcome. */
    async schedules(probes: string[]): Promise<ScheduleListing[]> {
      if (probes.length === 0) return [];
      return db
        .selectFrom("probe_schedules as s")
        .leftJoin("probe_runs as r", "r.run_id", "s.last_run_id")
        .selectAll("s")
        .select([
          "r.outcome as last_outcome",
          "r.failed_step as last_failed_step",
          "r.error_code as last_error_code",
        ])
        .where("s.probe", "=", sql<string>`ANY(${probes})`)
        .execute();
    },

    /** Stores finished runs in one statement (the screenshot of each one's last attempt included). */
    async insertRuns(results: (ProbeRunResult & { trigger: "schedule" | "manual" })[]): Promise<void> {
      if (results.length === 0) return;
      await db
        .insertInto("probe_runs")
        .values(
          results.map((result) => {
            const last = result.attempts.at(-1)!;
            const attempts: StoredAttempt[] = result.attempts.map(({ screenshot, ...attempt }) => ({
              ...attempt,
              hasScreenshot: screenshot !== undefined,
            }));
            return {
              run_id: result.runId,
              probe: result.probe,
              journey: result.journey,
              kind: result.kind,
              location: result.location,
              trigger: result.trigger,
              scheduled_at: result.scheduledAt ?? null,
              started_at: result.startedAt,
              finished_at: result.finishedAt,
              outcome: result.outcome,
              failed_step: last.failedStep ?? null,
              error_code: last.error?.code ?? null,
              error_message: last.error?.message ?? null,
              cleanup_ok: result.cleanupOk ?? null,
              attempts: JSON.stringify(attempts),
              console_errors: JSON.stringify(last.consoleErrors),
              screenshot: last.screenshot ? Buffer.from(last.screenshot) : null,
            };
          }),
        )
        .onConflict((oc) => oc.column("run_id").doNothing())
        .execute();
    },

    /** Gives back many leases at once (the scheduler batches them), noting each probe's last run. */
    async releaseMany(
      owner: string,
      runs: { probe: string; runId: string | null; at: Date }[],
    ): Promise<void> {
      if (runs.length === 0) return;
      const rows = runs.map((r) => ({ probe: r.probe, run_id: r.runId, at: r.at.toISOString() }));
      await sql`
        UPDATE probe_schedules s
        SET lease_owner = NULL, lease_until = NULL,
            last_run_id = coalesce(v.run_id, s.last_run_id),
            last_run_at = CASE WHEN v.run_id IS NULL THEN s.last_run_at ELSE v.at END,
            updated_at = now()
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(probe text, run_id text, at timestamptz)
        WHERE s.probe = v.probe AND s.lease_owner = ${owner}`.execute(db);
    },

    /** One page of runs matching the filter, without screenshots, and how many match in all. */
    async pageRuns(filter: RunFilter, page: PageRequest<RunSort>) {
      let where = db.selectFrom("probe_runs");
      if (filter.probe) where = where.where("probe", "=", filter.probe);
      if (filter.outcome) where = where.where("outcome", "=", filter.outcome);
      const { direction } = page.sort;
      const [rows, count] = await Promise.all([
        where
          .select(RUN_COLUMNS)
          .orderBy(sql.raw(`${RUN_SORT_COLUMN[page.sort.field]} ${direction}, run_id ${direction}`))
          .limit(page.pageSize)
          .offset((page.page - 1) * page.pageSize)
          .execute(),
        where.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst(),
      ]);
      return { rows, total: Number(count?.n ?? 0) };
    },

    async getRun(runId: string) {
      return db.selectFrom("probe_runs").select(RUN_COLUMNS).where("run_id", "=", runId).executeTakeFirst();
    },

    async getScreenshot(runId: string): Promise<Buffer | undefined> {
      const row = await db
        .selectFrom("probe_runs")
        .select("screenshot")
        .where("run_id", "=", runId)
        .executeTakeFirst();
      return row?.screenshot ?? undefined;
    },
  };
}

export type ProbesRepository = ReturnType<typeof createProbesRepository>;
export type StoredRun = NonNullable<Awaited<ReturnType<ProbesRepository["getRun"]>>>;
