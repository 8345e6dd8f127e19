import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp, testConfig } from "../../../test/harness.js";

describe("web protections", () => {
  let vigie: TestApp;
  beforeAll(async () => {
    vigie = await startTestApp(testConfig({ auth: { allowedOrigins: ["https://vigie.bank.example"] } }));
  });
  afterAll(async () => {
    await vigie?.close();
  });

  const createKey = async (headers: Record<string, string>) =>
    vigie.app.inject({
      method: "POST",
      url: "/api/v1/keys",
      headers: { ...(await authHeaders(vigie, "admin")), ...headers },
      payload: { kind: "read", name: "k", role: "viewer" },
    });

  it("refuses a state-changing request from another site's page", async () => {
    const response = await createKey({ origin: "https://evil.example" });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("cross_site_request");
  });

  it("refuses a cross-site request that hides its origin but not its fetch site", async () => {
    const response = await createKey({ "sec-fetch-site": "cross-site" });
    expect(response.json().code).toBe("cross_site_request");
  });

  it("accepts a state-changing request from Vigie's own origin", async () => {
    expect((await createKey({ origin: "http://localhost:80", host: "localhost:80" })).statusCode).toBe(201);
  });

  it("accepts a state-changing request from a configured origin", async () => {
    expect((await createKey({ origin: "https://vigie.bank.example" })).statusCode).toBe(201);
  });

  it("refuses a cross-site sign-in attempt (login CSRF)", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { origin: "https://evil.example" },
      payload: { username: "a", password: "b" },
    });
    expect(response.statusCode).toBe(403);
  });

  it("refuses a live-update connection from a foreign origin", async () => {
    const base = await vigie.listen();
    const response = await fetch(`${base}/api/v1/live`, {
      headers: {
        ...(await authHeaders(vigie, "viewer")),
        origin: "https://evil.example",
        accept: "text/event-stream",
      },
    });
    expect(response.status).toBe(403);
  });

  it("sends a content security policy without inline scripts, and no framing", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/healthz" });
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });
});
