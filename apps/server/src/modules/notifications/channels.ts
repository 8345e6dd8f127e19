import { createHmac } from "node:crypto";
import type { AudienceConfig, ChannelConfig } from "../audiences/schema.js";
import { type Language, type Notice, renderNotice } from "./messages.js";

/**
 * One formatter per channel kind: what goes over the wire for a notice. Adding a kind is adding a
 * case here (and to the audience schema); sending is the same for every HTTP kind.
 */

/** What the deliverer sends: an HTTP POST or an e-mail. */
export type Outgoing =
  | { transport: "http"; url: string; headers: Record<string, string>; body: string }
  | { transport: "log"; title: string; fields: Record<string, unknown> }
  | {
      transport: "email";
      to: string[];
      subject: string;
      text: string;
      html: string;
      headers: Record<string, string>;
    };

/** Context of one notification row. */
export interface Delivery {
  notificationId: number;
  audience: AudienceConfig;
  channel: ChannelConfig;
  notice: Notice;
  timeZone: string;
  /** Seconds since the epoch, for webhook signatures (injected clock). */
  nowSeconds: number;
}

const COLORS = { page: "#d93025", ticket: "#f29900", resolved: "#188038" };

/** `sha256=<hex>` of `<timestamp>.<body>`, as in the `X-Vigie-Signature` header. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

function alertmanagerPayload(d: Delivery, title: string): unknown {
  const { notice } = d;
  const status = notice.kind === "resolved" ? "resolved" : "firing";
  const labels: Record<string, string> = {
    alertname: notice.ruleKey ?? notice.kind,
    severity: notice.severity,
    ...(notice.journey ? { journey: notice.journey } : {}),
    ...(notice.step ? { step: notice.step } : {}),
    ...(notice.ruleKind ? { kind: notice.ruleKind } : {}),
  };
  const annotations = {
    summary: title,
    description: title,
    ...(notice.kind !== "firing" ? { notice: notice.kind } : {}),
  };
  const groupLabels = notice.journey ? { journey: notice.journey } : { alertname: labels.alertname! };
  return {
    version: "4",
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`,
    truncatedAlerts: 0,
    status,
    receiver: d.audience.key,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: new URL(notice.link).origin,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: notice.since ?? notice.at,
        endsAt: notice.resolvedAt ?? "0001-01-01T00:00:00Z",
        generatorURL: notice.link,
        fingerprint: String(notice.alertId ?? d.notificationId).padStart(16, "0"),
      },
    ],
  };
}

/** Builds what to send for one notification on its channel. */
export function formatDelivery(d: Delivery): Outgoing {
  const { channel, audience, notice } = d;
  const language: Language = audience.language;
  const color = notice.kind === "resolved" ? COLORS.resolved : COLORS[notice.severity];
  const idempotency = { "idempotency-key": `vigie-notification-${d.notificationId}` };
  const json = (url: string, payload: unknown, extra: Record<string, string> = {}): Outgoing => ({
    transport: "http",
    url,
    headers: { "content-type": "application/json", "user-agent": "Vigie", ...idempotency, ...extra },
    body: JSON.stringify(payload),
  });
  switch (channel.kind) {
    case "email": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "text");
      return {
        transport: "email",
        to: channel.to,
        subject: m.title,
        text: m.text,
        html: m.html,
        headers: { "X-Vigie-Notification": String(d.notificationId) },
      };
    }
    case "webhook": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "text");
      const body = JSON.stringify({
        version: "1",
        notificationId: d.notificationId,
        audience: audience.key,
        language,
        notice,
        message: { title: m.title, text: m.text },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": "Vigie",
        ...idempotency,
        "x-vigie-timestamp": String(d.nowSeconds),
      };
      if (channel.secret) headers["x-vigie-signature"] = signWebhook(channel.secret, d.nowSeconds, body);
      return { transport: "http", url: channel.url, headers, body };
    }
    case "slack": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "slack");
      const text = `${m.title}\n<${notice.link}|${m.linkLabel}>`;
      return json(channel.url, { text, attachments: [{ color, text: "" }] });
    }
    case "mattermost": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "markdown");
      return json(channel.url, {
        username: "Vigie",
        text: `${m.title}\n[${m.linkLabel}](${notice.link})`,
        props: { card: "" },
      });
    }
    case "teams": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "text");
      // Adaptive Card for a Teams incoming webhook (Workflows); TextBlocks are not markdown-rendered
      return json(channel.url, {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            contentUrl: null,
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              body: [
                {
                  type: "TextBlock",
                  text: m.title,
                  wrap: true,
                  weight: "Bolder",
                  color: notice.kind === "resolved" ? "Good" : "Attention",
                },
              ],
              actions: [{ type: "Action.OpenUrl", title: m.linkLabel, url: notice.link }],
            },
          },
        ],
      });
    }
    case "log": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "text");
      return {
        transport: "log",
        title: m.title,
        fields: {
          notification: d.notificationId,
          audience: audience.key,
          notice: notice.kind,
          link: notice.link,
        },
      };
    }
    case "alertmanager": {
      const m = renderNotice(notice, language, d.timeZone, audience.templates, "text");
      return json(channel.url, alertmanagerPayload(d, m.title));
    }
  }
}
