import type { FastifyInstance } from "fastify";
import type { NotificationsRepository } from "../notifications/repository.js";
import { type AudienceCatalogue, presentChannel } from "./catalogue.js";

/** The declared audiences and the health of their channels (secrets never shown). */
export async function audienceRoutes(
  app: FastifyInstance,
  opts: { audiences: AudienceCatalogue; notifications: NotificationsRepository },
) {
  app.get(
    "/api/v1/audiences",
    {
      config: { access: ["admin", "operator", "viewer"] },
      schema: {
        tags: ["notifications"],
        summary: "Audiences, their language and channels, with each channel's delivery health",
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    key: { type: "string" },
                    language: { type: "string" },
                    channels: {
                      type: "array",
                      items: {
                        type: "object",
                        additionalProperties: true,
                        properties: {
                          key: { type: "string" },
                          kind: { type: "string" },
                          down: { type: "boolean" },
                          downSince: { type: ["string", "null"], format: "date-time" },
                          consecutiveFailures: { type: "integer" },
                          lastDeliveredAt: { type: ["string", "null"], format: "date-time" },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const health = await opts.notifications.channelHealth();
      return {
        items: opts.audiences.list().map((audience) => ({
          key: audience.key,
          language: audience.language,
          channels: audience.channels.map((channel) => {
            const h = health.find((row) => row.audience === audience.key && row.channel === channel.key);
            return {
              ...presentChannel(channel),
              down: Boolean(h?.down_since),
              downSince: h?.down_since?.toISOString() ?? null,
              consecutiveFailures: h?.consecutive_failures ?? 0,
              lastDeliveredAt: h?.last_delivered_at?.toISOString() ?? null,
            };
          }),
        })),
      };
    },
  );
}
