import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";
import { buildApp } from "../../app.js";
import { openDatabase } from "../../db/client.js";
import { signWebhook } from "../notifications/channels.js";
import { type Receiver, startReceiver } from "./test-support.js";

const JOURNEY = "cco-subscription";
const SECRET = "a-webhook-secret-0123456789";

/** One probe run: landing ok, then identity ok (and the end reached) or failing. */
function probeRun(failed: boolean, at = new Date()): Record<string, unknown>[] {
  const runId = `probe-${randomBytes(4).toString("hex")}`;
  const time = at.toISOString();
  const base = { journey: JOURNEY, runId, synthetic: true };
  return failed
    ? [
        stepEvent({ time, source: "/probes" }, { ...base, step: "landing", outcome: "ok" }),
        stepEvent(
          { time, source: "/probes" },
          { ...base, step: "identity", outcome: "error", error: { code: "KYC_TIMEOUT", message: "timeout" } },
        ),
      ]
    : [
        stepEvent({ time, source: "/probes" }, { ...base, step: "landing", outcome: "ok" }),
        stepEvent({ time, source: "/probes" }, { ...base, step: "account-opened", outcome: "ok" }),
      ];
}

/** A real prospect failing at identity. */
function prospectFailure(): Record<string, unknown>[] {
  const runId = `prospect-${randomBytes(4).toString("hex")}`;
  return [
    stepEvent({}, { journey: JOURNEY, runId, step: "landing", outcome: "ok" }),
    stepEvent(
      {},
      { journey: JOURNEY, runId, step: "identity", outcome: "error", error: { code: "KYC", message: "x" } },
    ),
  ];
}

let vigie: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  vigie = await startTestApp(
    testConfig({
      alerting: {
        defaultRules: false,
        publicUrl: "https://vigie.example.org",
        delivery: { allowAddresses: ["127.0.0.1/32"] },
        rules: [
          {
            key: "cco.down",
            kind: "probe-down",
            journey: JOURNEY,
            failuresToOpen: 3,
            successesToClose: 2,
            keepFiringFor: 0,
          },
          {
            key: "cco.errors",
            kind: "error-rate",
            journey: JOURNEY,
            minRuns: 3,
            openAbove: 0.2,
            window: "10m",
          },
        ],
      },
      audiences: [
        {
          key: "support",
          language: "fr",
          channels: [{ kind: "webhook", key: "ops-hook", url: receiver.url, secret: SECRET }],
        },
      ],
    }),
  );
});

afterAll(async () => {
  await vigie?.close();
  await receiver?.close();
});

describe("a journey going down and coming back, as probes see it", () => {
  it("does not fire on two failed probe runs out of the three required", async () => {
    await vigie.events.ingest([...probeRun(true), ...probeRun(true)]);
    await vigie.alerting.evaluator.evaluateAll();
    const alerts = await vigie.app.inject({
      url: "/api/v1/alerts?status=firing",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(alerts.json().items).toEqual([]);
  });

  it("sends one signed webhook, in French, as soon as the decisive probe run is stored", async () => {
    await vigie.events.ingest(prospectFailure());
    await vigie.events.ingest(probeRun(true));
    await receiver.waitFor(1);
    const [hook] = receiver.received;
    const timestamp = Number(hook!.headers["x-vigie-timestamp"]);
    expect(hook!.headers["x-vigie-signature"]).toBe(signWebhook(SECRET, timestamp, hook!.body));
    const message = hook!.json.message as { title: string };
    expect(message.title).toMatch(
      /^Ouverture de compte courant indisponible à l'étape identity depuis \d\d:\d\d — 1 prospect bloqué$/,
    );
    expect((hook!.json.notice as { kind: string }).kind).toBe("firing");
    expect((hook!.json.notice as { link: string }).link).toMatch(
      /^https:\/\/vigie\.example\.org\/alerts\/\d+$/,
    );
  });

  it("holds the error-rate alert of a journey that is down (inhibition)", async () => {
    await vigie.events.ingest([...prospectFailure(), ...prospectFailure(), ...prospectFailure()]);
    await vigie.alerting.evaluator.evaluateAll();
    const response = await vigie.app.inject({
      url: `/api/v1/alerts?journey=${JOURNEY}`,
      headers: await authHeaders(vigie, "viewer"),
    });
    const errors = response.json().items.find((a: { rule: string }) => a.rule === "cco.errors");
    expect(errors.status).toBe("firing");
    expect(errors.heldBy).toBe("inhibited by cco.down");
    expect(errors.notified).toBeNull();
    expect(receiver.received).toHaveLength(1);
  });

  it("sends nothing twice when another process takes over during the open alert", async () => {
    const database = openDatabase({ url: vigie.url, poolMax: 4 });
    const config = testConfig({
      alerting: {
        defaultRules: false,
        delivery: { allowAddresses: ["127.0.0.1/32"] },
        rules: [
          { key: "cco.down", kind: "probe-down", journey: JOURNEY, failuresToOpen: 3, successesToClose: 2 },
        ],
      },
      audiences: [
        {
          key: "support",
          channels: [{ kind: "webhook", key: "ops-hook", url: receiver.url, secret: SECRET }],
        },
      ],
    });
    const restarted = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
    try {
      await restarted.alerting.evaluator.evaluateAll();
      await restarted.alerting.deliverer.deliverDue();
      expect(receiver.attempts()).toBe(1);
    } finally {
      await restarted.app.close();
      await database.close();
    }
  });

  it("sends one recovery with the duration and the prospects affected after two successful runs", async () => {
    await vigie.events.ingest([...probeRun(false), ...probeRun(false)]);
    await receiver.waitFor(2);
    const recovery = receiver.received[1]!;
    expect((recovery.json.notice as { kind: string }).kind).toBe("resolved");
    expect((recovery.json.message as { title: string }).title).toMatch(
      /^Ouverture de compte courant : retour à la normale à \d\d:\d\d, après 1 min de perturbation — 4 prospects touchés$/,
    );
  });

  it("shows both messages in the delivery log", async () => {
    await vigie.alerting.deliverer.deliverDue(); // the pass that sent the recovery has settled it
    const response = await vigie.app.inject({
      url: "/api/v1/notifications",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as {
      notice: string;
      status: string;
      channel: string;
      attempts: number;
    }[];
    expect(items.map((n) => [n.notice, n.status, n.channel, n.attempts])).toEqual([
      ["resolved", "delivered", "ops-hook", 1],
      ["firing", "delivered", "ops-hook", 1],
    ]);
  });
});
