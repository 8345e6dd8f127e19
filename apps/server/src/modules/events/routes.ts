import { CLOUDEVENTS_BATCH_JSON, CLOUDEVENTS_JSON, stepEventJsonSchema } from "@vigie/contracts";
import type { FastifyInstance } from "fastify";
import { assertSourcesAllowed } from "../keys/ingest-sources.js";
import { eventsBodyParser, readCloudEventsRequest } from "./cloudevents-http.js";
import type { EventsService } from "./service.js";

const resultSchema = {
  type: "object",
  properties: {
    accepted: { type: "integer", description: "Events stored by this request" },
    duplicates: { type: "integer", description: "Events already stored (same source and id), stored once" },
  },
  required: ["accepted", "duplicates"],
} as const;

const problemSchema = {
  type: "object",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: { index: { type: "integer" }, field: { type: "string" }, reason: { type: "string" } },
      },
    },
  },
} as const;

/** `POST /api/v1/events` (CloudEvents 1.0 HTTP binding) and the contract's JSON Schema. */
export async function eventRoutes(
  app: FastifyInstance,
  opts: { events: EventsService; maxBatchEvents: number },
) {
  // In this plugin only, JSON bodies (application/json too: binary mode) name the event and field of
  // a forbidden key or unstorable text.
  const types = [CLOUDEVENTS_JSON, CLOUDEVENTS_BATCH_JSON, "application/json"];
  app.addContentTypeParser(types, { parseAs: "string" }, eventsBodyParser);
  app.addContentTypeParser(/^application\/[a-z0-9.+-]+\+json$/, { parseAs: "string" }, eventsBodyParser);

  const eventSchema = stepEventJsonSchema();
  app.get(
    "/api/v1/schemas/vigie.step.json",
    {
      config: { access: "public" },
      schema: { tags: ["events"], summary: "JSON Schema of one vigie.step CloudEvent" },
    },
    async (_request, reply) => reply.type("application/schema+json").send(eventSchema),
  );

  app.post(
    "/api/v1/events",
    {
      config: { access: "ingest" },
      // The body is validated by the contract's own schema, with one error entry per event.
      validatorCompiler: () => () => true,
      // The ingest key is checked before the body is read (access.ts): no key, 401, no parsing.
      schema: {
        tags: ["events"],
        summary: "Ingest vigie.step CloudEvents (structured, batch or binary mode)",
        description:
          "Answers 200 only once the events are committed. A batch is all or nothing: if any event is " +
          "invalid, none is stored and the problem lists every rejected event. Resending an event " +
          "(same source and id) is safe: it is counted as a duplicate, never stored twice.",
        security: [{ ingestKey: [] }],
        body: {
          oneOf: [
            { ...eventSchema, $id: undefined, $schema: undefined },
            { type: "array", items: { type: "object" }, description: `${CLOUDEVENTS_BATCH_JSON}` },
          ],
        },
        response: {
          200: resultSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          413: problemSchema,
          415: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) => {
      const message = readCloudEventsRequest(request.headers, request.body, {
        maxBatchEvents: opts.maxBatchEvents,
      });
      assertSourcesAllowed(request.principal, message.events);
      return opts.events.ingest(message.events);
    },
  );
}
