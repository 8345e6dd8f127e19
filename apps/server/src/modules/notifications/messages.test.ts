import { describe, expect, it } from "vitest";
import { formatDelivery } from "./channels.js";
import { humanDuration, type Notice, renderNotice } from "./messages.js";
import { fillTemplate } from "./template.js";

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  kind: "firing",
  alertId: 7,
  ruleKey: "cco.down",
  ruleKind: "probe-down",
  severity: "page",
  journey: "cco-subscription",
  journeyName: { fr: "Souscription compte courant", en: "Current account subscription" },
  step: "identity",
  stepName: { fr: "Identité", en: "Identity" },
  since: "2026-03-02T09:42:00.000Z",
  at: "2026-03-02T09:43:00.000Z",
  resolvedAt: null,
  prospectsAffected: 14,
  facts: {},
  link: "https://vigie.example.org/alerts/7",
  ...overrides,
});

describe("plain-language messages", () => {
  it("says in French which journey is down, at which step, since when and for how many prospects", () => {
    const m = renderNotice(notice(), "fr", "Europe/Paris");
    expect(m.title).toBe(
      "Souscription compte courant indisponible à l'étape Identité depuis 10:42 — 14 prospects bloqués",
    );
  });

  it("says the same in English", () => {
    const m = renderNotice(notice(), "en", "Europe/Paris");
    expect(m.title).toBe(
      "Current account subscription unavailable at the Identity step since 10:42 — 14 prospects blocked",
    );
  });

  it("gives the duration and the prospects affected on recovery", () => {
    const m = renderNotice(
      notice({ kind: "resolved", resolvedAt: "2026-03-02T10:20:00.000Z", at: "2026-03-02T10:20:00.000Z" }),
      "fr",
      "Europe/Paris",
    );
    expect(m.title).toBe(
      "Souscription compte courant : retour à la normale à 11:20, après 38 min de perturbation — 14 prospects touchés",
    );
  });

  it("tells an ingestion problem from fewer prospects", () => {
    const m = renderNotice(
      notice({ ruleKind: "ingestion-stalled", journey: null, journeyName: null, step: null, stepName: null }),
      "en",
      "Europe/Paris",
    );
    expect(m.title).toBe(
      "No event received since 10:42 from any source: most likely a collection problem, not fewer prospects",
    );
  });

  it("writes durations for people", () => {
    expect(humanDuration(38 * 60_000, "fr")).toBe("38 min");
    expect(humanDuration(125 * 60_000, "en")).toBe("2 h 05 min");
    expect(humanDuration(3 * 86_400_000 + 4 * 3_600_000, "fr")).toBe("3 j 4 h");
  });
});

describe("templates stay inert", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile text is meant to look like code
  const hostile = "<img src=x onerror=alert(1)>{{link}}${process.exit(1)}{{constructor}}";

  it("fills placeholders in one pass, so a value that looks like a placeholder is printed as is", () => {
    expect(fillTemplate("A {{journey}} B", { journey: "{{link}}", link: "L" }, "text")).toBe("A {{link}} B");
  });

  it("gives nothing for a name that is not an own value (no prototype access)", () => {
    // {{__proto__}} is not even a placeholder name: it stays as text
    expect(fillTemplate("[{{constructor}}][{{__proto__}}][{{toString}}]", {}, "text")).toBe(
      "[][{{__proto__}}][]",
    );
  });

  it("escapes hostile data from a receiver's error in the HTML e-mail", () => {
    const channelDown = notice({
      kind: "channel-down",
      ruleKind: null,
      facts: { audience: "support", channel: "hook", channelKind: "webhook", error: hostile },
    });
    const m = renderNotice(channelDown, "en", "Europe/Paris");
    expect(m.html).not.toContain("<img");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: printed as is, never run
    expect(m.html).toContain("&lt;img src=x onerror=alert(1)&gt;{{link}}${process.exit(1)}{{constructor}}");
  });

  it("escapes an audience's own template values for HTML and Slack, and keeps the template's own markup", () => {
    const audience = {
      key: "support",
      language: "fr" as const,
      channels: [{ kind: "slack" as const, key: "slack-1", url: "https://hooks.slack.com/services/T/B/X" }],
      templates: { firing: "<b>{{journey}}</b> KO depuis {{since}}" },
    };
    const evil = notice({ journeyName: { fr: "<script>alert(1)</script>", en: "x" } });
    const slack = formatDelivery({
      notificationId: 1,
      audience,
      channel: audience.channels[0]!,
      notice: evil,
      timeZone: "Europe/Paris",
      nowSeconds: 0,
    });
    expect(slack.transport === "http" && JSON.parse(slack.body).text).toBe(
      "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> KO depuis 10:42\n<https://vigie.example.org/alerts/7|Voir l'incident>",
    );
    const html = renderNotice(evil, "fr", "Europe/Paris", audience.templates).html;
    expect(html).toContain("<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> KO depuis 10:42");
  });
});

describe("channel formats", () => {
  const audience = (channel: Record<string, unknown>) => ({
    key: "support",
    language: "en" as const,
    channels: [{ key: "c", ...channel }] as never,
    templates: {},
  });

  it("sends an Alertmanager webhook payload (version 4) that existing receivers understand", () => {
    const a = audience({ kind: "alertmanager", url: "https://am.example.org/hook" });
    const out = formatDelivery({
      notificationId: 3,
      audience: a,
      channel: a.channels[0]!,
      notice: notice(),
      timeZone: "Europe/Paris",
      nowSeconds: 0,
    });
    const body = out.transport === "http" ? JSON.parse(out.body) : null;
    expect(body).toMatchObject({
      version: "4",
      status: "firing",
      receiver: "support",
      groupLabels: { journey: "cco-subscription" },
      commonLabels: {
        alertname: "cco.down",
        severity: "page",
        journey: "cco-subscription",
        step: "identity",
      },
      externalURL: "https://vigie.example.org",
    });
    expect(body.alerts[0]).toMatchObject({ status: "firing", startsAt: "2026-03-02T09:42:00.000Z" });
  });

  it("sends a Teams adaptive card and a Mattermost markdown text with the link", () => {
    const teams = audience({ kind: "teams", url: "https://example.webhook.office.com/x" });
    const t = formatDelivery({
      notificationId: 1,
      audience: teams,
      channel: teams.channels[0]!,
      notice: notice(),
      timeZone: "UTC",
      nowSeconds: 0,
    });
    const card = t.transport === "http" ? JSON.parse(t.body) : null;
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.actions[0].url).toBe("https://vigie.example.org/alerts/7");
    const mm = audience({ kind: "mattermost", url: "https://mm.example.org/hooks/x" });
    const m = formatDelivery({
      notificationId: 1,
      audience: mm,
      channel: mm.channels[0]!,
      notice: notice(),
      timeZone: "UTC",
      nowSeconds: 0,
    });
    expect(m.transport === "http" && JSON.parse(m.body).text).toMatch(
      /\[See the incident\]\(https:\/\/vigie\.example\.org\/alerts\/7\)$/,
    );
  });
});
