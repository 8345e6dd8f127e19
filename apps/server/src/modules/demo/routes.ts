import { FAULT_KINDS, type FaultRequest, STEP_KEYS } from "@vigie/demo-bank";
import type { FastifyInstance } from "fastify";
import { parseDuration } from "../../duration.js";
import { ValidationError } from "../../errors.js";
import type { DemoModule } from "./module.js";

const READERS = ["admin", "operator", "viewer"] as const;
const CONTROLLERS = ["admin", "operator"] as const;

const looseObject = { type: "object", additionalProperties: true } as const;
const faultSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    kind: { type: "string", enum: FAULT_KINDS },
    step: { type: ["string", "null"] },
    share: { type: "number" },
    errorCode: { type: ["string", "null"] },
    delayMs: { type: ["integer", "null"] },
    createdAt: { type: "string", format: "date-time" },
    until: { type: ["string", "null"], format: "date-time" },
  },
} as const;
const stageSchema = {
  anyOf: [
    { type: "null" },
    {
      type: "object",
      properties: {
        at: { type: "string", format: "date-time" },
        afterMs: { type: "integer", description: "Time from the injection" },
        incidentId: { type: ["string", "null"] },
      },
    },
  ],
} as const;
const drillSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    trigger: { type: "string", enum: ["schedule", "manual"] },
    mode: { type: "string", enum: ["bank", "synthetic"] },
    journey: { type: "string" },
    step: { type: "string" },
    errorCode: { type: "string" },
    status: { type: "string", enum: ["running", "finished", "failed"] },
    injectedAt: { type: "string", format: "date-time" },
    faultUntil: { type: "string", format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    detection: {
      type: "object",
      properties: { firstFailingEvent: stageSchema, incidentOpened: stageSchema, alertSent: stageSchema },
    },
    notes: { type: "array", items: { type: "string" } },
  },
} as const;
const durationText = {
  type: "string",
  pattern: "^\\d+(ms|s|m|h|d)$",
  description: "e.g. 90s, 5m, 1h",
} as const;

function durationMs(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (!ms)
    throw new ValidationError(`${field} must be a positive duration such as 90s or 5m.`, [
      { index: 0, field, reason: "invalid duration" },
    ]);
  return ms;
}

/** Fault control of the demo bank and fault drills: `/api/v1/demo/...`. */
export async function demoRoutes(app: FastifyInstance, opts: { demo: DemoModule }) {
  const { demo } = opts;

  app.get(
    "/api/v1/demo",
    {
      config: { access: READERS },
      schema: {
        tags: ["demo"],
        summary: "State of the demo: bank URL, simulated traffic, backfill, drill schedule",
        response: { 200: looseObject },
      },
    },
    async () => demo.status(),
  );

  app.get(
    "/api/v1/demo/faults",
    {
      config: { access: READERS },
      schema: {
        tags: ["demo"],
        summary: "Faults in force in the demo bank",
        response: { 200: { type: "object", properties: { faults: { type: "array", items: faultSchema } } } },
      },
    },
    async () => ({ faults: await demo.faults.list() }),
  );

  app.post<{ Body: Omit<FaultRequest, "durationMs"> & { duration?: string } }>(
    "/api/v1/demo/faults",
    {
      config: { access: CONTROLLERS },
      schema: {
        tags: ["demo"],
        summary: "Inject a fault into the demo bank: fail, slow down, take down or under-expose",
        description:
          "error: the step fails with errorCode for a share of requests; slow: the step answers delayMs " +
          "later; down: the whole bank answers 503 and emits nothing; under-exposure: a share of visitors " +
          "never see the start button. The fault is lifted after duration, or by DELETE.",
        body: {
          type: "object",
          additionalProperties: false,
          required: ["kind"],
          properties: {
            kind: { type: "string", enum: FAULT_KINDS },
            step: { type: "string", enum: STEP_KEYS },
            share: {
              type: "number",
              exclusiveMinimum: 0,
              maximum: 1,
              description: "Share of requests hit [1]",
            },
            errorCode: { type: "string", pattern: "^[A-Za-z0-9_.-]{1,100}$" },
            delayMs: { type: "integer", minimum: 0, maximum: 120000 },
            duration: durationText,
          },
        },
        response: { 201: faultSchema },
      },
    },
    async (request, reply) => {
      const { duration, ...rest } = request.body;
      const fault = await demo.faults.inject({ ...rest, durationMs: durationMs(duration, "duration") });
      return reply.code(201).send(fault);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/demo/faults/:id",
    {
      config: { access: CONTROLLERS },
      schema: {
        tags: ["demo"],
        summary: "Lift one fault",
        params: { type: "object", properties: { id: { type: "string", maxLength: 100 } }, required: ["id"] },
      },
    },
    async (request, reply) => {
      await demo.faults.lift(request.params.id);
      return reply.code(204).send();
    },
  );

  app.delete(
    "/api/v1/demo/faults",
    {
      config: { access: CONTROLLERS },
      schema: {
        tags: ["demo"],
        summary: "Lift every fault",
        response: { 200: { type: "object", properties: { lifted: { type: "integer" } } } },
      },
    },
    async () => ({ lifted: await demo.faults.clear() }),
  );

  app.get<{ Querystring: { limit?: number } }>(
    "/api/v1/demo/drills",
    {
      config: { access: READERS },
      schema: {
        tags: ["demo"],
        summary: "Fault drills, latest first, with their detection times",
        querystring: {
          type: "object",
          properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
        },
        response: { 200: { type: "object", properties: { drills: { type: "array", items: drillSchema } } } },
      },
    },
    async (request) => ({ drills: await demo.drills.list(request.query.limit ?? 50) }),
  );

  app.get<{ Params: { id: number } }>(
    "/api/v1/demo/drills/:id",
    {
      config: { access: READERS },
      schema: {
        tags: ["demo"],
        summary: "One fault drill with its detection times",
        params: { type: "object", properties: { id: { type: "integer", minimum: 1 } }, required: ["id"] },
        response: { 200: drillSchema },
      },
    },
    async (request) => demo.drills.get(request.params.id),
  );

  app.post<{ Body: { mode?: "bank" | "synthetic"; step?: string; errorCode?: string; duration?: string } }>(
    "/api/v1/demo/drills",
    {
      config: { access: CONTROLLERS },
      schema: {
        tags: ["demo"],
        summary: "Run a fault drill now",
        description:
          "bank: the step fails in the demo bank; synthetic: failing synthetic events are emitted for the " +
          "journey (for an environment without the demo bank). Detection times fill in as the chain reacts.",
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            mode: { type: "string", enum: ["bank", "synthetic"] },
            step: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*$", maxLength: 100 },
            errorCode: { type: "string", pattern: "^[A-Za-z0-9_.-]{1,100}$" },
            duration: durationText,
          },
        },
        response: { 202: drillSchema },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const drill = await demo.drills.start({
        trigger: "manual",
        mode: body.mode,
        step: body.step,
        errorCode: body.errorCode,
        faultDurationMs: durationMs(body.duration, "duration"),
      });
      return reply.code(202).send(drill);
    },
  );
}
