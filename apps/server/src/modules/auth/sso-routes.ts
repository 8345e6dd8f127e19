import type { FastifyInstance } from "fastify";
import { requestContext } from "../audit/http.js";
import type { SsoSettings } from "./sso-settings.js";

const settingsSchema = {
  type: ["object", "null"],
  properties: {
    issuer: { type: "string" },
    clientId: { type: "string" },
    clientSecret: {
      type: "string",
      description: "Masked (********) when set; send the mask back to keep it",
    },
    redirectUri: { type: "string" },
    scopes: { type: "string" },
    roleClaim: { type: "string" },
    roleMapping: { type: "object", additionalProperties: { type: "string" } },
    label: { type: "string" },
    allowHttpIssuer: { type: "boolean" },
  },
} as const;

const viewSchema = {
  type: "object",
  properties: { source: { type: "string", enum: ["config", "database", "none"] }, settings: settingsSchema },
} as const;

/** Single sign-on settings, for admins. */
export async function ssoSettingsRoutes(app: FastifyInstance, { sso }: { sso: SsoSettings }) {
  app.get(
    "/api/v1/settings/sso",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["settings"],
        summary: "Single sign-on settings in force (client secret masked)",
        response: { 200: viewSchema },
      },
    },
    async () => sso.view(),
  );

  app.put<{ Body: { settings: Record<string, unknown> | null } }>(
    "/api/v1/settings/sso",
    {
      config: { access: ["admin"] },
      schema: {
        tags: ["settings"],
        summary: "Save single sign-on settings (null turns it off); a masked secret keeps the stored one",
        body: {
          type: "object",
          properties: { settings: { type: ["object", "null"], additionalProperties: true } },
          required: ["settings"],
          additionalProperties: false,
        },
        response: { 200: viewSchema },
      },
    },
    async (request) => sso.save(requestContext(request), request.body.settings),
  );
}
