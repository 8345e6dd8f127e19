import type { FastifyInstance, FastifyRequest } from "fastify";
import { ROLES } from "../../access.js";
import { AccessDeniedError } from "../../errors.js";
import { requestContext } from "../audit/http.js";
import { setSessionCookie } from "../sessions/cookie.js";
import type { SessionsService } from "../sessions/service.js";
import { userSchema } from "./schemas.js";
import type { UsersService } from "./service.js";

// "My account" routes stay reachable by a restricted session: that is how it gets unrestricted.
const ANY_SIGNED_IN = { access: ROLES, allowRestricted: true } as const;

const codeBody = {
  type: "object",
  properties: { code: { type: "string", pattern: "^[0-9]{6}$" } },
  required: ["code"],
  additionalProperties: false,
} as const;

/** The signed-in user's own account: who am I, password, TOTP. */
export async function accountRoutes(
  app: FastifyInstance,
  opts: { users: UsersService; sessions: SessionsService },
) {
  const { users, sessions } = opts;
  const me = (request: FastifyRequest): string => {
    // ANY_SIGNED_IN lets read keys through too (on GET only); a key has no account to change.
    if (request.principal?.kind !== "session")
      throw new AccessDeniedError("Only a signed-in user has an account.");
    return request.principal.userId;
  };

  app.get(
    "/api/v1/me",
    {
      config: ANY_SIGNED_IN,
      schema: {
        tags: ["account"],
        summary: "The signed-in user, and what they must do first (change password, enrol TOTP)",
        response: {
          200: {
            type: "object",
            properties: {
              user: { ...userSchema, type: ["object", "null"] },
              restricted: {
                type: ["string", "null"],
                enum: ["password_change_required", "totp_enrolment_required", null],
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal?.kind !== "session") return { user: null, restricted: null };
      return { user: await users.get(principal.userId), restricted: principal.restricted ?? null };
    },
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    "/api/v1/me/password",
    {
      config: ANY_SIGNED_IN,
      schema: {
        tags: ["account"],
        summary: "Change my password: every session of mine ends, this browser gets a new one",
        body: {
          type: "object",
          properties: {
            currentPassword: { type: "string", maxLength: 1024 },
            newPassword: { type: "string", maxLength: 1024 },
          },
          required: ["currentPassword", "newPassword"],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const userId = me(request);
      await users.changeOwnPassword(requestContext(request), userId, {
        current: request.body.currentPassword,
        next: request.body.newPassword,
      });
      const { token } = await sessions.open(userId, { address: request.ip, method: "password" });
      setSessionCookie(request, reply, token);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/me/totp",
    {
      config: ANY_SIGNED_IN,
      schema: {
        tags: ["account"],
        summary: "Start TOTP enrolment: a secret and its otpauth:// URI, enabled once a code is confirmed",
        response: {
          200: { type: "object", properties: { secret: { type: "string" }, uri: { type: "string" } } },
        },
      },
    },
    async (request) => users.beginTotp(me(request)),
  );

  app.post<{ Body: { code: string } }>(
    "/api/v1/me/totp/confirm",
    {
      config: ANY_SIGNED_IN,
      schema: { tags: ["account"], summary: "Confirm TOTP enrolment with a first code", body: codeBody },
    },
    async (request, reply) => {
      await users.confirmTotp(requestContext(request), me(request), request.body.code);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { code: string } }>(
    "/api/v1/me/totp/disable",
    {
      config: ANY_SIGNED_IN,
      schema: { tags: ["account"], summary: "Turn TOTP off, proven by a current code", body: codeBody },
    },
    async (request, reply) => {
      await users.disableTotp(requestContext(request), me(request), request.body.code);
      return reply.code(204).send();
    },
  );
}
