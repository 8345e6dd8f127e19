import type { FastifyInstance } from "fastify";
import type { Role } from "../../access.js";
import { requestContext } from "../audit/http.js";
import { idParams, roleSchema } from "../users/schemas.js";
import type { KeysService } from "./service.js";

const keySchema = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    kind: { type: "string", enum: ["ingest", "read"] },
    name: { type: "string" },
    source: { type: ["string", "null"], description: "Ingest keys: the only CloudEvents source allowed" },
    role: { type: ["string", "null"], description: "Read keys: the role the key reads as" },
    prefix: { type: "string", description: "First characters of the key, to recognise it" },
    createdAt: { type: "string", format: "date-time" },
    lastUsedAt: { type: ["string", "null"], format: "date-time" },
    revokedAt: { type: ["string", "null"], format: "date-time" },
  },
  required: ["id", "kind", "name", "prefix", "createdAt"],
} as const;

/** API key management, for admins. */
export async function keyRoutes(app: FastifyInstance, { keys }: { keys: KeysService }) {
  app.get(
    "/api/v1/keys",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["keys"],
        summary: "List API keys (never their secret)",
        response: { 200: { type: "object", properties: { items: { type: "array", items: keySchema } } } },
      },
    },
    async () => ({ items: await keys.list() }),
  );

  app.post<{ Body: { kind: "ingest" | "read"; name: string; source?: string; role?: Role } }>(
    "/api/v1/keys",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["keys"],
        summary: "Create an ingest key (POST /api/v1/events only) or a read key (GET only, as a role)",
        description: "The answer holds the key's secret; it is shown this once and stored only hashed.",
        body: {
          type: "object",
          properties: {
            kind: { type: "string", enum: ["ingest", "read"] },
            name: { type: "string", minLength: 1, maxLength: 100 },
            source: { type: "string", maxLength: 500 },
            role: roleSchema,
          },
          required: ["kind", "name"],
          additionalProperties: false,
        },
        response: {
          201: {
            type: "object",
            properties: { key: keySchema, secret: { type: "string", description: "Shown once" } },
          },
        },
      },
    },
    async (request, reply) => reply.code(201).send(await keys.create(requestContext(request), request.body)),
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/keys/:id",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["keys"],
        summary: "Revoke a key: refused from the next request on",
        params: idParams,
        response: { 200: keySchema },
      },
    },
    async (request) => keys.revoke(requestContext(request), request.params.id),
  );
}
