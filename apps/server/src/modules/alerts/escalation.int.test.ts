import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { type AlertingModule, createAlertingModule } from "./module.js";

const JOURNEY = "cco-subscription";
const MIN = 60_000;

let vigie: TestApp;
let alerting: AlertingModule;
let clock = Date.now();

beforeAll(async () => {
  const config = testConfig({
    alerting: {
      enabled: false,
      defaultRules: false,
      rules: [
        {
          key: "cco.down",
          kind: "probe-down",
          journey: JOURNEY,
          failuresToOpen: 1,
          repeatInterval: "1h",
          escalation: { after: "15m", audiences: ["management"] },
        },
      ],
    },
    audiences: [
      { key: "support", channels: [{ kind: "log" }] },
      { key: "management", language: "en", channels: [{ kind: "log", key: "managers-log" }] },
    ],
  });
  vigie = await startTestApp(config);
  alerting = await createAlertingModule({
    config: { ...config, alerting: { ...config.alerting, enabled: true } },
    db: vigie.database.db,
    journeys: createJourneyCatalogue(config.journeys),
    now: () => new Date(clock),
  });
});

afterAll(async () => {
  await alerting?.stop();
  await vigie?.close();
});

const rule = () => alerting.rules.all().find((r) => r.key === "cco.down")!;
const sent = async () =>
  (await alerting.notifications.list({ limit: 20, offset: 0 })).items
    .map((n) => [n.notice, n.audience])
    .reverse();

describe("escalation", () => {
  it("tells the second audience once nobody acknowledged within the delay, and only once", async () => {
    clock = Date.now();
    const runId = `probe-${randomBytes(4).toString("hex")}`;
    await vigie.events.ingest([
      stepEvent(
        { source: "/probes" },
        { journey: JOURNEY, runId, step: "identity", outcome: "error", synthetic: true },
      ),
    ]);
    await alerting.evaluator.evaluateRule(rule());
    clock += 10 * MIN;
    await alerting.evaluator.evaluateRule(rule());
    expect(await sent()).toEqual([["firing", "support"]]);
    clock += 6 * MIN;
    await alerting.evaluator.evaluateRule(rule());
    clock += 5 * MIN;
    await alerting.evaluator.evaluateRule(rule());
    expect(await sent()).toEqual([
      ["firing", "support"],
      ["escalation", "management"],
    ]);
  });
});
