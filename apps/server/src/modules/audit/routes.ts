import type { FastifyInstance } from "fastify";
import type { AuditService } from "./service.js";

const recordSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    at: { type: "string", format: "date-time" },
    action: { type: "string" },
    outcome: { type: "string", enum: ["success", "failure"] },
    actor: {
      type: "object",
      properties: { kind: { type: "string" }, id: { type: ["string", "null"] } },
    },
    target: {
      type: ["object", "null"],
      properties: { kind: { type: "string" }, id: { type: ["string", "null"] } },
    },
    address: { type: ["string", "null"] },
    details: { type: "object", additionalProperties: true },
  },
} as const;

/** `GET /api/v1/audit`: the audit log, newest first, for admins. */
export async function auditRoutes(app: FastifyInstance, { audit }: { audit: AuditService }) {
  app.get<{ Querystring: { limit?: number; before?: number; action?: string } }>(
    "/api/v1/audit",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["audit"],
        summary: "Audit log, newest first (sign-ins, account, role, key and config changes)",
        querystring: {
          type: "object",
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
            before: { type: "integer", description: "Only entries with a smaller id (next page)" },
            action: { type: "string", maxLength: 100, description: "Action prefix, e.g. session." },
          },
          additionalProperties: false,
        },
        response: { 200: { type: "object", properties: { items: { type: "array", items: recordSchema } } } },
      },
    },
    async (request) => ({
      items: await audit.list({
        limit: request.query.limit,
        beforeId: request.query.before,
        action: request.query.action,
      }),
    }),
  );
}
