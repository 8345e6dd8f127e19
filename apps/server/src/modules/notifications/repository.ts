import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database } from "../../db/schema.js";
import type { Notice } from "./messages.js";

/** A notification (outbox row) as the deliverer and the API see it. */
export interface NotificationRow {
  id: number;
  alertId: number | null;
  notice: string;
  audience: string;
  channel: string;
  channelKind: string;
  message: Notice;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** One row to put in the outbox. */
export interface OutboxEntry {
  alertId: number | null;
  notice: Notice;
  audience: string;
  channel: string;
  channelKind: string;
}

const toRow = (r: Selectable<Database["notifications"]>): NotificationRow => ({
  id: Number(r.id),
  alertId: r.alert_id === null ? null : Number(r.alert_id),
  notice: r.notice,
  audience: r.audience,
  channel: r.channel,
  channelKind: r.channel_kind,
  message: r.message as unknown as Notice,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

/** SQL for the outbox, the delivery log and channel health. */
export function createNotificationsRepository(db: Kysely<Database>) {
  return {
    /** Writes notifications in the caller's transaction (the one that changes the alert's state). */
    async enqueue(
      trx: Transaction<Database> | Kysely<Database>,
      entries: OutboxEntry[],
      now: Date,
    ): Promise<number> {
      if (entries.length === 0) return 0;
      await trx
        .insertInto("notifications")
        .values(
          entries.map((e) => ({
            alert_id: e.alertId,
            notice: e.notice.kind,
            audience: e.audience,
            channel: e.channel,
            channel_kind: e.channelKind,
            message: JSON.stringify(e.notice),
            next_attempt_at: now,
            created_at: now,
            lease_until: null,
            last_error: null,
            delivered_at: null,
          })),
        )
        .execute();
      return entries.length;
    },

    /**
     * Takes up to `limit` due notifications for this sender: pending ones whose time has come and
     * 'sending' ones whose sender's lease ran out (it crashed). A notification waits while an earlier
     * one of the same alert on the same channel is not settled, so a recovery never overtakes its alert.
     */
    async claimDue(now: Date, leaseMs: number, limit: number): Promise<NotificationRow[]> {
      const result = await sql<Selectable<Database["notifications"]>>`
        UPDATE notifications SET status = 'sending', attempts = attempts + 1,
               lease_until = ${new Date(now.getTime() + leaseMs)}
        WHERE id IN (
          SELECT n.id FROM notifications n
          WHERE ((n.status = 'pending' AND n.next_attempt_at <= ${now})
                 OR (n.status = 'sending' AND n.lease_until < ${now}))
            AND NOT EXISTS (
              SELECT 1 FROM notifications p
              WHERE p.alert_id = n.alert_id AND p.audience = n.audience AND p.channel = n.channel
                AND p.id < n.id AND p.status IN ('pending', 'sending'))
          ORDER BY n.id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING *`.execute(db);
      return result.rows.map(toRow).sort((a, b) => a.id - b.id);
    },

    /** When the next pending notification is due, if any. */
    async nextDueAt(): Promise<Date | null> {
      const row = await sql<{ at: Date | null }>`
        SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE lease_until END) AS at
        FROM notifications WHERE status IN ('pending', 'sending')`.execute(db);
      return row.rows[0]?.at ?? null;
    },

    /** Records an attempt and the notification's new status, in one transaction. */
    async settle(
      id: number,
      attempt: {
        number: number;
        startedAt: Date;
        finishedAt: Date;
        outcome: "delivered" | "retry" | "failed";
        httpStatus: number | null;
        error: string | null;
        retryAt?: Date;
      },
      after?: (trx: Transaction<Database>) => Promise<void>,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("notification_attempts")
          .values({
            notification_id: id,
            attempt: attempt.number,
            started_at: attempt.startedAt,
            finished_at: attempt.finishedAt,
            outcome: attempt.outcome,
            http_status: attempt.httpStatus,
            error: attempt.error,
          })
          .onConflict((oc) => oc.columns(["notification_id", "attempt"]).doNothing())
          .execute();
        await trx
          .updateTable("notifications")
          .set(
            attempt.outcome === "delivered"
              ? { status: "delivered", delivered_at: attempt.finishedAt, lease_until: null, last_error: null }
              : attempt.outcome === "retry"
                ? {
                    status: "pending",
                    next_attempt_at: attempt.retryAt!,
                    lease_until: null,
                    last_error: attempt.error,
                  }
                : { status: "failed", lease_until: null, last_error: attempt.error },
          )
          .where("id", "=", id)
          .execute();
        await after?.(trx);
      });
    },

    /**
     * Counts a given-up notification against its channel; returns true when this makes the channel
     * dead (it was not already), so that the caller reports it once.
     */
    async channelFailed(
      trx: Transaction<Database>,
      audience: string,
      channel: string,
      at: Date,
      deadAfter: number,
    ) {
      const result = await sql<{ newly_down: boolean }>`
        INSERT INTO channel_health AS h (audience, channel, consecutive_failures, last_failed_at,
                                         down_since)
        VALUES (${audience}, ${channel}, 1, ${at}, CASE WHEN 1 >= ${deadAfter}::int THEN ${at}::timestamptz END)
        ON CONFLICT (audience, channel) DO UPDATE
          SET consecutive_failures = h.consecutive_failures + 1, last_failed_at = ${at},
              down_since = coalesce(h.down_since,
                CASE WHEN h.consecutive_failures + 1 >= ${deadAfter}::int THEN ${at}::timestamptz END)
        RETURNING (down_since = ${at}::timestamptz) AS newly_down`.execute(trx);
      return result.rows[0]?.newly_down ?? false;
    },

    /** Marks a channel healthy after a delivery. */
    async channelDelivered(
      trx: Transaction<Database>,
      audience: string,
      channel: string,
      at: Date,
    ): Promise<void> {
      await sql`
        INSERT INTO channel_health (audience, channel, consecutive_failures, last_delivered_at)
        VALUES (${audience}, ${channel}, 0, ${at})
        ON CONFLICT (audience, channel) DO UPDATE
          SET consecutive_failures = 0, down_since = NULL, last_delivered_at = ${at}`.execute(trx);
    },

    /** Health of every channel that was ever used. */
    async channelHealth(): Promise<Selectable<Database["channel_health"]>[]> {
      return db.selectFrom("channel_health").selectAll().execute();
    },

    /** The delivery log, newest first. */
    async list(filter: {
      alertId?: number;
      status?: string;
      audience?: string;
      limit: number;
      offset: number;
    }): Promise<{ items: NotificationRow[]; total: number }> {
      let query = db.selectFrom("notifications");
      if (filter.alertId !== undefined) query = query.where("alert_id", "=", filter.alertId);
      if (filter.status) query = query.where("status", "=", filter.status as NotificationRow["status"]);
      if (filter.audience) query = query.where("audience", "=", filter.audience);
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy("id", "desc").limit(filter.limit).offset(filter.offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst(),
      ]);
      return { items: rows.map(toRow), total: Number(count?.n ?? 0) };
    },

    /** Notifications about one journey written to the outbox in [from, to), oldest first (at most `limit`). */
    async aboutJourney(journey: string, from: Date, to: Date, limit = 100): Promise<NotificationRow[]> {
      const rows = await db
        .selectFrom("notifications")
        .selectAll()
        .where(sql<boolean>`message->>'journey' = ${journey}`)
        .where("created_at", ">=", from)
        .where("created_at", "<", to)
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },

    /** One notification with its attempts. */
    async get(id: number) {
      const row = await db.selectFrom("notifications").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) return undefined;
      const attempts = await db
        .selectFrom("notification_attempts")
        .selectAll()
        .where("notification_id", "=", id)
        .orderBy("attempt")
        .execute();
      return { ...toRow(row), attemptLog: attempts };
    },
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
