import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { ensureWebBuilt } from "../../../../web/scripts/ensure-built.mjs";
import { startTestApp, type TestApp } from "../../../test/harness.js";

let vigie: TestApp;

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  vigie = await startTestApp();
});

afterAll(async () => {
  await vigie?.close();
});

describe("serving the web app", () => {
  it("answers a client-side route with the app's page, never cached", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/journeys/cco-subscription?range=7d" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.body).toContain('<div id="root">');
  });

  it("serves the home page", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("/assets/");
  });

  it("caches hashed assets for a year", async () => {
    const home = await vigie.app.inject({ method: "GET", url: "/" });
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)?.[1];
    expect(asset).toBeDefined();
    const response = await vigie.app.inject({ method: "GET", url: asset! });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toContain("immutable");
  });

  it("keeps unknown API paths a problem+json 404, not the app's page", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/api/v1/does-not-exist" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });
});
