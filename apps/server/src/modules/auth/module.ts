import fastifyCookie from "@fastify/cookie";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { type Authenticator, enforceAccess } from "../../access.js";
import type { Config } from "../../config.js";
import type { Database } from "../../db/schema.js";
import { createAuditRepository } from "../audit/repository.js";
import { auditRoutes } from "../audit/routes.js";
import { createAuditService } from "../audit/service.js";
import { createKeysRepository } from "../keys/repository.js";
import { keyRoutes } from "../keys/routes.js";
import { createKeysService, type IngestKey } from "../keys/service.js";
import { readSessionToken } from "../sessions/cookie.js";
import { createLiveConnections } from "../sessions/live-connections.js";
import { createSessionsRepository } from "../sessions/repository.js";
import { sessionRoutes } from "../sessions/routes.js";
import { createSessionsService } from "../sessions/service.js";
import { createSignIn } from "../sessions/sign-in.js";
import { accountRoutes } from "../users/account-routes.js";
import { createUsersRepository } from "../users/repository.js";
import { userRoutes } from "../users/routes.js";
import { createUsersService } from "../users/service.js";
import { createOidcSignIn, type OidcSignIn } from "./oidc.js";
import { authRoutes } from "./routes.js";
import { ssoSettingsRoutes } from "./sso-routes.js";
import { createSsoSettings } from "./sso-settings.js";
import { refuseCrossSiteRequests, securityHeaders } from "./web-protections.js";

/** Users, sessions, keys and audit log, wired together once per app. */
export function createAuthModule(deps: { config: Config; db: Kysely<Database>; ingestKeys: IngestKey[] }) {
  const { config, db } = deps;
  const audit = createAuditService(createAuditRepository(db));
  const live = createLiveConnections();
  const sessionsRepository = createSessionsRepository(db);
  const sessions = createSessionsService({
    repository: sessionsRepository,
    policy: {
      idleMs: config.auth.sessionIdleTimeout,
      absoluteMs: config.auth.sessionAbsoluteTimeout,
      totpRequired: config.auth.totpRequired,
    },
    live,
    audit,
  });
  const usersRepository = createUsersRepository(db);
  const users = createUsersService({ repository: usersRepository, sessions, audit });
  const keys = createKeysService({ repository: createKeysRepository(db), audit, bootstrap: deps.ingestKeys });
  const signIn = createSignIn({
    users: usersRepository,
    sessions,
    sessionsRepository,
    audit,
    limits: config.auth.signInLimits,
  });
  const sso = createSsoSettings({ db, config, audit });
  // One sign-in flow per distinct settings (discovery is cached inside); settings are re-read at
  // each sign-in so that a change saved on any instance applies everywhere.
  const flows = new Map<string, OidcSignIn>();
  const oidc = async (): Promise<OidcSignIn | undefined> => {
    const { settings } = await sso.current();
    if (!settings) return undefined;
    const key = JSON.stringify(settings);
    let flow = flows.get(key);
    if (!flow) {
      flow = createOidcSignIn({ settings, db, users: usersRepository, sessions, audit });
      flows.clear();
      flows.set(key, flow);
    }
    return flow;
  };
  const authenticator: Authenticator = {
    async session(request) {
      const token = readSessionToken(request);
      return token ? sessions.authenticate(token) : undefined;
    },
    bearerKey: (token) => keys.authenticate(token),
  };
  return {
    audit,
    sessions,
    users,
    usersRepository,
    keys,
    signIn,
    oidc,
    sso,
    live,
    authenticator,
    sessionsRepository,
  };
}

export type AuthModule = ReturnType<typeof createAuthModule>;

// Connections held open by a session are re-checked this often, to close those whose session was
// ended by another instance (this instance closes its own at once).
const LIVE_RECHECK_MS = 15_000;
const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Installs cookies, security headers, the CSRF defence and the access check on the root instance
 * (before any route), then the sign-in, account, user, key and audit routes.
 */
export async function registerAuth(app: FastifyInstance, auth: AuthModule, config: Config): Promise<void> {
  await app.register(fastifyCookie);
  await securityHeaders(app);
  refuseCrossSiteRequests(app, config.auth.allowedOrigins);
  enforceAccess(app, auth.authenticator);
  app.addHook("onRequest", async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== "session") return;
    // Only a response already streaming (live updates) is cut; a request still being answered ends
    // normally (it may be the very sign-out or password change that ends the session).
    const untrack = auth.live.track(principal.sessionId, () => {
      if (reply.raw.headersSent) request.raw.socket?.destroy();
    });
    reply.raw.once("close", untrack);
  });
  const recheck = setInterval(() => {
    auth.sessions
      .closeDeadConnections()
      .catch((error) => app.log.warn({ err: error }, "live session check failed"));
  }, LIVE_RECHECK_MS);
  recheck.unref();
  // Failed sign-ins older than the limit window name accounts for nothing: drop them.
  const purge = setInterval(() => {
    auth.sessionsRepository
      .purgeFailures(config.auth.signInLimits.window)
      .catch((error) => app.log.warn({ err: error }, "sign-in failures not purged"));
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook("onClose", async () => {
    clearInterval(recheck);
    clearInterval(purge);
  });

  await app.register(authRoutes, { oidc: auth.oidc });
  await app.register(sessionRoutes, { signIn: auth.signIn, sessions: auth.sessions, users: auth.users });
  await app.register(accountRoutes, { users: auth.users, sessions: auth.sessions });
  await app.register(userRoutes, { users: auth.users });
  await app.register(keyRoutes, { keys: auth.keys });
  await app.register(auditRoutes, { audit: auth.audit });
  await app.register(ssoSettingsRoutes, { sso: auth.sso });
}
