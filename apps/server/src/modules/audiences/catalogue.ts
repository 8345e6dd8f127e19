import type { AudienceConfig, ChannelConfig } from "./schema.js";

/** The declared audiences, looked up by key. */
export interface AudienceCatalogue {
  list(): AudienceConfig[];
  get(key: string): AudienceConfig | undefined;
  channel(audience: string, channel: string): ChannelConfig | undefined;
}

/** Builds the catalogue of audiences declared in the configuration. */
export function createAudienceCatalogue(audiences: AudienceConfig[]): AudienceCatalogue {
  const byKey = new Map(audiences.map((a) => [a.key, a]));
  return {
    list: () => audiences,
    get: (key) => byKey.get(key),
    channel: (audience, channel) => byKey.get(audience)?.channels.find((c) => c.key === channel),
  };
}

/** A channel as shown through the API: where it goes, never its secret. */
export function presentChannel(channel: ChannelConfig): Record<string, unknown> {
  if (channel.kind === "email") return { key: channel.key, kind: channel.kind, to: channel.to };
  if (channel.kind === "log") return { key: channel.key, kind: channel.kind };
  const url = new URL(channel.url);
  // incoming-webhook URLs carry their token in the path: show the host only
  return {
    key: channel.key,
    kind: channel.kind,
    target: `${url.protocol}//${url.host}/…`,
    signed: channel.kind === "webhook" ? Boolean(channel.secret) : undefined,
  };
}

/** The audiences with webhook secrets and incoming-webhook tokens hidden (for `vigie config`). */
export function maskedAudiences(audiences: AudienceConfig[]): unknown[] {
  return audiences.map((audience) => ({ ...audience, channels: audience.channels.map(presentChannel) }));
}
