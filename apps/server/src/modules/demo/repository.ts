import { type Kysely, type Selectable, sql } from "kysely";
import type { Database } from "../../db/schema.js";
import type { DemoTables } from "./tables.js";

export type DrillRow = Selectable<DemoTables["demo_drills"]>;

/** A drill about to start. */
export interface NewDrill {
  slot: Date | null;
  trigger: "schedule" | "manual";
  mode: "bank" | "synthetic";
  journey: string;
  step: string;
  errorCode: string;
  injectedAt: Date;
  faultUntil: Date;
  watchUntil: Date;
}

/** What a drill has seen of the detection chain so far (null: not yet). */
export interface Detection {
  firstFailingEventAt?: Date | null;
  incidentOpenedAt?: Date | null;
  incidentId?: string | null;
  alertSentAt?: Date | null;
}

/** SQL of drills and backfills, and the read-only look-ups of the detection chain. */
export function createDemoRepository(db: Kysely<Database>) {
  const tablePresent = new Map<string, boolean>();
  /** Whether another module's table exists in this database (checked once). */
  async function hasTable(name: string): Promise<boolean> {
    let present = tablePresent.get(name);
    if (present === undefined) {
      const result = await sql<{
        present: boolean;
      }>`SELECT to_regclass(${name}) IS NOT NULL AS present`.execute(db);
      present = Boolean(result.rows[0]?.present);
      tablePresent.set(name, present);
    }
    return present;
  }

  return {
    /**
     * Records a drill that starts now. A scheduled drill claims its slot: when another instance
     * already did, nothing is inserted and undefined is returned.
     */
    async insertDrill(drill: NewDrill): Promise<DrillRow | undefined> {
      return db
        .insertInto("demo_drills")
        .values({
          slot: drill.slot,
          trigger: drill.trigger,
          mode: drill.mode,
          journey: drill.journey,
          step: drill.step,
          error_code: drill.errorCode,
          status: "running",
          injected_at: drill.injectedAt,
          fault_until: drill.faultUntil,
          watch_until: drill.watchUntil,
          fault_id: null,
          first_failing_event_at: null,
          incident_opened_at: null,
          incident_id: null,
          alert_sent_at: null,
          finished_at: null,
        })
        .onConflict((oc) => oc.column("slot").doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    async setFaultId(id: number, faultId: string): Promise<void> {
      await db.updateTable("demo_drills").set({ fault_id: faultId }).where("id", "=", id).execute();
    },

    /** Stores what was detected; a time already stored is never overwritten. */
    async recordDetection(id: number, detection: Detection): Promise<DrillRow> {
      return db
        .updateTable("demo_drills")
        .set((eb) => ({
          first_failing_event_at: eb.fn.coalesce(
            "first_failing_event_at",
            eb.val(detection.firstFailingEventAt ?? null),
          ),
          incident_opened_at: eb.fn.coalesce(
            "incident_opened_at",
            eb.val(detection.incidentOpenedAt ?? null),
          ),
          incident_id: eb.fn.coalesce("incident_id", eb.val(detection.incidentId ?? null)),
          alert_sent_at: eb.fn.coalesce("alert_sent_at", eb.val(detection.alertSentAt ?? null)),
        }))
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Closes a drill with its notes (what was not seen, and why). */
    async finishDrill(
      id: number,
      status: "finished" | "failed",
      at: Date,
      notes: string[],
    ): Promise<DrillRow> {
      return db
        .updateTable("demo_drills")
        .set({ status, finished_at: at, notes: JSON.stringify(notes) })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    runningDrills(): Promise<DrillRow[]> {
      return db.selectFrom("demo_drills").selectAll().where("status", "=", "running").orderBy("id").execute();
    },

    listDrills(limit: number): Promise<DrillRow[]> {
      return db
        .selectFrom("demo_drills")
        .selectAll()
        .orderBy("injected_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
    },

    getDrill(id: number): Promise<DrillRow | undefined> {
      return db.selectFrom("demo_drills").selectAll().where("id", "=", id).executeTakeFirst();
    },

    /** When Vigie received the first failing event of the drill (its step and error code). */
    async firstFailingEventAt(drill: DrillRow): Promise<Date | null> {
      // events belong to the events module; this read-only look-up is the drill's own question
      const result = await sql<{ at: Date | null }>`
        SELECT min(received_at) AS at FROM events
        WHERE journey = ${drill.journey} AND step = ${drill.step} AND outcome = 'error'
          AND error_code = ${drill.error_code}
          AND time >= ${drill.injected_at}::timestamptz - interval '5 minutes'
          AND received_at >= ${drill.injected_at}`.execute(db);
      return result.rows[0]?.at ?? null;
    },

    /**
     * The first incident of the journey that started after the injection (incidents module's
     * table; undefined when this build has none).
     */
    async incidentSince(
      drill: DrillRow,
    ): Promise<{ id: string; startedAt: Date; updatedAt: Date } | null | undefined> {
      if (!(await hasTable("incidents"))) return undefined;
      const result = await sql<{ id: string; started_at: Date; updated_at: Date }>`
        SELECT id::text AS id, started_at, updated_at FROM incidents
        WHERE journey = ${drill.journey} AND started_at >= ${drill.injected_at}::timestamptz - interval '1 minute'
        ORDER BY started_at LIMIT 1`.execute(db);
      const row = result.rows[0];
      return row ? { id: row.id, startedAt: row.started_at, updatedAt: row.updated_at } : null;
    },

    /**
     * When the first notification about the journey, decided after the injection, was delivered
     * (alerting module's delivery log; undefined when this build has none).
     */
    async alertSentSince(drill: DrillRow): Promise<Date | null | undefined> {
      if (!(await hasTable("notifications")) || !(await hasTable("alerts"))) return undefined;
      const result = await sql<{ at: Date | null }>`
        SELECT min(n.delivered_at) AS at FROM notifications n JOIN alerts a ON a.id = n.alert_id
        WHERE a.journey = ${drill.journey} AND n.status = 'delivered' AND n.created_at >= ${drill.injected_at}`.execute(
        db,
      );
      return result.rows[0]?.at ?? null;
    },

    /** Whether a first-start backfill of the journey completed already. */
    async backfillDone(journey: string): Promise<boolean> {
      const row = await db
        .selectFrom("demo_backfills")
        .select("id")
        .where("journey", "=", journey)
        .where("finished_at", "is not", null)
        .executeTakeFirst();
      return row !== undefined;
    },

    async startBackfill(journey: string, from: Date, to: Date): Promise<number> {
      const row = await db
        .insertInto("demo_backfills")
        .values({ journey, from_time: from, to_time: to, finished_at: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async finishBackfill(
      id: number,
      totals: { runs: number; events: number; accepted: number; duplicates: number },
      at: Date,
    ): Promise<void> {
      await db
        .updateTable("demo_backfills")
        .set({ ...totals, finished_at: at })
        .where("id", "=", id)
        .execute();
    },
  };
}

export type DemoRepository = ReturnType<typeof createDemoRepository>;
