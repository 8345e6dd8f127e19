import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { pendingMigrations } from "../../db/migrate.js";
import { ServiceUnavailableError } from "../../errors.js";
import type { Metrics } from "./metrics.js";

const statusSchema = {
  type: "object",
  properties: { status: { type: "string" }, pendingMigrations: { type: "array", items: { type: "string" } } },
} as const;

/** Liveness, readiness and Prometheus metrics. */
export async function opsRoutes(app: FastifyInstance, opts: { pool: pg.Pool; metrics: Metrics }) {
  app.get(
    "/healthz",
    {
      config: { access: "public" },
      schema: { tags: ["operations"], summary: "The process is alive", response: { 200: statusSchema } },
    },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      config: { access: "public" },
      schema: {
        tags: ["operations"],
        summary: "The database is reachable and every migration is applied",
        response: { 200: statusSchema },
      },
    },
    async () => {
      const pending = await pendingMigrations(opts.pool);
      if (pending.length > 0) {
        throw new ServiceUnavailableError(`Migrations not applied yet: ${pending.join(", ")}.`);
      }
      return { status: "ready" };
    },
  );
  app.get(
    "/metrics",
    {
      config: { access: ["admin", "operator"] },
      schema: { tags: ["operations"], summary: "Prometheus metrics (text exposition format)" },
    },
    async (_request, reply) =>
      reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics()),
  );
}
