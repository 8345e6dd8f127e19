import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, stepEvent, type TestApp } from "../../../test/harness.js";
import { SYSTEM_CONTEXT } from "../audit/service.js";

describe("API keys", () => {
  let vigie: TestApp;
  beforeAll(async () => {
    vigie = await startTestApp();
  });
  afterAll(async () => {
    await vigie?.close();
  });

  const sendEvent = (secret: string, event = stepEvent()) =>
    vigie.app.inject({
      method: "POST",
      url: "/api/v1/events",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/cloudevents+json" },
      payload: JSON.stringify(event),
    });

  it("shows a key's secret once, at creation, and never in the list", async () => {
    const admin = await authHeaders(vigie, "admin");
    const created = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/keys",
      headers: admin,
      payload: { kind: "ingest", name: "demo bank", source: "/demo-bank" },
    });
    expect(created.statusCode).toBe(201);
    const { secret, key } = created.json();
    expect(secret).toMatch(/^vigie_ik_/);
    const list = await vigie.app.inject({ method: "GET", url: "/api/v1/keys", headers: admin });
    expect(list.body).not.toContain(secret);
    expect(list.json().items.find((k: { id: string }) => k.id === key.id).prefix).toBe(secret.slice(0, 15));
  });

  it("lets an ingest key send events but not read", async () => {
    const { secret } = await vigie.auth.keys.create(SYSTEM_CONTEXT, { kind: "ingest", name: "app" });
    expect((await sendEvent(secret)).statusCode).toBe(200);
    const read = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(read.statusCode).toBe(403);
  });

  it("refuses events of another source than the ingest key's", async () => {
    const { secret } = await vigie.auth.keys.create(SYSTEM_CONTEXT, {
      kind: "ingest",
      name: "identity app",
      source: "/apps/identity",
    });
    expect((await sendEvent(secret, stepEvent({ source: "/apps/identity" }))).statusCode).toBe(200);
    expect((await sendEvent(secret, stepEvent({ source: "/apps/offer" }))).statusCode).toBe(403);
  });

  it("refuses a revoked key from the very next request", async () => {
    const { secret, key } = await vigie.auth.keys.create(SYSTEM_CONTEXT, { kind: "ingest", name: "old app" });
    expect((await sendEvent(secret)).statusCode).toBe(200);
    const revoke = await vigie.app.inject({
      method: "DELETE",
      url: `/api/v1/keys/${key.id}`,
      headers: await authHeaders(vigie, "admin"),
    });
    expect(revoke.statusCode).toBe(200);
    expect((await sendEvent(secret)).statusCode).toBe(401);
  });

  it("lets a read key read as its role, never write", async () => {
    const { secret } = await vigie.auth.keys.create(SYSTEM_CONTEXT, {
      kind: "read",
      name: "grafana",
      role: "viewer",
    });
    const headers = { authorization: `Bearer ${secret}` };
    expect((await vigie.app.inject({ method: "GET", url: "/api/v1/journeys", headers })).statusCode).toBe(
      200,
    );
    expect((await vigie.app.inject({ method: "GET", url: "/api/v1/users", headers })).statusCode).toBe(403);
    expect((await sendEvent(secret)).statusCode).toBe(403);
  });

  it("records when a key was last used", async () => {
    const { secret, key } = await vigie.auth.keys.create(SYSTEM_CONTEXT, {
      kind: "read",
      name: "script",
      role: "viewer",
    });
    expect(key.lastUsedAt).toBeNull();
    await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys",
      headers: { authorization: `Bearer ${secret}` },
    });
    const listed = (await vigie.auth.keys.list()).find((k) => k.id === key.id);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
  });
});
