import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { publicRoutes, requireAccessDeclarations } from "./access.js";

describe("access declarations", () => {
  it("fails start-up naming a route that declares no access", async () => {
    const app = Fastify();
    requireAccessDeclarations(app);
    app.get("/declared", { config: { access: ["viewer"] } }, async () => "ok");
    app.post("/forgotten", async () => "oops");
    await expect(app.ready()).rejects.toThrow(/POST \/forgotten/);
  });

  it("starts when every route declares its access, third-party routes declared public", async () => {
    const app = Fastify();
    const routes = requireAccessDeclarations(app);
    app.get("/declared", { config: { access: "public" } }, async () => "ok");
    await publicRoutes(app, async (child) => {
      child.get("/plugin-route", async () => "ok");
    });
    await app.ready();
    expect(new Set(routes.map((r) => r.url))).toEqual(new Set(["/declared", "/plugin-route"]));
    expect(routes.every((r) => r.config?.access === "public")).toBe(true);
  });
});
