import { type Kysely, type Selectable, sql } from "kysely";
import type { Role } from "../../access.js";
import type { Database } from "../../db/schema.js";
import type { UsersTables } from "./tables.js";

export type UserRow = Selectable<UsersTables["users"]>;

/** SQL of user accounts. */
export function createUsersRepository(db: Kysely<Database>) {
  return {
    async insert(user: {
      username: string;
      displayName: string;
      role: Role;
      passwordHash: string | null;
      mustChangePassword: boolean;
      oidc?: { issuer: string; subject: string };
    }): Promise<UserRow | undefined> {
      return (
        db
          .insertInto("users")
          .values({
            username: user.username,
            display_name: user.displayName,
            role: user.role,
            password_hash: user.passwordHash,
            must_change_password: user.mustChangePassword,
            oidc_issuer: user.oidc?.issuer ?? null,
            oidc_subject: user.oidc?.subject ?? null,
            totp_secret: null,
            totp_enabled_at: null,
            totp_last_step: null,
            disabled_at: null,
          })
          // A taken user name (any case) answers nothing rather than raising.
          .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
          .returningAll()
          .executeTakeFirst()
      );
    },

    findById: (id: string) => db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst(),

    findByUsername: (username: string) =>
      db
        .selectFrom("users")
        .selectAll()
        .where(sql<string>`lower(username)`, "=", username.toLowerCase())
        .executeTakeFirst(),

    findByOidc: (issuer: string, subject: string) =>
      db
        .selectFrom("users")
        .selectAll()
        .where("oidc_issuer", "=", issuer)
        .where("oidc_subject", "=", subject)
        .executeTakeFirst(),

    list: () => db.selectFrom("users").selectAll().orderBy(sql`lower(username)`).execute(),

    countAll: async () =>
      Number(
        (
          await db
            .selectFrom("users")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),

    countAdmins: async () =>
      Number(
        (
          await db
            .selectFrom("users")
            .where("role", "=", "admin")
            .where("disabled_at", "is", null)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),

    async update(
      id: string,
      changes: Partial<
        Pick<
          UserRow,
          | "display_name"
          | "role"
          | "password_hash"
          | "must_change_password"
          | "disabled_at"
          | "totp_secret"
          | "totp_enabled_at"
          | "totp_last_step"
        >
      >,
    ): Promise<UserRow | undefined> {
      return db
        .updateTable("users")
        .set({ ...changes, updated_at: sql<Date>`now()` })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
    },

    /** Records a TOTP step as used; false if it (or a later one) was already used: the code is replayed. */
    async useTotpStep(id: string, step: number): Promise<boolean> {
      const result = await db
        .updateTable("users")
        .set({ totp_last_step: step })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
