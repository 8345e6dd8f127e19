import { z } from "zod";

/**
 * Audiences (support, customer service, sales…) and the channels that reach them, under
 * `audiences` in the configuration file.
 */

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")
  .max(100);

const webhookBase = {
  key: key.optional(),
  url: z.string().url(),
};

/** One way of reaching an audience. */
export const channelSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("email"),
    key: key.optional(),
    to: z.array(z.string().email()).min(1),
  }),
  z.strictObject({
    ...webhookBase,
    kind: z.literal("webhook"),
    /** Shared secret: the body is signed with HMAC-SHA256 in `X-Vigie-Signature` [unsigned]. */
    secret: z.string().min(16, "a webhook secret needs at least 16 characters").optional(),
  }),
  z.strictObject({ ...webhookBase, kind: z.literal("slack") }),
  z.strictObject({ ...webhookBase, kind: z.literal("teams") }),
  z.strictObject({ ...webhookBase, kind: z.literal("mattermost") }),
  z.strictObject({ ...webhookBase, kind: z.literal("alertmanager") }),
  /** The server's own log (a demo or a first installation with no receiver yet); always delivered. */
  z.strictObject({ kind: z.literal("log"), key: key.optional() }),
]);

/** Message templates an audience may override; `{{name}}` placeholders only (no code). */
const templatesSchema = z
  .strictObject({
    firing: z.string().max(2000).optional(),
    resolved: z.string().max(2000).optional(),
  })
  .prefault({});

export const audienceSchema = z
  .strictObject({
    key,
    name: z.strictObject({ fr: z.string().min(1), en: z.string().min(1) }).optional(),
    /** Language of the messages this audience receives [fr]. */
    language: z.enum(["fr", "en"]).default("fr"),
    channels: z.array(channelSchema).default([]),
    templates: templatesSchema,
  })
  .transform((audience) => ({
    ...audience,
    // a channel's key names it in the delivery log; default: kind-position
    channels: audience.channels.map((channel, index) => ({
      ...channel,
      key: channel.key ?? `${channel.kind}-${index + 1}`,
    })),
  }));

export const audiencesSchema = z.array(audienceSchema).default([]);

export type AudienceConfig = z.infer<typeof audienceSchema>;
export type ChannelConfig = AudienceConfig["channels"][number];
