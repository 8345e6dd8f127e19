import { randomBytes } from "node:crypto";
import { instantOf } from "@vigie/zoned-time";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { type AlertingModule, createAlertingModule } from "./module.js";

const JOURNEY = "cco-subscription";
const H = 3_600_000;
const TZ = "Europe/Paris";

/** Real prospects starting the journey at the given times (one run each); `failedAt` makes them fail at identity. */
function prospects(times: number[], failedAt?: "identity"): Record<string, unknown>[] {
  return times.flatMap((t) => {
    const runId = `p-${randomBytes(5).toString("hex")}`;
    const time = new Date(t).toISOString();
    const events = [stepEvent({ time }, { journey: JOURNEY, runId, step: "landing", outcome: "ok" })];
    events.push(
      stepEvent(
        { time },
        failedAt
          ? {
              journey: JOURNEY,
              runId,
              step: "identity",
              outcome: "error",
              error: { code: "KYC", message: "down" },
            }
          : { journey: JOURNEY, runId, step: "identity", outcome: "ok" },
      ),
    );
    return events;
  });
}

/** `count` times spread evenly over the `hours` before `end`. */
const spread = (end: number, hours: number, count: number) =>
  Array.from({ length: count }, (_, i) => end - ((i + 0.5) * hours * H) / count);

/** The most recent past `weekday` (0 = Sunday) at `hour`:00 Paris time, at least two days ago. */
function pastLocal(weekday: number, hour: number, weeksBack = 0): number {
  const d = new Date(Date.now() - 2 * 86_400_000 - weeksBack * 7 * 86_400_000);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() - 1);
  return instantOf(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute: 0, second: 0 },
    TZ,
  );
}

let vigie: TestApp;
let alerting: AlertingModule;
let clock = Date.now();

beforeAll(async () => {
  const config = testConfig({
    alerting: {
      // this app's own evaluator stays idle: the module below evaluates at chosen times
      enabled: false,
      defaultRules: false,
      rules: [
        {
          key: "cco.errors",
          kind: "error-rate",
          journey: JOURNEY,
          minRuns: 10,
          openAbove: 0.2,
          window: "5m",
        },
        { key: "cco.volume", kind: "under-exposure", journey: JOURNEY, measure: "starts" },
        { key: "ingestion", kind: "ingestion-stalled", silentFor: "10m" },
        {
          key: "cco.slow",
          kind: "latency",
          journey: JOURNEY,
          step: "contact",
          p95AboveMs: 2000,
          minSamples: 20,
        },
      ],
    },
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

const rule = (key: string) => alerting.rules.all().find((r) => r.key === key)!;
const alertOf = async (key: string) =>
  (await alerting.alerts.listAlerts({ limit: 50, offset: 0 })).items.find((a) => a.ruleKey === key)!;

describe("real-traffic error rate", () => {
  it("does not fire on two failures out of two runs at low traffic", async () => {
    clock = Date.now();
    await vigie.events.ingest(prospects([clock - 60_000, clock - 30_000], "identity"));
    await alerting.evaluator.evaluateRule(rule("cco.errors"));
    const alert = await alertOf("cco.errors");
    expect(alert.status).toBe("inactive");
    expect(alert.facts).toMatchObject({ errorRate: 0.5, runsAtLeast: 2, errors: 2, attempts: 4 });
  });

  it("fires when enough runs fail, naming the failing step", async () => {
    clock = Date.now();
    await vigie.events.ingest([
      ...prospects(spread(clock, 0.05, 6), "identity"),
      ...prospects(spread(clock, 0.05, 6)),
    ]);
    await alerting.evaluator.evaluateRule(rule("cco.errors"));
    const alert = await alertOf("cco.errors");
    expect(alert.status).toBe("firing");
    expect(alert.step).toBe("identity");
  });
});

describe("latency", () => {
  it("fires when the p95 of a step's successful calls exceeds its threshold over enough calls", async () => {
    clock = Date.now();
    const calls = (count: number, durationMs: number) =>
      Array.from({ length: count }, () =>
        stepEvent(
          { time: new Date(clock - 30_000).toISOString() },
          {
            journey: JOURNEY,
            runId: `p-${randomBytes(5).toString("hex")}`,
            step: "contact",
            outcome: "ok",
            durationMs,
          },
        ),
      );
    await vigie.events.ingest(calls(10, 3500));
    await alerting.evaluator.evaluateRule(rule("cco.slow"));
    expect((await alertOf("cco.slow")).status).toBe("inactive"); // 10 calls: too few to judge
    await vigie.events.ingest([...calls(10, 3500), ...calls(5, 300)]);
    await alerting.evaluator.evaluateRule(rule("cco.slow"));
    const alert = await alertOf("cco.slow");
    expect(alert.status).toBe("firing");
    expect(alert.facts).toMatchObject({ p95Ms: 3500, samples: 25, thresholdMs: 2000 });
  });
});

describe("under-exposure", () => {
  it("does not call a quiet Sunday night under-exposed", async () => {
    const sunday3am = pastLocal(0, 3);
    const baseline = [1, 2, 3, 4].flatMap((w) => spread(sunday3am - w * 7 * 86_400_000, 1, 2));
    await vigie.events.ingest(prospects(baseline));
    clock = sunday3am;
    await alerting.evaluator.evaluateRule(rule("cco.volume"));
    const alert = await alertOf("cco.volume");
    expect(alert.status).toBe("inactive");
    expect(alert.facts).toMatchObject({ observed: 0, expected: 2, reason: "not-enough-expected" });
  });

  it("fires on a busy Monday morning with a tenth of the usual starts", async () => {
    const monday10 = pastLocal(1, 10, 6);
    const baseline = [1, 2, 3, 4].flatMap((w) => spread(monday10 - w * 7 * 86_400_000, 3, 120));
    await vigie.events.ingest([...prospects(baseline), ...prospects(spread(monday10, 3, 12))]);
    clock = monday10;
    await alerting.evaluator.evaluateRule(rule("ingestion"));
    await alerting.evaluator.evaluateRule(rule("cco.volume"));
    const alert = await alertOf("cco.volume");
    expect(alert.facts).toMatchObject({ observed: 4, expected: 40, reason: "under-exposed" });
    expect(alert.status).toBe("firing");
    expect(alert.heldBy).toBeNull();
  });

  it("tells no events at all (ingestion stalled) from fewer prospects, and holds under-exposure then", async () => {
    const monday10 = pastLocal(1, 10, 12);
    const baseline = [1, 2, 3, 4].flatMap((w) => spread(monday10 - w * 7 * 86_400_000, 3, 120));
    // the day before, traffic as usual; then nothing at all from 08:30
    await vigie.events.ingest([...prospects(baseline), ...prospects(spread(monday10 - 1.5 * H, 1.5, 20))]);
    clock = monday10;
    await alerting.evaluator.evaluateRule(rule("ingestion"));
    await alerting.evaluator.evaluateRule(rule("cco.volume"));
    expect((await alertOf("ingestion")).status).toBe("firing");
    const volume = await alertOf("cco.volume");
    expect(volume.heldBy).toBe("inhibited by ingestion");
  });
});
