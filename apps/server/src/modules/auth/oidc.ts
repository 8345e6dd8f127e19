import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import * as client from "openid-client";
import type { Role } from "../../access.js";
import type { Config } from "../../config.js";
import type { Database } from "../../db/schema.js";
import { AccessDeniedError, InvalidCredentialsError } from "../../errors.js";
import type { AuditService } from "../audit/service.js";
import type { SessionsService } from "../sessions/service.js";
import type { UsersRepository } from "../users/repository.js";

export type OidcSettings = NonNullable<Config["auth"]["oidc"]>;

// When a user's groups map to several roles, the most powerful one wins.
const PRECEDENCE: Role[] = ["admin", "operator", "sales", "viewer"];
// An attempt not finished within this time (the user left the provider's page) is void.
const ATTEMPT_TTL_SECONDS = 600;

/** The Vigie role given by a claim (a string or array of strings) through the mapping; undefined if none. */
export function roleFromClaim(claim: unknown, mapping: Record<string, Role>): Role | undefined {
  const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === "string");
  const roles = new Set(values.map((v) => mapping[v]).filter((r): r is Role => r !== undefined));
  return PRECEDENCE.find((role) => roles.has(role));
}

/**
 * Single sign-on with an OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce kept server-side (used once) and bound to the browser by a cookie; the role comes from a
 * claim through `roleMapping` at every sign-in.
 */
export function createOidcSignIn(deps: {
  settings: OidcSettings;
  db: Kysely<Database>;
  users: UsersRepository;
  sessions: SessionsService;
  audit: AuditService;
}) {
  const { settings, db, users, sessions, audit } = deps;
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? undefined : client.None(),
        settings.allowHttpIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined; // try again at the next sign-in
        throw error;
      });
    return discovered;
  };

  async function uniqueUsername(wanted: string): Promise<string> {
    const base = wanted.replace(/[^\p{L}\p{N}._@+-]/gu, "").slice(0, 80) || "sso-user";
    if (!(await users.findByUsername(base))) return base;
    return `${base}-${randomBytes(3).toString("hex")}`;
  }

  return {
    label: settings.label,

    /** Starts a sign-in: where to send the browser, and the state to bind to it (cookie). */
    async start(): Promise<{ url: URL; state: string }> {
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await db.insertInto("oidc_attempts").values({ state, code_verifier: codeVerifier, nonce }).execute();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url, state };
    },

    /** Finishes a sign-in at the callback: checks everything, maps the role, opens a session. */
    async finish(input: { query: string; browserState: string | undefined; address: string }) {
      const callbackUrl = new URL(settings.redirectUri);
      callbackUrl.search = input.query;
      const state = callbackUrl.searchParams.get("state") ?? "";
      const fail = async (
        reason: string,
        error: Error = new InvalidCredentialsError("invalid_credentials", "Single sign-on failed."),
      ) => {
        await audit.record({
          action: "session.sign_in",
          outcome: "failure",
          actor: { kind: "anonymous" },
          address: input.address,
          details: { method: "oidc", reason },
        });
        return error;
      };
      // The state must be the one this browser started with (no login CSRF), and used once.
      if (!state || state !== input.browserState) throw await fail("state_mismatch");
      const attempt = await db
        .deleteFrom("oidc_attempts")
        .where("state", "=", state)
        .where("created_at", ">", sql<Date>`now() - make_interval(secs => ${ATTEMPT_TTL_SECONDS})`)
        .returningAll()
        .executeTakeFirst();
      if (!attempt) throw await fail("unknown_state");
      const config = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: attempt.code_verifier,
          expectedState: state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        claims = { ...(tokens.claims() ?? {}) };
        if (claims[settings.roleClaim] === undefined) {
          // Some providers put groups in the userinfo answer only.
          Object.assign(claims, await client.fetchUserInfo(config, tokens.access_token, String(claims.sub)));
        }
      } catch (error) {
        throw await fail(`provider_error: ${(error as Error).message.slice(0, 200)}`);
      }
      const issuer = config.serverMetadata().issuer;
      const subject = String(claims.sub);
      const role = roleFromClaim(claims[settings.roleClaim], settings.roleMapping);
      if (!role)
        throw await fail("no_role", new AccessDeniedError("Your single sign-on groups give no Vigie role."));

      let user = await users.findByOidc(issuer, subject);
      if (!user) {
        const wanted = String(claims.preferred_username ?? claims.email ?? subject);
        user = await users.insert({
          username: await uniqueUsername(wanted),
          displayName: String(claims.name ?? wanted),
          role,
          passwordHash: null,
          mustChangePassword: false,
          oidc: { issuer, subject },
        });
        if (!user) throw await fail("username_conflict");
        await audit.record({
          action: "user.created",
          actor: { kind: "system" },
          target: { kind: "user", id: user.id },
          details: { role, method: "oidc" },
        });
      } else if (user.disabled_at) {
        throw await fail("disabled");
      } else if (user.role !== role) {
        await users.update(user.id, { role });
        await sessions.endAll(user.id, "role_changed");
        await audit.record({
          action: "user.role_changed",
          actor: { kind: "system" },
          target: { kind: "user", id: user.id },
          details: { from: user.role, to: role, method: "oidc" },
        });
      }
      const session = await sessions.open(user.id, { address: input.address, method: "oidc" });
      await audit.record({
        action: "session.sign_in",
        actor: { kind: "user", id: user.id },
        address: input.address,
        details: { method: "oidc" },
      });
      return session;
    },
  };
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>;
