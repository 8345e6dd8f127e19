import type { FastifyInstance } from "fastify";
import type { Role } from "../../access.js";
import { requestContext } from "../audit/http.js";
import { idParams, roleSchema, userSchema } from "./schemas.js";
import type { UsersService } from "./service.js";

const oneTimePasswordSchema = {
  type: "string",
  description: "Shown once: give it to the user, who must change it at first sign-in",
} as const;

/** User management, for admins. */
export async function userRoutes(app: FastifyInstance, { users }: { users: UsersService }) {
  app.get(
    "/api/v1/users",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "List user accounts",
        response: { 200: { type: "object", properties: { items: { type: "array", items: userSchema } } } },
      },
    },
    async () => ({ items: await users.list() }),
  );

  app.post<{ Body: { username: string; displayName?: string; role: Role; password?: string } }>(
    "/api/v1/users",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "Create a local account (with a one-time password unless a password is given)",
        body: {
          type: "object",
          properties: {
            username: { type: "string", minLength: 2, maxLength: 100 },
            displayName: { type: "string", maxLength: 200 },
            role: roleSchema,
            password: { type: "string", maxLength: 256 },
          },
          required: ["username", "role"],
          additionalProperties: false,
        },
        response: {
          201: { type: "object", properties: { user: userSchema, oneTimePassword: oneTimePasswordSchema } },
        },
      },
    },
    async (request, reply) => reply.code(201).send(await users.create(requestContext(request), request.body)),
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/users/:id",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "One user account",
        params: idParams,
        response: { 200: userSchema },
      },
    },
    async (request) => users.get(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: { role?: Role; displayName?: string; disabled?: boolean } }>(
    "/api/v1/users/:id",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary:
          "Change a user's role, display name or disabled state (role change and disabling end their sessions)",
        params: idParams,
        body: {
          type: "object",
          properties: {
            role: roleSchema,
            displayName: { type: "string", minLength: 1, maxLength: 200 },
            disabled: { type: "boolean" },
          },
          additionalProperties: false,
        },
        response: { 200: userSchema },
      },
    },
    async (request) => users.update(requestContext(request), request.params.id, request.body),
  );

  app.post<{ Params: { id: string } }>(
    "/api/v1/users/:id/password-reset",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["users"],
        summary: "Reset a password: a new one-time password; the user's sessions end",
        params: idParams,
        response: { 200: { type: "object", properties: { oneTimePassword: oneTimePasswordSchema } } },
      },
    },
    async (request) => users.resetPassword(requestContext(request), request.params.id),
  );
}
