import type { AuditRepository } from "./repository.js";

/** Who acted: a user or API key by id, Vigie itself, or someone not signed in. */
export interface Actor {
  kind: "user" | "key" | "system" | "anonymous";
  id?: string | null;
}

/**
 * One line of the audit log. `details` must hold no personal data: ids, roles, names of keys,
 * never a person's name, e-mail or phone.
 */
export interface AuditEntry {
  /** Dotted verb, e.g. `session.sign_in`, `user.role_changed`, `key.revoked`, `prospect.read`. */
  action: string;
  outcome?: "success" | "failure";
  actor: Actor;
  target?: { kind: string; id: string | null };
  /** Client address (already resolved through trusted proxies). */
  address?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: Date;
  action: string;
  outcome: "success" | "failure";
  actor: { kind: Actor["kind"]; id: string | null };
  target: { kind: string; id: string | null } | null;
  address: string | null;
  details: Record<string, unknown>;
}

/** The audit log: appended to by every module, read by admins; rows are never changed or deleted. */
export function createAuditService(repository: AuditRepository) {
  return {
    /** Appends one entry; call it once the audited action is done (or refused). */
    record: (entry: AuditEntry) => repository.append(entry),
    /** Newest first; `beforeId` pages backwards, `action` filters by prefix (`session.`). */
    list: (query: { limit?: number; beforeId?: number; action?: string } = {}) =>
      repository.list({
        limit: Math.min(query.limit ?? 100, 500),
        beforeId: query.beforeId,
        action: query.action,
      }),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Who is acting and from where, passed by every way in (HTTP route, CLI) to audited services. */
export interface AuditContext {
  actor: Actor;
  address: string | null;
}

/** The context of Vigie acting on its own (first start, CLI). */
export const SYSTEM_CONTEXT: AuditContext = { actor: { kind: "system" }, address: null };
