import { CloudEvent, HTTP } from "cloudevents";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, ingestHeaders, startTestApp, stepEvent, type TestApp } from "../../../test/harness.js";

let vigie: TestApp;

beforeAll(async () => {
  vigie = await startTestApp();
});
afterAll(() => vigie?.close());

async function countEvents(where: { source: string; id?: string }): Promise<number> {
  let query = vigie.database.db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("source", "=", where.source);
  if (where.id) query = query.where("id", "=", where.id);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

function post(body: unknown, contentType: string, headers: Record<string, string> = {}) {
  return vigie.app.inject({
    method: "POST",
    url: "/api/v1/events",
    headers: { ...ingestHeaders(contentType), ...headers },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /api/v1/events", () => {
  it("stores a structured-mode event and answers only once it is committed", async () => {
    const event = stepEvent({ source: "/structured" });
    const response = await post(event, "application/cloudevents+json");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await countEvents({ source: "/structured", id: event.id as string })).toBe(1);
  });

  it("stores every event of a batch-mode request", async () => {
    const batch = [1, 2, 3].map(() => stepEvent({ source: "/batch" }));
    const response = await post(batch, "application/cloudevents-batch+json");
    expect(response.json()).toEqual({ accepted: 3, duplicates: 0 });
    expect(await countEvents({ source: "/batch" })).toBe(3);
  });

  it("stores a binary-mode event read from ce-* headers", async () => {
    const response = await post(
      { journey: "cco-subscription", runId: "r-bin", step: "offer", outcome: "rejected" },
      "application/json",
      {
        "ce-specversion": "1.0",
        "ce-id": "bin-1",
        "ce-source": "/binary%20app",
        "ce-type": "vigie.step",
        "ce-time": "2026-01-05T10:00:00Z",
        "ce-tenant": "bank",
      },
    );
    expect(response.statusCode).toBe(200);
    const row = await vigie.database.db
      .selectFrom("events")
      .selectAll()
      .where("source", "=", "/binary app")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      id: "bin-1",
      step: "offer",
      outcome: "rejected",
      extensions: { tenant: "bank" },
    });
    expect(row.time.toISOString()).toBe("2026-01-05T10:00:00.000Z");
  });

  it("accepts events sent by the official cloudevents SDK in binary and structured modes", async () => {
    const base = await vigie.listen();
    for (const [index, emit] of [HTTP.binary, HTTP.structured].entries()) {
      const ce = new CloudEvent({
        id: `sdk-${index}`,
        source: "/cloudevents-sdk",
        type: "vigie.step",
        data: { journey: "cco-subscription", runId: "sdk-run", step: "landing", outcome: "started" },
      });
      const message = emit(ce);
      const response = await fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: {
          ...(message.headers as Record<string, string>),
          authorization: ingestHeaders("x").authorization,
        },
        body: message.body as string,
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: 1, duplicates: 0 });
    }
    expect(await countEvents({ source: "/cloudevents-sdk" })).toBe(2);
  });

  it("stores an event sent twice once and counts the second as a duplicate", async () => {
    const batch = [stepEvent({ source: "/twice" }), stepEvent({ source: "/twice" })];
    expect((await post(batch, "application/cloudevents-batch+json")).json()).toEqual({
      accepted: 2,
      duplicates: 0,
    });
    expect((await post(batch, "application/cloudevents-batch+json")).json()).toEqual({
      accepted: 0,
      duplicates: 2,
    });
    expect(await countEvents({ source: "/twice" })).toBe(2);
  });

  it("treats a resent id with another time as the same event", async () => {
    const event = stepEvent({ source: "/retimed", time: "2026-03-01T10:00:00Z" });
    await post(event, "application/cloudevents+json");
    const again = await post({ ...event, time: "2026-06-01T10:00:00Z" }, "application/cloudevents+json");
    expect(again.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await countEvents({ source: "/retimed" })).toBe(1);
  });

  it("counts an event repeated inside one batch once", async () => {
    const event = stepEvent({ source: "/repeated" });
    const response = await post([event, event, event], "application/cloudevents-batch+json");
    expect(response.json()).toEqual({ accepted: 1, duplicates: 2 });
  });

  it("keeps the same id from two sources as two events", async () => {
    const a = stepEvent({ source: "/a", id: "shared-id" });
    const b = stepEvent({ source: "/b", id: "shared-id" });
    expect((await post([a, b], "application/cloudevents-batch+json")).json()).toEqual({
      accepted: 2,
      duplicates: 0,
    });
  });

  it("refuses the whole batch when one event is invalid, listing each rejected event", async () => {
    const good = stepEvent({ source: "/all-or-nothing" });
    const badStep = stepEvent({ source: "/all-or-nothing" }, { step: "nope" });
    const badJourney = stepEvent({ source: "/all-or-nothing" }, { journey: "mortgage" });
    const response = await post([good, badStep, badJourney], "application/cloudevents-batch+json");
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.json().errors).toEqual([
      { index: 1, field: "data.step", reason: 'journey "cco-subscription" has no step "nope"' },
      { index: 2, field: "data.journey", reason: 'unknown journey "mortgage"' },
    ]);
    expect(await countEvents({ source: "/all-or-nothing" })).toBe(0);
  });

  it("stores personal data apart from the event row and merges it per run", async () => {
    const runId = "run-prospect";
    await post(
      [
        stepEvent({ source: "/pii" }, { runId, prospect: { firstName: "Léa", email: "lea@example.fr" } }),
        stepEvent(
          { source: "/pii" },
          { runId, step: "contact", prospect: { phone: "+33600000000", consentToCall: true } },
        ),
      ],
      "application/cloudevents-batch+json",
    );
    const prospect = await vigie.database.db
      .selectFrom("prospects")
      .selectAll()
      .where("run_id", "=", runId)
      .executeTakeFirstOrThrow();
    expect(prospect.details).toEqual({
      firstName: "Léa",
      email: "lea@example.fr",
      phone: "+33600000000",
      consentToCall: true,
    });
    const rows = await sql<{
      row: string;
    }>`SELECT to_jsonb(e)::text AS row FROM events e WHERE run_id = ${runId}`.execute(vigie.database.db);
    for (const { row } of rows.rows) expect(row).not.toContain("lea@example.fr");
  });

  it("stores events in monthly partitions of the events table", async () => {
    await post(
      stepEvent({ source: "/partitioned", time: "2026-02-10T08:00:00Z" }),
      "application/cloudevents+json",
    );
    const result = await sql<{ partition: string }>`
      SELECT tableoid::regclass::text AS partition FROM events WHERE source = '/partitioned'`.execute(
      vigie.database.db,
    );
    expect(result.rows[0]?.partition).toBe("events_202602");
  });

  it("refuses a request without a valid ingest key", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/events",
      headers: {
        authorization: "Bearer wrong-key-wrong-key",
        "content-type": "application/cloudevents+json",
      },
      payload: JSON.stringify(stepEvent()),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("unauthorized");
  });
});

describe("journeys and operations", () => {
  it("lists the declared journeys with their steps", async () => {
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys",
      headers: await authHeaders(vigie, "viewer"),
    });
    const journey = response.json().items[0];
    expect(journey.key).toBe("cco-subscription");
    expect(journey.steps.map((s: { key: string }) => s.key)).toContain("identity");
    expect(journey.conversionWindowMs).toBe(86_400_000);
  });

  it("answers 404 as a problem for an unknown journey", async () => {
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys/nope",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
  });

  it("is ready when the database is reachable and migrated", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/readyz" });
    expect(response.json()).toEqual({ status: "ready" });
  });

  it("exposes ingest counters and pool gauges in Prometheus format", async () => {
    await post(stepEvent({ source: "/metrics" }), "application/cloudevents+json");
    const text = (
      await vigie.app.inject({
        method: "GET",
        url: "/metrics",
        headers: await authHeaders(vigie, "operator"),
      })
    ).body;
    expect(text).toMatch(/vigie_ingest_events_total\{result="accepted"\} \d+/);
    expect(text).toMatch(/vigie_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/vigie_http_request_duration_seconds_bucket/);
  });

  it("serves an OpenAPI 3.1 document and the event JSON Schema", async () => {
    const openapi = (await vigie.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(openapi.openapi).toBe("3.1.0");
    expect(Object.keys(openapi.paths)).toContain("/api/v1/events");
    const schema = (await vigie.app.inject({ method: "GET", url: "/api/v1/schemas/vigie.step.json" })).json();
    expect(schema.properties.data.required).toEqual(
      expect.arrayContaining(["journey", "runId", "step", "outcome"]),
    );
  });
});
