import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  readKeyHeaders,
  startTestApp,
  stepEvent,
  TEST_INGEST_KEY,
  TEST_JOURNEYS,
  type TestApp,
  testConfig,
  testUser,
} from "../../../test/harness.js";

const MIN = 60_000;
const JOURNEYS = ["lifecycle", "merging", "withdrawal", "acking", "noting", "access"];

let vigie: TestApp;
let operator: Record<string, string>;

beforeAll(async () => {
  vigie = await startTestApp(
    testConfig({
      journeys: JOURNEYS.map((key) => ({
        ...TEST_JOURNEYS[0],
        key,
        errorRate: { threshold: 0.5, minAttempts: 3 },
      })),
      alerting: {
        enabled: false,
        defaultRules: false,
        rules: [{ key: "acking.down", kind: "probe-down", journey: "acking", failuresToOpen: 1 }],
      },
      audiences: [{ key: "support", channels: [{ kind: "log" }] }],
    }),
  );
  operator = await authHeaders(vigie, "operator");
});
afterAll(async () => {
  await vigie?.close();
});

const minute = (ms: number) => Math.floor(ms / MIN) * MIN;

/** `errors` technical errors (and `oks` successes) of real prospects at `step` within the minute starting at `at`. */
async function traffic(journey: string, step: string, at: number, errors: number, oks = 0) {
  const events = Array.from({ length: errors + oks }, (_, i) =>
    stepEvent(
      { time: new Date(at + 1000 + i).toISOString() },
      {
        journey,
        runId: `run-${randomBytes(5).toString("hex")}`,
        step,
        outcome: i < errors ? "error" : "ok",
        ...(i < errors ? { error: { code: "KYC_TIMEOUT" } } : {}),
      },
    ),
  );
  await vigie.events.ingest(events);
}

async function send(method: "GET" | "POST", url: string, headers = operator, payload?: object) {
  return vigie.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
}

async function incidentsOf(journey: string) {
  const response = await send("GET", `/api/v1/incidents?journey=${journey}&sort=startedAt:asc`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { id: number; status: string; failingStep: string | null }[];
}

async function detail(id: number, headers = operator) {
  const response = await send("GET", `/api/v1/incidents/${id}`, headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const kinds = (d: { timeline: { kind: string }[] }) => d.timeline.map((a) => a.kind);

describe("incident timeline", () => {
  it("records opened, changed and closed across analytics passes, once each", async () => {
    const journey = "lifecycle";
    const now = minute(Date.now());
    await traffic(journey, "identity", now - 3 * MIN, 4);
    await vigie.analytics.pass.run({ now });
    const [incident] = await incidentsOf(journey);
    expect(incident).toMatchObject({ status: "open", failingStep: "identity" });

    // contact fails longer than identity did: it becomes the failing step
    for (const k of [2, 1, 0]) await traffic(journey, "contact", now - k * MIN, 4);
    await vigie.analytics.pass.run({ now: now + MIN });
    await vigie.analytics.pass.run({ now: now + MIN }); // nothing new: nothing recorded
    await vigie.analytics.pass.run({ now: now + 60 * MIN });

    const d = await detail(incident!.id);
    expect(d.status).toBe("closed");
    expect(kinds(d)).toEqual(["opened", "changed", "closed"]);
    expect(d.timeline[0]).toMatchObject({
      by: null,
      details: { failingStep: "identity", seenBy: ["traffic"] },
    });
    expect(d.timeline[1].details).toMatchObject({
      failingStep: "contact",
      previous: { failingStep: "identity" },
    });
    expect(d.timeline[2].details.endedAt).toBe(d.endedAt);
    expect(Date.parse(d.createdAt)).toBe(now);
  });

  it("moves a merged incident's history, notes included, to the incident that absorbs it", async () => {
    const journey = "merging";
    const now = minute(Date.now());
    await traffic(journey, "identity", now - 60 * MIN, 4);
    await traffic(journey, "identity", now - 30 * MIN, 4);
    await vigie.analytics.pass.run({ now });
    const [first, second] = await incidentsOf(journey);
    expect(second).toBeDefined();
    const note = await send("POST", `/api/v1/incidents/${second!.id}/notes`, operator, {
      text: "KYC vendor called",
    });
    expect(note.statusCode, note.body).toBe(201);

    await traffic(journey, "identity", now - 45 * MIN, 4); // bridges the two within the merge gap
    await vigie.analytics.pass.run({ now: Date.now() });

    expect((await incidentsOf(journey)).map((i) => i.id)).toEqual([first!.id]);
    const d = await detail(first!.id);
    expect(kinds(d)).toEqual(["opened", "closed", "opened", "closed", "note", "merged"]);
    expect(d.timeline.find((a: { kind: string }) => a.kind === "merged").details).toEqual({
      from: second!.id,
    });
    expect(d.timeline.find((a: { kind: string }) => a.kind === "note").note).toBe("KYC vendor called");
    const gone = await send("GET", `/api/v1/incidents/${second!.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.headers["content-type"]).toContain("application/problem+json");
    expect(gone.json()).toMatchObject({ code: "not_found", mergedInto: first!.id });
    expect(gone.json().detail).toContain(`merged into incident ${first!.id}`);
  });

  it("withdraws an incident late data no longer supports and keeps its history under its id", async () => {
    const journey = "withdrawal";
    const now = minute(Date.now());
    await traffic(journey, "identity", now - 40 * MIN, 3);
    await vigie.analytics.pass.run({ now });
    const [incident] = await incidentsOf(journey);
    expect(incident).toBeDefined();

    await traffic(journey, "identity", now - 40 * MIN, 0, 20); // late successes: 3 errors in 23 is no outage
    await vigie.analytics.pass.run({ now });

    expect(await incidentsOf(journey)).toEqual([]);
    expect((await send("GET", `/api/v1/incidents/${incident!.id}`)).statusCode).toBe(404);
    const history = await vigie.analytics.incidents.timeline(incident!.id);
    expect(history.map((a) => a.kind)).toEqual(["opened", "closed", "withdrawn"]);
  });
});

describe("acknowledgement", () => {
  it("records who acknowledged once, acknowledges the journey's firing alerts and lists the alerts sent", async () => {
    const journey = "acking";
    const now = minute(Date.now());
    await traffic(journey, "identity", now - 2 * MIN, 4);
    await vigie.events.ingest([
      stepEvent(
        { source: "/probes" },
        { journey, runId: "probe-acking", step: "identity", outcome: "error", synthetic: true },
      ),
    ]);
    await vigie.alerting.evaluator.evaluateAll();
    await vigie.analytics.pass.run({ now });
    const [incident] = await incidentsOf(journey);
    const [alert] = (
      await vigie.alerting.alerts.listAlerts({ journey, status: "firing", limit: 5, offset: 0 })
    ).items;
    expect(alert).toBeDefined();

    const first = await send("POST", `/api/v1/incidents/${incident!.id}/acknowledge`);
    expect(first.statusCode, first.body).toBe(200);
    const operatorId = await testUser(vigie, "operator");
    expect(first.json().incident.acknowledged.by).toEqual({ id: operatorId, name: "Test operator" });
    expect(first.json().alertsAcknowledged).toEqual([alert!.id]);
    const acknowledgedAlert = await send("GET", `/api/v1/alerts/${alert!.id}`);
    expect(acknowledgedAlert.json().acknowledgedBy).toBe(`user:${operatorId}`);

    const admin = await authHeaders(vigie, "admin");
    const again = await send("POST", `/api/v1/incidents/${incident!.id}/acknowledge`, admin);
    expect(again.statusCode).toBe(200);
    expect(again.json().incident.acknowledged).toEqual(first.json().incident.acknowledged);
    expect(again.json().alertsAcknowledged).toEqual([]);

    const d = await detail(incident!.id);
    expect(kinds(d).filter((k) => k === "acknowledged")).toHaveLength(1);
    expect(d.alertsSent).toEqual([
      expect.objectContaining({
        alertId: alert!.id,
        notice: "firing",
        audience: "support",
        channelKind: "log",
      }),
    ]);
    expect(d.runs.total).toBe(4);
    const acked = await send("GET", `/api/v1/incidents?journey=${journey}&acknowledged=true`);
    expect(acked.json().items.map((i: { id: number }) => i.id)).toEqual([incident!.id]);
    const unacked = await send("GET", `/api/v1/incidents?journey=${journey}&acknowledged=false`);
    expect(unacked.json().total).toBe(0);
  });

  it("answers 404 problem+json for an unknown incident", async () => {
    const response = await send("POST", "/api/v1/incidents/987654/acknowledge");
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });
});

describe("notes", () => {
  let id: number;
  beforeAll(async () => {
    const now = minute(Date.now());
    await traffic("noting", "identity", now - 2 * MIN, 4);
    await vigie.analytics.pass.run({ now });
    id = (await incidentsOf("noting"))[0]!.id;
  });

  it.each([
    ["no text", {}],
    ["blank text", { text: "   " }],
    ["text over 4000 characters", { text: "x".repeat(4001) }],
  ])("refuses %s with a problem+json 400", async (_name, body) => {
    const response = await send("POST", `/api/v1/incidents/${id}/notes`, operator, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().code).toBe("validation_failed");
  });

  it("answers 404 for an unknown incident", async () => {
    const response = await send("POST", "/api/v1/incidents/987654/notes", operator, { text: "hello" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("adds a trimmed note signed by its author to the timeline", async () => {
    const response = await send("POST", `/api/v1/incidents/${id}/notes`, operator, {
      text: "  Rolled back v2.3  ",
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: "note",
      note: "Rolled back v2.3",
      by: { name: "Test operator" },
    });
    const d = await detail(id);
    expect(d.timeline.at(-1)).toEqual(response.json());
  });

  it("writes acknowledgements and notes to the audit log, without the note's text", async () => {
    await send("POST", `/api/v1/incidents/${id}/acknowledge`);
    await send("POST", `/api/v1/incidents/${id}/notes`, operator, { text: "Called Mme Martin back" });
    const operatorId = await testUser(vigie, "operator");
    const entries = await vigie.auth.audit.list({ action: "incident." });
    const mine = entries.filter((e) => e.target?.id === String(id));
    expect(new Set(mine.map((e) => e.action))).toEqual(
      new Set(["incident.acknowledged", "incident.note_added"]),
    );
    for (const entry of mine) expect(entry.actor).toEqual({ kind: "user", id: operatorId });
    expect(JSON.stringify(mine)).not.toContain("Martin");
  });
});

describe("access", () => {
  let id: number;
  beforeAll(async () => {
    const now = minute(Date.now());
    await traffic("access", "identity", now - 2 * MIN, 4);
    await vigie.analytics.pass.run({ now });
    id = (await incidentsOf("access"))[0]!.id;
  });

  it.each([
    ["a viewer", async () => authHeaders(vigie, "viewer"), 403],
    ["a sales user", async () => authHeaders(vigie, "sales"), 403],
    ["an operator's read key", async () => readKeyHeaders(vigie, "operator"), 403],
    ["an ingest key", async () => ({ authorization: `Bearer ${TEST_INGEST_KEY}` }), 403],
    ["nobody", async () => ({}), 401],
  ])("refuses acknowledgement and notes to %s", async (_who, headers, status) => {
    const h = await headers();
    expect((await send("POST", `/api/v1/incidents/${id}/acknowledge`, h)).statusCode).toBe(status);
    expect((await send("POST", `/api/v1/incidents/${id}/notes`, h, { text: "hi" })).statusCode).toBe(status);
    expect((await detail(id)).acknowledged).toBeNull();
  });

  it("shows the runs behind an incident to those who may list runs, not to sales", async () => {
    expect((await detail(id, await authHeaders(vigie, "viewer"))).runs.total).toBe(4);
    const sales = await detail(id, await authHeaders(vigie, "sales"));
    expect(sales.runs).toBeNull();
    expect(sales.timeline.map((a: { kind: string }) => a.kind)).toEqual(["opened"]);
  });
});
