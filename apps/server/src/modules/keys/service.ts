import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Principal, Role } from "../../access.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import type { AuditContext, AuditService } from "../audit/service.js";
import type { KeyRow, KeysRepository } from "./repository.js";

/** An ingest key from the configuration (or generated at first start): a bootstrap key, not revocable here. */
export interface IngestKey {
  name: string;
  key: string;
}

/** A key as the API shows it: never the secret, only its first characters. */
export interface ApiKey {
  id: string;
  kind: "ingest" | "read";
  name: string;
  source: string | null;
  role: Role | null;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const PREFIX = { ingest: "vigie_ik_", read: "vigie_rk_" } as const;
// Keys are 256 random bits: a fast hash is enough (no dictionary to guess from), unlike passwords.
const digest = (text: string) => createHash("sha256").update(text).digest();
// last_used_at to the minute: a write per ingest request would double the database's work.
const MARK_USED_EVERY_MS = 60_000;

function present(row: KeyRow): ApiKey {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    source: row.source,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** API keys: ingest keys (per source) and read keys (per role), shown once, stored hashed, revocable. */
export function createKeysService(deps: {
  repository: KeysRepository;
  audit: AuditService;
  bootstrap: IngestKey[];
}) {
  const { repository, audit } = deps;
  const bootstrap = deps.bootstrap.map((k) => ({ name: k.name, digest: digest(k.key) }));

  return {
    /** Creates a key and returns its secret, which is never shown again. */
    async create(
      ctx: AuditContext,
      input: { kind: "ingest" | "read"; name: string; source?: string | null; role?: Role | null },
    ): Promise<{ key: ApiKey; secret: string }> {
      const name = input.name.trim();
      if (!name || name.length > 100) throw new ValidationError("A key needs a name of 1 to 100 characters.");
      if (input.kind === "read" && !input.role) throw new ValidationError("A read key needs a role.");
      if (input.kind === "ingest" && input.role) throw new ValidationError("An ingest key has no role.");
      if (input.kind === "read" && input.source) throw new ValidationError("Only ingest keys have a source.");
      const secret = `${PREFIX[input.kind]}${randomBytes(32).toString("base64url")}`;
      const row = await repository.insert({
        kind: input.kind,
        name,
        source: input.kind === "ingest" ? input.source?.trim() || null : null,
        role: input.kind === "read" ? (input.role ?? null) : null,
        prefix: secret.slice(0, PREFIX[input.kind].length + 6),
        secretHash: digest(secret),
        createdBy: ctx.actor.kind === "user" ? (ctx.actor.id ?? null) : null,
      });
      await audit.record({
        ...ctx,
        action: "key.created",
        target: { kind: "key", id: row.id },
        details: { kind: row.kind, name: row.name, role: row.role, source: row.source },
      });
      return { key: present(row), secret };
    },

    list: async () => (await repository.list()).map(present),

    /** Revokes a key: refused from the very next request. */
    async revoke(ctx: AuditContext, id: string): Promise<ApiKey> {
      const row = /^[0-9a-f-]{36}$/i.test(id) ? await repository.revoke(id) : undefined;
      if (!row) throw new NotFoundError(`No live key ${id}.`);
      await audit.record({
        ...ctx,
        action: "key.revoked",
        target: { kind: "key", id },
        details: { name: row.name },
      });
      return present(row);
    },

    /** The principal of a bearer key, if live; configuration keys are compared in constant time. */
    async authenticate(token: string): Promise<Principal | undefined> {
      const presented = digest(token);
      let configured: string | undefined;
      for (const known of bootstrap) {
        if (timingSafeEqual(known.digest, presented) && configured === undefined) configured = known.name;
      }
      if (configured !== undefined)
        return { kind: "ingest-key", keyId: `bootstrap:${configured}`, source: null };
      const row = await repository.findLiveByHash(presented);
      if (!row) return undefined;
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > MARK_USED_EVERY_MS) {
        await repository.markUsed(row.id);
      }
      return row.kind === "ingest"
        ? { kind: "ingest-key", keyId: row.id, source: row.source }
        : { kind: "read-key", keyId: row.id, role: row.role as Role };
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
