import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import type { AlertEvaluator } from "./evaluate.js";
import { actorOf, alertJsonSchema, presentAlert } from "./present.js";
import type { AlertsRepository } from "./repository.js";
import { ruleSchema } from "./rule-schema.js";
import type { RulesService, RuleView } from "./rules.js";

const READERS = ["admin", "operator", "viewer"] as const;
const MANAGERS = ["admin", "operator"] as const;

const ruleInputSchema = z.toJSONSchema(ruleSchema, { io: "input", unrepresentable: "any" }) as Record<
  string,
  unknown
>;
delete ruleInputSchema.$schema;

const ruleViewSchema = {
  type: "object",
  properties: {
    rule: {
      type: "object",
      additionalProperties: true,
      description: "The rule, defaults filled in; durations in ms",
    },
    origin: { type: "string", enum: ["config", "api"] },
    updatedAt: { type: "string", format: "date-time" },
    updatedBy: { type: ["string", "null"] },
    warnings: { type: "array", items: { type: "string" } },
  },
} as const;

const keyParams = { type: "object", properties: { key: { type: "string" } }, required: ["key"] } as const;
const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

const presentRule = (view: RuleView) => ({ ...view, updatedAt: view.updatedAt.toISOString() });

/** Alert rules (config file and API) and the alerts they raise, with acknowledgement. */
export async function alertRoutes(
  app: FastifyInstance,
  opts: { rules: RulesService; alerts: AlertsRepository; evaluator: AlertEvaluator },
) {
  const { rules, alerts, evaluator } = opts;

  app.get(
    "/api/v1/alert-rules",
    {
      config: { access: READERS },
      schema: {
        tags: ["alerts"],
        summary: "List alert rules (from the configuration file and the API), with warnings",
        response: {
          200: { type: "object", properties: { items: { type: "array", items: ruleViewSchema } } },
        },
      },
    },
    async () => {
      await rules.reload();
      return { items: rules.views().map(presentRule) };
    },
  );

  app.get<{ Params: { key: string } }>(
    "/api/v1/alert-rules/:key",
    {
      config: { access: READERS },
      schema: {
        tags: ["alerts"],
        summary: "One alert rule",
        params: keyParams,
        response: { 200: ruleViewSchema },
      },
    },
    async (request) => presentRule(rules.get(request.params.key)),
  );

  app.post(
    "/api/v1/alert-rules",
    {
      config: { access: MANAGERS },
      // validated by the rule schema itself, with one error entry per problem
      validatorCompiler: () => () => true,
      schema: {
        tags: ["alerts"],
        summary: "Create an alert rule",
        description:
          "Kinds: probe-down, error-rate, latency, burn-rate, under-exposure, ingestion-stalled. Durations are " +
          "written 30s, 15m, 24h or 7d. The answer lists warnings, e.g. a burn-rate page its objective makes impossible.",
        body: ruleInputSchema,
        response: { 201: ruleViewSchema },
      },
    },
    async (request, reply) => {
      const view = await rules.create(request.body, actorOf(request));
      return reply.code(201).send(presentRule(view));
    },
  );

  app.put<{ Params: { key: string } }>(
    "/api/v1/alert-rules/:key",
    {
      config: { access: MANAGERS },
      validatorCompiler: () => () => true,
      schema: {
        tags: ["alerts"],
        summary: "Replace an alert rule (a rule from the file keeps the edit until the file changes it)",
        params: keyParams,
        body: ruleInputSchema,
        response: { 200: ruleViewSchema },
      },
    },
    async (request) => presentRule(await rules.replace(request.params.key, request.body, actorOf(request))),
  );

  app.delete<{ Params: { key: string } }>(
    "/api/v1/alert-rules/:key",
    {
      config: { access: MANAGERS },
      schema: {
        tags: ["alerts"],
        summary: "Delete an alert rule",
        params: keyParams,
        response: { 204: { type: "null" } },
      },
    },
    async (request, reply) => {
      await rules.remove(request.params.key, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { status?: string; journey?: string; limit: number; offset: number } }>(
    "/api/v1/alerts",
    {
      config: { access: READERS },
      schema: {
        tags: ["alerts"],
        summary: "List alerts (firing first), with their state and figures",
        querystring: {
          type: "object",
          properties: {
            status: { type: "string", enum: ["inactive", "pending", "firing"] },
            journey: { type: "string" },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
            offset: { type: "integer", minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: alertJsonSchema }, total: { type: "integer" } },
          },
        },
      },
    },
    async (request) => {
      const page = await alerts.listAlerts(request.query);
      return { items: page.items.map(presentAlert), total: page.total };
    },
  );

  app.get<{ Params: { id: number } }>(
    "/api/v1/alerts/:id",
    {
      config: { access: READERS },
      schema: {
        tags: ["alerts"],
        summary: "One alert with its firing episodes",
        params: idParams,
        response: {
          200: {
            type: "object",
            properties: {
              ...alertJsonSchema.properties,
              episodes: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    startedAt: { type: "string", format: "date-time" },
                    endedAt: { type: ["string", "null"], format: "date-time" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const alert = await alerts.getAlert(request.params.id);
      if (!alert) throw new NotFoundError(`No alert ${request.params.id}.`);
      const episodes = await alerts.episodes(alert.id);
      return {
        ...presentAlert(alert),
        episodes: episodes.map((e) => ({
          startedAt: e.startedAt.toISOString(),
          endedAt: e.endedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post<{ Params: { id: number } }>(
    "/api/v1/alerts/:id/acknowledge",
    {
      config: { access: MANAGERS },
      schema: {
        tags: ["alerts"],
        summary: "Acknowledge a firing alert: no more reminders or escalation for this episode",
        params: idParams,
        response: { 200: alertJsonSchema },
      },
    },
    async (request) => {
      const alert = await evaluator.acknowledge(request.params.id, actorOf(request) ?? "unknown");
      if (!alert) throw new NotFoundError(`No alert ${request.params.id}.`);
      return presentAlert(alert);
    },
  );

  app.post(
    "/api/v1/alerts/evaluate",
    {
      config: { access: MANAGERS },
      schema: {
        tags: ["alerts"],
        summary: "Evaluate every rule now (the periodic pass), e.g. after changing rules",
        response: { 200: { type: "object", properties: { rules: { type: "integer" } } } },
      },
    },
    async () => {
      await evaluator.evaluateAll();
      return { rules: rules.all().length };
    },
  );
}
