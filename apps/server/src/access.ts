import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { AccessDeniedError, RestrictedSessionError, UnauthorizedError } from "./errors.js";

/** Who may use Vigie, from most to least powerful in their own area. */
export const ROLES = ["admin", "operator", "viewer", "sales"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route, declared next to the route in `config.access`:
 * - `"public"`: anyone (health checks, static pages, sign-in);
 * - `"ingest"`: a bearer ingest key (only `POST /api/v1/events`);
 * - a list of roles: a signed-in user (or read key) holding one of them.
 */
export type Access = "public" | "ingest" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * Reachable by a restricted session (one-time password not changed yet, or TOTP enrolment due):
     * only "my account" and sign-out routes set this.
     */
    allowRestricted?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling, once the access check has identified them (absent on public routes). */
    principal?: Principal;
  }
}

/** Who is calling: a signed-in user (session), a read key acting as a role, or an ingest key. */
export type Principal =
  | {
      kind: "session";
      userId: string;
      role: Role;
      /** Hex SHA-256 of the session token: identifies the session without revealing it. */
      sessionId: string;
      /** Set when the session may only change its password or enrol TOTP. */
      restricted?: "password_change_required" | "totp_enrolment_required";
    }
  | { kind: "read-key"; keyId: string; role: Role }
  | {
      kind: "ingest-key";
      /** Database id, or `bootstrap:<name>` for a key from the configuration. */
      keyId: string;
      /** The only CloudEvents source this key may send for; any when null. */
      source: string | null;
    };

/** Resolves credentials to a principal; implemented by the sessions and keys modules. */
export interface Authenticator {
  /** The principal of the request's session cookie, if it names a live session. */
  session(request: FastifyRequest): Promise<Principal | undefined>;
  /** The principal of a bearer key (read or ingest), if it is a live key. */
  bearerKey(token: string): Promise<Principal | undefined>;
}

const READ_METHODS = new Set(["GET", "HEAD"]);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // A malformed Authorization header is not "no credentials": it is a wrong one.
  return match?.[1] ?? "";
}

/**
 * Enforces every route's declared access before its body is even read:
 * - `"public"`: nothing is checked (a session, if any, is not looked up);
 * - `"ingest"`: a bearer ingest key is required (401 otherwise; 403 for a read key);
 * - roles: a session cookie or bearer read key whose role is listed (401 without credentials,
 *   403 with the wrong role); read keys only on GET/HEAD; ingest keys never.
 * Add it to the root instance before any route is registered.
 */
export function enforceAccess(app: FastifyInstance, authenticator: Authenticator): void {
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || access === "public") return;
    const token = bearerToken(request);
    if (access === "ingest") {
      if (token === undefined) {
        throw new UnauthorizedError("An ingest key is required: Authorization: Bearer <key>.");
      }
      const principal = token ? await authenticator.bearerKey(token) : undefined;
      if (!principal) throw new UnauthorizedError("This ingest key is unknown or revoked.");
      if (principal.kind !== "ingest-key") throw new AccessDeniedError("Only an ingest key may send events.");
      request.principal = principal;
      return;
    }
    let principal: Principal | undefined;
    if (token !== undefined) {
      principal = token ? await authenticator.bearerKey(token) : undefined;
      if (!principal) throw new UnauthorizedError("This key is unknown or revoked.");
      if (principal.kind === "ingest-key") {
        throw new AccessDeniedError("An ingest key may only send events (POST /api/v1/events).");
      }
      if (principal.kind === "read-key" && !READ_METHODS.has(request.method)) {
        throw new AccessDeniedError("A read key may only read (GET).");
      }
    } else {
      principal = await authenticator.session(request);
      if (!principal) throw new UnauthorizedError("Sign in first.");
    }
    if (principal.kind === "ingest-key" || !access.includes(principal.role)) {
      throw new AccessDeniedError();
    }
    if (
      principal.kind === "session" &&
      principal.restricted &&
      !request.routeOptions.config.allowRestricted
    ) {
      throw new RestrictedSessionError(
        principal.restricted,
        principal.restricted === "password_change_required"
          ? "Change your one-time password first."
          : "Enrol a TOTP authenticator first (My account).",
      );
    }
    request.principal = principal;
  });
}

/**
 * Makes a missing access declaration fatal: `ready()` (hence start-up) fails naming every route
 * that declares none, so no route can be forgotten.
 */
export function requireAccessDeclarations(app: FastifyInstance): RouteOptions[] {
  const routes: RouteOptions[] = [];
  app.addHook("onRoute", (route) => {
    routes.push(route);
  });
  app.addHook("onReady", async () => {
    const missing = routes.filter((route) => !(route.config as { access?: Access } | undefined)?.access);
    if (missing.length > 0) {
      const names = missing.map((r) => `${[r.method].flat().join(",")} ${r.url}`).join("; ");
      throw new Error(`Routes without an access declaration: ${names}`);
    }
  });
  return routes;
}

/** Declares every route registered inside `register` as public (third-party plugins: docs, static files). */
export async function publicRoutes(app: FastifyInstance, register: (app: FastifyInstance) => Promise<void>) {
  await app.register(async (child) => {
    child.addHook("onRoute", (route) => {
      route.config = { ...(route.config as object), access: "public" } as typeof route.config;
    });
    await register(child);
  });
}
