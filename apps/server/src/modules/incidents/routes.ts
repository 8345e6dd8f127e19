import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Role } from "../../access.js";
import { AccessDeniedError, ValidationError } from "../../errors.js";
import { PAGING_QUERY, pageSchema, parsePageRequest } from "../analytics/paging.js";
import { requestContext } from "../audit/http.js";
import { INCIDENT_SORTS, MAX_NOTE_LENGTH } from "./repository.js";
import type { IncidentsService } from "./service.js";

/** Everyone who reads incidents; sales see them too (they call affected prospects back). */
const READERS = ["admin", "operator", "viewer", "sales"] as const;
/** Roles that may list runs: the detail shows its runs to them only (as `GET /api/v1/runs`). */
const RUN_READERS: readonly Role[] = ["admin", "operator", "viewer"];
/** Those on duty: they acknowledge and write notes (ADR 0080); viewers and sales only read. */
const RESPONDERS = ["admin", "operator"] as const;

/** A JSON object answer described in packages/contracts (`name`). */
const answer = (name: string) => ({
  type: "object",
  description: `See the \`${name}\` type of @vigie/contracts.`,
  additionalProperties: true,
});
const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

const instant = (name: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new ValidationError(`${name} must be an ISO 8601 date-time.`);
  return at;
};

/** The signed-in user acting; read keys cannot reach these routes (POST), this is the backstop. */
function userOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== "session") throw new AccessDeniedError("Only a signed-in user may do this.");
  return principal.userId;
}

/** Incidents: list, detail with timeline, acknowledgement and notes. */
export async function incidentRoutes(app: FastifyInstance, deps: { service: IncidentsService }) {
  const { service } = deps;

  app.get<{
    Querystring: {
      journey?: string;
      status?: "open" | "closed";
      seenBy?: "probes" | "traffic";
      step?: string;
      acknowledged?: boolean;
      from?: string;
      to?: string;
      page?: number;
      pageSize?: number;
      sort?: string;
    };
  }>(
    "/api/v1/incidents",
    {
      config: { access: READERS },
      schema: {
        tags: ["incidents"],
        summary: "Incidents, filtered, sorted (startedAt, endedAt, journey, runsAffected) and paginated",
        querystring: {
          type: "object",
          properties: {
            journey: { type: "string" },
            status: { type: "string", enum: ["open", "closed"] },
            seenBy: { type: "string", enum: ["probes", "traffic"] },
            step: { type: "string" },
            acknowledged: { type: "boolean", description: "true: acknowledged; false: not yet" },
            from: { type: "string", format: "date-time", description: "Overlapping from (inclusive)" },
            to: { type: "string", format: "date-time", description: "Overlapping until (exclusive)" },
            ...PAGING_QUERY,
          },
        },
        response: { 200: pageSchema(answer("Incident")) },
      },
    },
    async (request) => {
      const q = request.query;
      const pageRequest = parsePageRequest(q, INCIDENT_SORTS, { field: "startedAt", direction: "desc" });
      return service.list(
        {
          journey: q.journey,
          status: q.status,
          seenBy: q.seenBy,
          step: q.step,
          acknowledged: q.acknowledged,
          from: instant("from", q.from),
          to: instant("to", q.to),
        },
        pageRequest,
      );
    },
  );

  app.get<{ Params: { id: number } }>(
    "/api/v1/incidents/:id",
    {
      config: { access: READERS },
      schema: {
        tags: ["incidents"],
        summary:
          "One incident with its timeline (state changes, acknowledgement, notes), the alerts sent and its failed runs",
        params: idParams,
        response: { 200: answer("IncidentDetail") },
      },
    },
    async (request) => {
      const role = request.principal && "role" in request.principal ? request.principal.role : undefined;
      return service.detail(request.params.id, {
        withRuns: role !== undefined && RUN_READERS.includes(role),
      });
    },
  );

  app.post<{ Params: { id: number } }>(
    "/api/v1/incidents/:id/acknowledge",
    {
      config: { access: RESPONDERS },
      schema: {
        tags: ["incidents"],
        summary:
          "Acknowledge an incident (idempotent: the first acknowledgement stands) and, while it is open, its journey's firing alerts",
        params: idParams,
        response: { 200: answer("IncidentAcknowledgeResult") },
      },
    },
    async (request) => service.acknowledge(request.params.id, userOf(request), requestContext(request)),
  );

  app.post<{ Params: { id: number }; Body: { text: string } }>(
    "/api/v1/incidents/:id/notes",
    {
      config: { access: RESPONDERS },
      schema: {
        tags: ["incidents"],
        summary: "Add a note to an incident's timeline",
        params: idParams,
        body: {
          type: "object",
          properties: { text: { type: "string", minLength: 1, maxLength: MAX_NOTE_LENGTH } },
          required: ["text"],
          additionalProperties: false,
        },
        response: { 201: answer("IncidentActivity") },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.addNote(
            request.params.id,
            userOf(request),
            request.body.text,
            requestContext(request),
          ),
        ),
  );
}
