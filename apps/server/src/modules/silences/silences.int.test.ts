import { randomBytes } from "node:crypto";
import { wallClockAt } from "@vigie/zoned-time";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";
import { type Receiver, startReceiver } from "../alerts/test-support.js";

const JOURNEY = "cco-subscription";

function probeRun(failed: boolean): Record<string, unknown>[] {
  const base = { journey: JOURNEY, runId: `probe-${randomBytes(4).toString("hex")}`, synthetic: true };
  return [
    stepEvent({ source: "/probes" }, { ...base, step: "landing", outcome: "ok" }),
    failed
      ? stepEvent({ source: "/probes" }, { ...base, step: "identity", outcome: "error" })
      : stepEvent({ source: "/probes" }, { ...base, step: "account-opened", outcome: "ok" }),
  ];
}

/** Local wall-clock text (Paris) of an instant, `YYYY-MM-DDTHH:mm`. */
function local(instant: number): string {
  const w = wallClockAt(instant, "Europe/Paris");
  const p = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

let vigie: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  vigie = await startTestApp(
    testConfig({
      alerting: {
        defaultRules: false,
        delivery: { allowAddresses: ["127.0.0.1/32"] },
        rules: [{ key: "cco.down", kind: "probe-down", journey: JOURNEY, keepFiringFor: 0 }],
      },
      audiences: [{ key: "support", channels: [{ kind: "webhook", url: receiver.url }] }],
    }),
  );
});

afterAll(async () => {
  await vigie?.close();
  await receiver?.close();
});

describe("silences and maintenance windows", () => {
  let windowId: number;

  it("lets an operator, not a viewer, create a recurring maintenance window", async () => {
    const body = {
      kind: "maintenance",
      journey: JOURNEY,
      // every day, from an hour ago to an hour from now (local time), first a week ago
      startsAt: local(Date.now() - 7 * 86_400_000 - 3_600_000),
      endsAt: local(Date.now() - 7 * 86_400_000 + 3_600_000),
      timeZone: "Europe/Paris",
      rrule: "FREQ=DAILY",
      comment: "nightly KYC provider upgrade",
    };
    const refused = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: await authHeaders(vigie, "viewer"),
      payload: body,
    });
    expect(refused.statusCode).toBe(403);
    const created = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: await authHeaders(vigie, "operator"),
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    windowId = created.json().id;
    const list = await vigie.app.inject({
      url: "/api/v1/silences",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(list.json().items).toMatchObject([{ id: windowId, active: true, rrule: "FREQ=DAILY" }]);
  });

  it("refuses an unreadable RRULE with a problem", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: await authHeaders(vigie, "operator"),
      payload: {
        kind: "silence",
        startsAt: "2026-01-01T00:00",
        endsAt: "2026-01-01T01:00",
        rrule: "FREQ=OFTEN",
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(response.json().detail).toMatch(/RRULE cannot be read/);
  });

  it("keeps evaluating during the window but holds the notification", async () => {
    await vigie.events.ingest([...probeRun(true), ...probeRun(true), ...probeRun(true)]);
    await vigie.alerting.evaluator.evaluateAll();
    const alerts = await vigie.app.inject({
      url: "/api/v1/alerts",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(alerts.json().items[0]).toMatchObject({
      status: "firing",
      heldBy: `maintenance ${windowId}`,
      notified: null,
    });
    expect(receiver.attempts()).toBe(0);
  });

  it("announces at the end of the window a state that differs from before it", async () => {
    const ended = await vigie.app.inject({
      method: "DELETE",
      url: `/api/v1/silences/${windowId}`,
      headers: await authHeaders(vigie, "operator"),
    });
    expect(ended.statusCode).toBe(204);
    vigie.alerting.silences.refresh();
    await vigie.alerting.evaluator.evaluateAll();
    await receiver.waitFor(1);
    expect((receiver.received[0]!.json.notice as { kind: string }).kind).toBe("firing");
  });
});
