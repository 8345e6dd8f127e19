import { describe, expect, it } from "vitest";
import { isClientRoute } from "./routes.js";

describe("web app routes", () => {
  it("treats page paths as the web app's client-side routes", () => {
    expect(isClientRoute("/")).toBe(true);
    expect(isClientRoute("/journeys/cco-subscription")).toBe(true);
    expect(isClientRoute("/incidents/42")).toBe(true);
  });

  it("leaves the API, health checks and metrics to the server", () => {
    for (const path of ["/api", "/api/v1/nothing", "/healthz", "/readyz", "/metrics"]) {
      expect(isClientRoute(path)).toBe(false);
    }
  });

  it("does not answer a missing file with the app's page", () => {
    expect(isClientRoute("/assets/index-old.js")).toBe(false);
    expect(isClientRoute("/favicon.ico")).toBe(false);
  });

  it("serves pages whose names merely start like a server path", () => {
    expect(isClientRoute("/apis-and-more")).toBe(true);
    expect(isClientRoute("/metrics-explained")).toBe(true);
  });
});
