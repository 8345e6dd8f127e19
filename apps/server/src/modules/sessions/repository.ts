import { type Kysely, sql } from "kysely";
import type { Role } from "../../access.js";
import type { Database } from "../../db/schema.js";

/** A live session with what the access check needs to know of its user. */
export interface LiveSession {
  userId: string;
  role: Role;
  lastSeenAt: Date;
  mustChangePassword: boolean;
  totpEnabled: boolean;
}

/** SQL of sessions and of failed sign-in attempts. */
export function createSessionsRepository(db: Kysely<Database>) {
  const live = (idleMs: number) =>
    db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .where("sessions.ended_at", "is", null)
      .where("sessions.expires_at", ">", sql<Date>`now()`)
      .where("sessions.last_seen_at", ">", sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
      .where("users.disabled_at", "is", null);

  return {
    async insert(session: {
      tokenHash: Buffer;
      userId: string;
      absoluteMs: number;
      address: string | null;
      method: "password" | "oidc" | "test";
    }): Promise<void> {
      await db
        .insertInto("sessions")
        .values({
          token_hash: session.tokenHash,
          user_id: session.userId,
          expires_at: sql<Date>`now() + make_interval(secs => ${session.absoluteMs / 1000})`,
          address: session.address,
          method: session.method,
        })
        .execute();
    },

    async findLive(tokenHash: Buffer, idleMs: number): Promise<LiveSession | undefined> {
      const row = await live(idleMs)
        .where("sessions.token_hash", "=", tokenHash)
        .select([
          "users.id as userId",
          "users.role as role",
          "users.must_change_password as mustChangePassword",
          "users.totp_enabled_at as totpEnabledAt",
          "sessions.last_seen_at as lastSeenAt",
        ])
        .executeTakeFirst();
      if (!row) return undefined;
      const { totpEnabledAt, ...rest } = row;
      return { ...rest, totpEnabled: totpEnabledAt !== null };
    },

    /** Of the given sessions, those still live (for connections held open). */
    async stillLive(tokenHashes: Buffer[], idleMs: number): Promise<Buffer[]> {
      if (tokenHashes.length === 0) return [];
      const rows = await live(idleMs)
        .where("sessions.token_hash", "in", tokenHashes)
        .select("sessions.token_hash")
        .execute();
      return rows.map((r) => r.token_hash);
    },

    async touch(tokenHash: Buffer): Promise<void> {
      await db
        .updateTable("sessions")
        .set({ last_seen_at: sql<Date>`now()` })
        .where("token_hash", "=", tokenHash)
        .execute();
    },

    async end(tokenHash: Buffer, reason: string): Promise<void> {
      await db
        .updateTable("sessions")
        .set({ ended_at: sql<Date>`now()`, ended_reason: reason })
        .where("token_hash", "=", tokenHash)
        .where("ended_at", "is", null)
        .execute();
    },

    /** Ends every session of a user; returns the hashes of those that were live. */
    async endAllOfUser(userId: string, reason: string): Promise<Buffer[]> {
      const rows = await db
        .updateTable("sessions")
        .set({ ended_at: sql<Date>`now()`, ended_reason: reason })
        .where("user_id", "=", userId)
        .where("ended_at", "is", null)
        .returning("token_hash")
        .execute();
      return rows.map((r) => r.token_hash);
    },

    async recordFailure(account: string, address: string): Promise<void> {
      await db.insertInto("sign_in_failures").values({ account, address }).execute();
    },

    /** Failures within the window, per account and per address, and when the oldest of each leaves it. */
    async countFailures(account: string, address: string, windowMs: number) {
      const since = sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`;
      const row = await db
        .selectNoFrom((eb) => [
          eb
            .selectFrom("sign_in_failures")
            .where("account", "=", account)
            .where("at", ">", since)
            .select(eb.fn.countAll<number>().as("n"))
            .as("byAccount"),
          eb
            .selectFrom("sign_in_failures")
            .where("address", "=", address)
            .where("at", ">", since)
            .select(eb.fn.countAll<number>().as("n"))
            .as("byAddress"),
        ])
        .executeTakeFirstOrThrow();
      return { byAccount: Number(row.byAccount), byAddress: Number(row.byAddress) };
    },

    async purgeFailures(windowMs: number): Promise<void> {
      await db
        .deleteFrom("sign_in_failures")
        .where("at", "<", sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`)
        .execute();
    },

    async clearAccountFailures(account: string): Promise<void> {
      await db.deleteFrom("sign_in_failures").where("account", "=", account).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
