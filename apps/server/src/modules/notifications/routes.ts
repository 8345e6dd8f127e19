import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import type { NotificationRow, NotificationsRepository } from "./repository.js";

const notificationSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    alertId: { type: ["integer", "null"] },
    notice: {
      type: "string",
      enum: ["firing", "resolved", "repeat", "escalation", "flapping", "channel-down"],
    },
    audience: { type: "string" },
    channel: { type: "string" },
    channelKind: { type: "string" },
    status: { type: "string", enum: ["pending", "sending", "delivered", "failed"] },
    attempts: { type: "integer" },
    nextAttemptAt: { type: "string", format: "date-time" },
    lastError: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    deliveredAt: { type: ["string", "null"], format: "date-time" },
    message: {
      type: "object",
      additionalProperties: true,
      description: "The notice as decided (rendered per channel)",
    },
  },
} as const;

const present = (n: NotificationRow) => ({
  ...n,
  nextAttemptAt: n.nextAttemptAt.toISOString(),
  createdAt: n.createdAt.toISOString(),
  deliveredAt: n.deliveredAt?.toISOString() ?? null,
});

/** The delivery log: every notification, its status and attempts. */
export async function notificationRoutes(
  app: FastifyInstance,
  opts: { notifications: NotificationsRepository },
) {
  app.get<{
    Querystring: { alertId?: number; status?: string; audience?: string; limit: number; offset: number };
  }>(
    "/api/v1/notifications",
    {
      config: { access: ["admin", "operator", "viewer"] },
      schema: {
        tags: ["notifications"],
        summary: "Delivery log: notifications, newest first",
        querystring: {
          type: "object",
          properties: {
            alertId: { type: "integer", minimum: 1 },
            status: { type: "string", enum: ["pending", "sending", "delivered", "failed"] },
            audience: { type: "string" },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
            offset: { type: "integer", minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: notificationSchema }, total: { type: "integer" } },
          },
        },
      },
    },
    async (request) => {
      const page = await opts.notifications.list(request.query);
      return { items: page.items.map(present), total: page.total };
    },
  );

  app.get<{ Params: { id: number } }>(
    "/api/v1/notifications/:id",
    {
      config: { access: ["admin", "operator", "viewer"] },
      schema: {
        tags: ["notifications"],
        summary: "One notification with every delivery attempt",
        params: { type: "object", properties: { id: { type: "integer", minimum: 1 } }, required: ["id"] },
        response: {
          200: {
            type: "object",
            properties: {
              ...notificationSchema.properties,
              attemptLog: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    attempt: { type: "integer" },
                    started_at: { type: "string", format: "date-time" },
                    finished_at: { type: "string", format: "date-time" },
                    outcome: { type: "string" },
                    http_status: { type: ["integer", "null"] },
                    error: { type: ["string", "null"] },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const found = await opts.notifications.get(request.params.id);
      if (!found) throw new NotFoundError(`No notification ${request.params.id}.`);
      return { ...present(found), attemptLog: found.attemptLog };
    },
  );
}
