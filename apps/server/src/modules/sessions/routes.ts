import type { FastifyInstance } from "fastify";
import { ROLES } from "../../access.js";
import { requestContext } from "../audit/http.js";
import { userSchema } from "../users/schemas.js";
import type { UsersService } from "../users/service.js";
import { clearSessionCookie, setSessionCookie } from "./cookie.js";
import type { SessionsService } from "./service.js";
import type { SignIn } from "./sign-in.js";

const signInBody = {
  type: "object",
  properties: {
    username: { type: "string", minLength: 1, maxLength: 200 },
    password: { type: "string", minLength: 1, maxLength: 1024 },
    totp: {
      type: "string",
      maxLength: 10,
      description: "Current code of the authenticator app, when enabled",
    },
  },
  required: ["username", "password"],
  additionalProperties: false,
} as const;

/** Sign-in with a password (and TOTP) and sign-out. */
export async function sessionRoutes(
  app: FastifyInstance,
  opts: { signIn: SignIn; sessions: SessionsService; users: UsersService },
) {
  app.post<{ Body: { username: string; password: string; totp?: string } }>(
    "/api/v1/session",
    {
      config: { access: "public" },
      schema: {
        tags: ["sessions"],
        summary: "Sign in with a user name and password (and TOTP code); sets the session cookie",
        description:
          "Unknown user, disabled account and wrong password get the same 401 `invalid_credentials`. " +
          "An account with TOTP answers 401 `totp_required` until the code is given. Too many failures " +
          "per account or per address answer 429 with Retry-After.",
        body: signInBody,
        response: { 200: { type: "object", properties: { user: userSchema } } },
      },
    },
    async (request, reply) => {
      const { token, user } = await opts.signIn({ ...request.body, address: request.ip });
      setSessionCookie(request, reply, token);
      return { user: await opts.users.get(user.id) };
    },
  );

  app.delete(
    "/api/v1/session",
    {
      config: { access: ROLES, allowRestricted: true },
      schema: { tags: ["sessions"], summary: "Sign out: ends this session and clears its cookie" },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind === "session")
        await opts.sessions.signOut(requestContext(request), principal.sessionId);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/session/end-all",
    {
      config: { access: ROLES, allowRestricted: true },
      schema: {
        tags: ["sessions"],
        summary: "Sign out everywhere: ends every session of the signed-in user",
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind === "session") {
        await opts.sessions.signOutEverywhere(requestContext(request), principal.userId);
      }
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );
}
