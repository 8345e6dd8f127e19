import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import type { JourneyCatalogue } from "./catalogue.js";

const localized = {
  type: "object",
  properties: { fr: { type: "string" }, en: { type: "string" } },
  required: ["fr", "en"],
} as const;

const journeySchema = {
  type: "object",
  properties: {
    key: { type: "string" },
    name: localized,
    steps: {
      type: "array",
      items: {
        type: "object",
        properties: { key: { type: "string" }, name: localized, latencyObjectiveMs: { type: "integer" } },
        required: ["key", "name"],
      },
    },
    objectives: {
      type: "object",
      properties: { availability: { type: "number" }, latencyP95Ms: { type: "integer" } },
    },
    conversionWindowMs: { type: "integer" },
  },
  required: ["key", "name", "steps", "objectives", "conversionWindowMs"],
} as const;

function present(journey: NonNullable<ReturnType<JourneyCatalogue["get"]>>) {
  const { conversionWindow, ...rest } = journey;
  return { ...rest, conversionWindowMs: conversionWindow };
}

/** Read-only access to the declared journeys. */
export async function journeyRoutes(app: FastifyInstance, { journeys }: { journeys: JourneyCatalogue }) {
  app.get(
    "/api/v1/journeys",
    {
      config: { access: ["admin", "operator", "viewer", "sales"] },
      schema: {
        tags: ["journeys"],
        summary: "List the declared journeys with their steps and objectives",
        response: { 200: { type: "object", properties: { items: { type: "array", items: journeySchema } } } },
      },
    },
    async () => ({ items: journeys.list().map(present) }),
  );
  app.get<{ Params: { key: string } }>(
    "/api/v1/journeys/:key",
    {
      config: { access: ["admin", "operator", "viewer", "sales"] },
      schema: {
        tags: ["journeys"],
        summary: "One declared journey",
        params: { type: "object", properties: { key: { type: "string" } }, required: ["key"] },
        response: { 200: journeySchema },
      },
    },
    async (request) => {
      const journey = journeys.get(request.params.key);
      if (!journey) throw new NotFoundError(`No journey "${request.params.key}" is declared.`);
      return present(journey);
    },
  );
}
