import { type Kysely, type Selectable, sql } from "kysely";
import type { Role } from "../../access.js";
import type { Database } from "../../db/schema.js";
import type { KeysTables } from "./tables.js";

export type KeyRow = Selectable<KeysTables["api_keys"]>;

/** SQL of API keys (stored as SHA-256 hashes only). */
export function createKeysRepository(db: Kysely<Database>) {
  return {
    async insert(key: {
      kind: "ingest" | "read";
      name: string;
      source: string | null;
      role: Role | null;
      prefix: string;
      secretHash: Buffer;
      createdBy: string | null;
    }): Promise<KeyRow> {
      return db
        .insertInto("api_keys")
        .values({
          kind: key.kind,
          name: key.name,
          source: key.source,
          role: key.role,
          prefix: key.prefix,
          secret_hash: key.secretHash,
          created_by: key.createdBy,
          last_used_at: null,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    findLiveByHash: (secretHash: Buffer) =>
      db
        .selectFrom("api_keys")
        .selectAll()
        .where("secret_hash", "=", secretHash)
        .where("revoked_at", "is", null)
        .executeTakeFirst(),

    async markUsed(id: string): Promise<void> {
      await db.updateTable("api_keys").set({ last_used_at: sql<Date>`now()` }).where("id", "=", id).execute();
    },

    list: () => db.selectFrom("api_keys").selectAll().orderBy("created_at", "desc").execute(),

    /** Revokes a key; undefined when there is no such live key. */
    revoke: (id: string) =>
      db
        .updateTable("api_keys")
        .set({ revoked_at: sql<Date>`now()` })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .returningAll()
        .executeTakeFirst(),
  };
}

export type KeysRepository = ReturnType<typeof createKeysRepository>;
