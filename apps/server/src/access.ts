import type { FastifyInstance, RouteOptions } from "fastify";

/** Who may use Vigie, from most to least powerful in their own area. */
export const ROLES = ["admin", "operator", "viewer", "sales"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route, declared next to the route in `config.access`:
 * - `"public"`: anyone (health checks, static pages, sign-in);
 * - `"ingest"`: a bearer ingest key (only `POST /api/v1/events`);
 * - a list of roles: a signed-in user (or read key) holding one of them.
 */
export type Access = "public" | "ingest" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Makes a missing access declaration fatal: `ready()` (hence start-up) fails naming every route
 * that declares none, so no route can be forgotten.
 */
export function requireAccessDeclarations(app: FastifyInstance): RouteOptions[] {
  const routes: RouteOptions[] = [];
  app.addHook("onRoute", (route) => {
    routes.push(route);
  });
  app.addHook("onReady", async () => {
    const missing = routes.filter((route) => !(route.config as { access?: Access } | undefined)?.access);
    if (missing.length > 0) {
      const names = missing.map((r) => `${[r.method].flat().join(",")} ${r.url}`).join("; ");
      throw new Error(`Routes without an access declaration: ${names}`);
    }
  });
  return routes;
}

/** Declares every route registered inside `register` as public (third-party plugins: docs, static files). */
export async function publicRoutes(app: FastifyInstance, register: (app: FastifyInstance) => Promise<void>) {
  await app.register(async (child) => {
    child.addHook("onRoute", (route) => {
      route.config = { ...(route.config as object), access: "public" } as typeof route.config;
    });
    await register(child);
  });
}
