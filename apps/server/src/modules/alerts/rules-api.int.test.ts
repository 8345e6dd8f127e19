import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";

const JOURNEY = "cco-subscription";
let vigie: TestApp;

beforeAll(async () => {
  vigie = await startTestApp(
    testConfig({
      alerting: {
        defaultRules: false,
        rules: [{ key: "cco.down", kind: "probe-down", journey: JOURNEY, failuresToOpen: 1 }],
      },
      audiences: [{ key: "support", channels: [{ kind: "log" }] }],
    }),
  );
});

afterAll(() => vigie?.close());

describe("alert rules through the API", () => {
  it("lists the rules of the configuration file with their origin", async () => {
    const response = await vigie.app.inject({
      url: "/api/v1/alert-rules",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.json().items).toMatchObject([
      { rule: { key: "cco.down", kind: "probe-down" }, origin: "config" },
    ]);
  });

  it("creates a burn-rate rule and warns that its objective makes the page impossible", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/alert-rules",
      headers: await authHeaders(vigie, "operator"),
      payload: { key: "cco.burn", kind: "burn-rate", journey: JOURNEY, objective: 0.9, period: "30d" },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().origin).toBe("api");
    expect(response.json().warnings).toEqual([expect.stringMatching(/can never fire/)]);
  });

  it("refuses a rule on an unknown journey with a problem naming the field", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/alert-rules",
      headers: await authHeaders(vigie, "operator"),
      payload: { key: "x.errors", kind: "error-rate", journey: "no-such-journey" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: "journey" })]);
  });

  it("does not let a viewer change rules", async () => {
    const response = await vigie.app.inject({
      method: "DELETE",
      url: "/api/v1/alert-rules/cco.burn",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(403);
  });

  it("lets an operator acknowledge a firing alert, which a log channel reported as delivered", async () => {
    const runId = `probe-${randomBytes(4).toString("hex")}`;
    await vigie.events.ingest([
      stepEvent(
        { source: "/probes" },
        { journey: JOURNEY, runId, step: "identity", outcome: "error", synthetic: true },
      ),
    ]);
    await vigie.alerting.evaluator.evaluateAll();
    await vigie.alerting.deliverer.deliverDue();
    const list = await vigie.app.inject({
      url: "/api/v1/alerts?status=firing",
      headers: await authHeaders(vigie, "viewer"),
    });
    const [alert] = list.json().items;
    expect(alert).toMatchObject({ rule: "cco.down", notified: "firing" });
    const ack = await vigie.app.inject({
      method: "POST",
      url: `/api/v1/alerts/${alert.id}/acknowledge`,
      headers: await authHeaders(vigie, "operator"),
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedAt).not.toBeNull();
    const log = await vigie.app.inject({
      url: "/api/v1/notifications",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(log.json().items).toMatchObject([{ notice: "firing", channelKind: "log", status: "delivered" }]);
  });
});
