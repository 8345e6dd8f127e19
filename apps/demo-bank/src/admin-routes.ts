import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { FaultRegistry } from "./faults.js";
import { sendProblem } from "./problems.js";
import type { ProspectStore } from "./prospects.js";

/** Admin API: health, prospect records and their deletion (probes' teardown), faults. */
export async function adminRoutes(
  app: FastifyInstance,
  opts: { prospects: ProspectStore; faults: FaultRegistry; adminToken?: string },
) {
  const { prospects, faults, adminToken } = opts;

  app.get("/health", async () => ({ status: "ok" }));

  await app.register(async (admin) => {
    if (adminToken) {
      const expected = Buffer.from(`Bearer ${adminToken}`);
      admin.addHook("onRequest", async (request, reply) => {
        const given = Buffer.from(request.headers.authorization ?? "");
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return sendProblem(
            request,
            reply,
            401,
            "unauthorized",
            "Authorization: Bearer <admin token> required.",
          );
        }
      });
    }

    admin.get<{ Params: { id: string } }>("/admin/prospects/:id", async (request, reply) => {
      const record = prospects.get(request.params.id);
      if (!record) return sendProblem(request, reply, 404, "not_found", `No prospect ${request.params.id}.`);
      return record;
    });

    // The teardown of a probe's run: its test prospect disappears from the bank.
    admin.delete<{ Params: { id: string } }>("/admin/prospects/:id", async (request, reply) => {
      if (!prospects.delete(request.params.id)) {
        return sendProblem(request, reply, 404, "not_found", `No prospect ${request.params.id}.`);
      }
      return reply.code(204).send();
    });

    admin.get("/admin/faults", async () => ({ faults: faults.list() }));

    admin.post("/admin/faults", async (request, reply) => reply.code(201).send(faults.inject(request.body)));

    admin.delete<{ Params: { id: string } }>("/admin/faults/:id", async (request, reply) => {
      if (!faults.lift(request.params.id)) {
        return sendProblem(request, reply, 404, "not_found", `No fault ${request.params.id} in force.`);
      }
      return reply.code(204).send();
    });

    admin.delete("/admin/faults", async () => ({ lifted: faults.clear() }));
  });
}
