import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/harness.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";
import { type Receiver, startReceiver } from "../alerts/test-support.js";
import { createAudienceCatalogue } from "../audiences/catalogue.js";
import { audiencesSchema } from "../audiences/schema.js";
import { createDeliverer } from "./deliver.js";
import type { Notice } from "./messages.js";
import { createNotificationsRepository } from "./repository.js";
import { createSender } from "./sender.js";

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  kind: "firing",
  alertId: null,
  ruleKey: "cco.down",
  ruleKind: "probe-down",
  severity: "page",
  journey: "cco-subscription",
  journeyName: { fr: "Souscription compte courant", en: "Current account subscription" },
  step: "identity",
  stepName: { fr: "Identité <KYC>", en: "Identity <KYC>" },
  since: "2026-03-02T09:42:00.000Z",
  at: "2026-03-02T09:43:00.000Z",
  resolvedAt: null,
  prospectsAffected: 14,
  facts: {},
  link: "https://vigie.example.org/alerts/7",
  ...overrides,
});

let testDb: { url: string; drop(): Promise<void> };
let database: DatabaseClient;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase({ url: testDb.url, poolMax: 4 });
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

/** A deliverer over the test database with a clock the test moves by hand. */
function deliveryKit(audiencesInput: unknown[], smtpPort = 25) {
  let clock = Date.parse("2026-03-02T09:43:00Z");
  const audiences = createAudienceCatalogue(audiencesSchema.parse(audiencesInput));
  const repository = createNotificationsRepository(database.db);
  const sender = createSender({
    timeoutMs: 5000,
    allowAddresses: ["127.0.0.1/32"],
    smtp: { host: "127.0.0.1", port: smtpPort, secure: false, from: "Vigie <vigie@bank.example>" },
  });
  const deliverer = createDeliverer({
    repository,
    audiences,
    sender,
    now: () => new Date(clock),
    options: {
      maxAttempts: 5,
      initialBackoffMs: 1000,
      maxBackoffMs: 4000,
      timeoutMs: 5000,
      pollIntervalMs: 1000,
      deadAfter: 1,
      timeZone: "Europe/Paris",
    },
  });
  return {
    repository,
    deliverer,
    advance: (ms: number) => {
      clock += ms;
    },
    setClock: (at: Date) => {
      clock = at.getTime();
    },
    enqueue: (audience: string, channel: string, kind: string, n: Notice = notice()) =>
      repository.enqueue(
        database.db,
        [{ alertId: null, notice: n, audience, channel, channelKind: kind }],
        new Date(clock),
      ),
    close: () => sender.close(),
  };
}

describe("e-mail delivery", () => {
  it("sends HTML and text in the audience's language to a real SMTP server, escaped", async () => {
    const messages: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          messages.push(Buffer.concat(chunks).toString("utf8"));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const kit = deliveryKit(
      [
        {
          key: "customer-service",
          language: "fr",
          channels: [{ kind: "email", to: ["service.client@bank.example"] }],
        },
      ],
      port,
    );
    try {
      await kit.enqueue("customer-service", "email-1", "email");
      await kit.deliverer.deliverDue();
      expect(messages).toHaveLength(1);
      const mail = await simpleParser(messages[0]!);
      expect(mail.subject).toBe(
        "Souscription compte courant indisponible à l'étape Identité <KYC> depuis 10:42 — 14 prospects bloqués",
      );
      expect(mail.text).toContain("Voir l'incident : https://vigie.example.org/alerts/7");
      expect(mail.html).toContain("Identité &lt;KYC&gt;");
      expect(mail.html).not.toContain("<KYC>");
      expect((mail.to as { text: string }).text).toBe("service.client@bank.example");
      const log = await kit.repository.list({ audience: "customer-service", limit: 10, offset: 0 });
      expect(log.items[0]).toMatchObject({ status: "delivered", attempts: 1 });
    } finally {
      await kit.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe("webhook delivery", () => {
  let receiver: Receiver;
  afterAll(() => receiver?.close());

  it("retries a receiver that fails (503, 429) until it recovers, with a capped backoff", async () => {
    receiver = await startReceiver([503, 429, 503]);
    const kit = deliveryKit([
      { key: "support", channels: [{ kind: "webhook", key: "hook", url: receiver.url }] },
    ]);
    try {
      await kit.enqueue("support", "hook", "webhook");
      for (let i = 0; i < 4; i += 1) {
        await kit.deliverer.deliverDue();
        const [row] = (await kit.repository.list({ audience: "support", limit: 1, offset: 0 })).items;
        if (row!.status === "delivered") break;
        kit.setClock(row!.nextAttemptAt); // the retry becomes due, no waiting
      }
      expect(receiver.attempts()).toBe(4);
      expect(receiver.received).toHaveLength(1);
      const [row] = (await kit.repository.list({ audience: "support", limit: 1, offset: 0 })).items;
      const detail = await kit.repository.get(row!.id);
      expect(detail!.attemptLog.map((a) => [a.outcome, a.http_status])).toEqual([
        ["retry", 503],
        ["retry", 429],
        ["retry", 503],
        ["delivered", 200],
      ]);
      // 1 s, 2 s, then 4 s: doubled each time, never beyond the 4 s cap
      const gaps = detail!.attemptLog
        .slice(1)
        .map((a, i) => a.started_at.getTime() - detail!.attemptLog[i]!.finished_at.getTime());
      expect(gaps).toEqual([1000, 2000, 4000]);
    } finally {
      await kit.close();
    }
  });

  it("does not retry a 4xx other than 408 and 429, and reports the dead channel through the audience's other channel", async () => {
    const broken = await startReceiver([404]);
    const backup = await startReceiver();
    const kit = deliveryKit([
      {
        key: "sales",
        language: "en",
        channels: [
          { kind: "slack", key: "slack", url: `${broken.url}/services/T0/B0/XXXX` },
          { kind: "webhook", key: "backup", url: backup.url },
        ],
      },
    ]);
    try {
      await kit.enqueue("sales", "slack", "slack");
      await kit.deliverer.deliverDue();
      kit.advance(60_000);
      await kit.deliverer.deliverDue();
      expect(broken.attempts()).toBe(1);
      const failed = (await kit.repository.list({ audience: "sales", status: "failed", limit: 5, offset: 0 }))
        .items;
      expect(failed.map((n) => [n.channel, n.attempts, n.lastError])).toEqual([
        ["slack", 1, 'HTTP 404 {"error":"nope"}'],
      ]);
      expect(backup.received).toHaveLength(1);
      const report = backup.received[0]!.json as { notice: Notice; message: { title: string } };
      expect(report.notice.kind).toBe("channel-down");
      expect(report.message.title).toMatch(
        /^Channel "slack" \(slack\) of audience "sales" no longer receives alerts since/,
      );
      const health = await kit.repository.channelHealth();
      expect(health.find((h) => h.channel === "slack")?.down_since).not.toBeNull();
    } finally {
      await kit.close();
      await broken.close();
      await backup.close();
    }
  });

  it("refuses to call an internal address that is not allowed, without retrying", async () => {
    const kit = deliveryKit([
      { key: "ops", channels: [{ kind: "webhook", key: "meta", url: "http://169.254.169.254/latest" }] },
    ]);
    try {
      await kit.enqueue("ops", "meta", "webhook");
      await kit.deliverer.deliverDue();
      const [row] = (await kit.repository.list({ audience: "ops", limit: 1, offset: 0 })).items;
      expect(row!.status).toBe("failed");
      expect(row!.lastError).toMatch(/link-local/);
    } finally {
      await kit.close();
    }
  });
});
