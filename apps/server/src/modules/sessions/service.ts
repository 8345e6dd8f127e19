import { createHash, randomBytes } from "node:crypto";
import type { Principal } from "../../access.js";
import type { AuditContext, AuditService } from "../audit/service.js";
import type { LiveConnections } from "./live-connections.js";
import type { SessionsRepository } from "./repository.js";

/** Session lifetimes and the TOTP policy, from `config.auth`. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** Admin and sales accounts must enrol TOTP before doing anything else. */
  totpRequired: boolean;
}

// Writing last_seen_at on every request would turn every read into a write; a minute is precise enough.
const TOUCH_EVERY_MS = 60_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest();

/** Server-side sessions: opened at sign-in, checked on each request, ended on sign-out and account changes. */
export function createSessionsService(deps: {
  repository: SessionsRepository;
  policy: SessionPolicy;
  live: LiveConnections;
  audit: AuditService;
}) {
  const { repository, policy, live, audit } = deps;

  async function endAll(userId: string, reason: string): Promise<void> {
    const ended = await repository.endAllOfUser(userId, reason);
    live.closeSessions(ended.map((hash) => hash.toString("hex")));
  }

  return {
    /** Opens a session for a user; the token goes in the cookie and is never stored. */
    async open(userId: string, context: { address: string | null; method: "password" | "oidc" | "test" }) {
      const token = randomBytes(32).toString("base64url");
      const tokenHash = hashToken(token);
      await repository.insert({ tokenHash, userId, absoluteMs: policy.absoluteMs, ...context });
      return { token, sessionId: tokenHash.toString("hex") };
    },

    /** The principal of a session token, if the session is live (not ended, idle or expired). */
    async authenticate(token: string): Promise<Extract<Principal, { kind: "session" }> | undefined> {
      const tokenHash = hashToken(token);
      const session = await repository.findLive(tokenHash, policy.idleMs);
      if (!session) return undefined;
      if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await repository.touch(tokenHash);
      const restricted = session.mustChangePassword
        ? ("password_change_required" as const)
        : policy.totpRequired &&
            (session.role === "admin" || session.role === "sales") &&
            !session.totpEnabled
          ? ("totp_enrolment_required" as const)
          : undefined;
      return {
        kind: "session",
        userId: session.userId,
        role: session.role,
        sessionId: tokenHash.toString("hex"),
        ...(restricted ? { restricted } : {}),
      };
    },

    /** Ends one session (sign-out) and closes its open connections. */
    async end(sessionId: string, reason = "signed_out"): Promise<void> {
      await repository.end(Buffer.from(sessionId, "hex"), reason);
      live.closeSessions([sessionId]);
    },

    /** Ends every session of a user: sign-out everywhere, password or role change, disabled account. */
    endAll,

    /** Sign-out of one session, audited. */
    async signOut(ctx: AuditContext, sessionId: string): Promise<void> {
      await repository.end(Buffer.from(sessionId, "hex"), "signed_out");
      live.closeSessions([sessionId]);
      await audit.record({ ...ctx, action: "session.sign_out" });
    },

    /** Sign-out everywhere (every session of the user), audited. */
    async signOutEverywhere(ctx: AuditContext, userId: string): Promise<void> {
      await endAll(userId, "signed_out_everywhere");
      await audit.record({
        ...ctx,
        action: "session.sign_out_everywhere",
        target: { kind: "user", id: userId },
      });
    },

    /**
     * Closes connections whose session was ended elsewhere (another instance) or timed out; run
     * periodically, since only this instance knows which connections it holds.
     */
    async closeDeadConnections(): Promise<number> {
      const open = live.openSessions();
      if (open.length === 0) return 0;
      const alive = new Set(
        (
          await repository.stillLive(
            open.map((id) => Buffer.from(id, "hex")),
            policy.idleMs,
          )
        ).map((h) => h.toString("hex")),
      );
      return live.closeSessions(open.filter((id) => !alive.has(id)));
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
