import type { Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.js";

/** A silence or maintenance window as stored. */
export interface SilenceRow {
  id: number;
  kind: "silence" | "maintenance";
  journey: string | null;
  step: string | null;
  ruleKey: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  rrule: string | null;
  comment: string;
  createdBy: string | null;
  createdAt: Date;
  endedAt: Date | null;
}

const toSilence = (r: Selectable<Database["silences"]>): SilenceRow => ({
  id: Number(r.id),
  kind: r.kind,
  journey: r.journey,
  step: r.step,
  ruleKey: r.rule_key,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  timeZone: r.time_zone,
  rrule: r.rrule,
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: r.created_at,
  endedAt: r.ended_at,
});

/** SQL for silences and maintenance windows. */
export function createSilencesRepository(db: Kysely<Database>) {
  return {
    /** Creates a silence; returns it. */
    async create(input: Omit<SilenceRow, "id" | "createdAt" | "endedAt">): Promise<SilenceRow> {
      const row = await db
        .insertInto("silences")
        .values({
          kind: input.kind,
          journey: input.journey,
          step: input.step,
          rule_key: input.ruleKey,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          time_zone: input.timeZone,
          rrule: input.rrule,
          comment: input.comment,
          created_by: input.createdBy,
          ended_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSilence(row);
    },

    /** Silences not ended by hand (their schedule says whether they are in force). */
    async listCurrent(): Promise<SilenceRow[]> {
      const rows = await db
        .selectFrom("silences")
        .selectAll()
        .where("ended_at", "is", null)
        .orderBy("id")
        .execute();
      return rows.map(toSilence);
    },

    async get(id: number): Promise<SilenceRow | undefined> {
      const row = await db.selectFrom("silences").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toSilence(row) : undefined;
    },

    /** Ends a silence now; false when it did not exist or had ended. */
    async end(id: number, at: Date): Promise<boolean> {
      const result = await db
        .updateTable("silences")
        .set({ ended_at: at })
        .where("id", "=", id)
        .where("ended_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type SilencesRepository = ReturnType<typeof createSilencesRepository>;
