import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { actorOf } from "../alerts/present.js";
import type { SilenceRow } from "./repository.js";
import type { SilenceInput, SilencesService } from "./service.js";

const silenceSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    kind: { type: "string", enum: ["silence", "maintenance"] },
    journey: { type: ["string", "null"] },
    step: { type: ["string", "null"] },
    ruleKey: { type: ["string", "null"] },
    startsAt: { type: "string" },
    endsAt: { type: "string" },
    timeZone: { type: "string" },
    rrule: { type: ["string", "null"] },
    comment: { type: "string" },
    createdBy: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    active: { type: "boolean", description: "In force now" },
  },
} as const;

const present = (s: SilenceRow & { active?: boolean }) => ({ ...s, createdAt: s.createdAt.toISOString() });

/** Silences and maintenance windows: notifications held, evaluation going on. */
export async function silenceRoutes(app: FastifyInstance, opts: { silences: SilencesService }) {
  app.get(
    "/api/v1/silences",
    {
      config: { access: ["admin", "operator", "viewer"] },
      schema: {
        tags: ["silences"],
        summary: "Silences and maintenance windows not ended, with whether each is in force now",
        response: { 200: { type: "object", properties: { items: { type: "array", items: silenceSchema } } } },
      },
    },
    async () => ({ items: (await opts.silences.list()).map(present) }),
  );

  app.post<{ Body: SilenceInput }>(
    "/api/v1/silences",
    {
      config: { access: ["admin", "operator"] },
      schema: {
        tags: ["silences"],
        summary: "Create a silence or a maintenance window, one-off or recurring (RRULE, timezone)",
        description:
          "startsAt/endsAt are wall-clock times (YYYY-MM-DDTHH:mm) in timeZone, or instants with an offset. " +
          "With rrule (e.g. FREQ=WEEKLY;BYDAY=SU) the window repeats at the same local hours, daylight-saving " +
          "changes included. Rules keep evaluating; notifications are held, and at the end only a state that " +
          "differs from before the window is announced. Maintenance windows are also left out of volume baselines.",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["kind", "startsAt", "endsAt"],
          properties: {
            kind: { type: "string", enum: ["silence", "maintenance"] },
            journey: { type: "string" },
            step: { type: "string" },
            ruleKey: { type: "string" },
            startsAt: { type: "string", minLength: 10, maxLength: 40 },
            endsAt: { type: "string", minLength: 10, maxLength: 40 },
            timeZone: { type: "string", maxLength: 64 },
            rrule: { type: "string", maxLength: 500 },
            comment: { type: "string", maxLength: 2000 },
          },
        },
        response: { 201: silenceSchema },
      },
    },
    async (request, reply) => {
      const created = await opts.silences.create(request.body, actorOf(request));
      return reply.code(201).send(present({ ...created, active: false }));
    },
  );

  app.delete<{ Params: { id: number } }>(
    "/api/v1/silences/:id",
    {
      config: { access: ["admin", "operator"] },
      schema: {
        tags: ["silences"],
        summary: "End a silence or maintenance window now",
        params: { type: "object", properties: { id: { type: "integer", minimum: 1 } }, required: ["id"] },
        response: { 204: { type: "null" } },
      },
    },
    async (request, reply) => {
      if (!(await opts.silences.end(request.params.id)))
        throw new NotFoundError(`No silence ${request.params.id} in force.`);
      return reply.code(204).send();
    },
  );
}
