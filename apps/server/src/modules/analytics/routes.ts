import type { AvailabilityMethod, Bucket, RunOutcome } from "@vigie/contracts";
import { isTimeZone } from "@vigie/zoned-time";
import type { FastifyInstance } from "fastify";
import { NotFoundError, ValidationError } from "../../errors.js";
import { journeyLatency } from "../availability/latency.js";
import { journeyAvailability } from "../availability/service.js";
import { journeyFunnel } from "../funnel/service.js";
import { RUN_SORTS, type RunsRepository } from "../runs/repository.js";
import { journeyVolumes } from "../volumes/service.js";
import { board } from "./board.js";
import { type AnalyticsContext, journeyOrThrow } from "./context.js";
import { journeyDivergences } from "./divergence.js";
import { overview } from "./overview.js";
import { PAGING_QUERY, pageSchema, parsePageRequest } from "./paging.js";

const READERS = ["admin", "operator", "viewer", "sales"] as const;
const STAFF = ["admin", "operator", "viewer"] as const;
const DAY = 86_400_000;
const MAX_RANGE = 400 * DAY;
/** The longest month: 31 days, plus the hour the autumn clock change adds ("last month" in November). */
const LONGEST_MONTH = 31 * DAY + 3_600_000;

/** A JSON object answer described in packages/contracts/src/analytics.ts (`name`). */
const answer = (name: string) => ({
  type: "object",
  description: `See the \`${name}\` type of @vigie/contracts (analytics).`,
  additionalProperties: true,
});
const page = (name: string) => pageSchema(answer(name));
const range = {
  from: {
    type: "string",
    format: "date-time",
    description: "Start (inclusive); defaults depend on the route",
  },
  to: { type: "string", format: "date-time", description: "End (exclusive) [now]" },
  tz: {
    type: "string",
    description: "IANA timezone of day/week/month boundaries [configured, Europe/Paris]",
  },
};
const journeyParams = { type: "object", properties: { key: { type: "string" } }, required: ["key"] };

interface RangeQuery {
  from?: string;
  to?: string;
  tz?: string;
}

/** Analytics read API: board, availability, funnel, volumes, latency, divergence, runs (incidents: incidents/routes.ts). */
export async function analyticsRoutes(
  app: FastifyInstance,
  deps: { ctx: AnalyticsContext; runs: RunsRepository },
) {
  const { ctx } = deps;
  const timezone = (tz?: string) => {
    const zone = tz ?? ctx.timezone;
    if (!isTimeZone(zone))
      throw new ValidationError(`tz "${zone}" is not an IANA timezone such as Europe/Paris.`);
    return zone;
  };
  const instant = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new ValidationError(`${name} must be an ISO 8601 date-time.`);
    return at;
  };
  const period = (q: RangeQuery, defaultLength: number) => {
    const to = instant("to", q.to, ctx.now());
    const from = instant("from", q.from, to - defaultLength);
    if (from >= to) throw new ValidationError("from must be before to.");
    if (to - from > MAX_RANGE) throw new ValidationError("The range may not exceed 400 days.");
    return { from, to, tz: timezone(q.tz) };
  };

  app.get<{ Querystring: { tz?: string } }>(
    "/api/v1/board",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary:
          "Live board: every journey's state, availability (both methods), volume, probe state, incidents",
        querystring: { type: "object", properties: { tz: range.tz } },
        response: { 200: answer("Board") },
      },
    },
    async (request) => board(ctx, timezone(request.query.tz)),
  );

  app.get<{ Querystring: RangeQuery }>(
    "/api/v1/overview",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary:
          "Every journey over one range: availability by both methods, real runs started and completed",
        querystring: { type: "object", properties: range },
        response: { 200: answer("Overview") },
      },
    },
    async (request) => overview(ctx, period(request.query, DAY)),
  );

  app.get<{
    Params: { key: string };
    Querystring: RangeQuery & { bucket?: Bucket; method?: AvailabilityMethod };
  }>(
    "/api/v1/journeys/:key/availability",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary:
          "Availability of a journey and each step, by traffic success rate and by confirmed probe time",
        params: journeyParams,
        querystring: {
          type: "object",
          properties: {
            ...range,
            bucket: { type: "string", enum: ["hour", "day", "week", "month"], default: "day" },
            method: { type: "string", enum: ["traffic", "time"] },
          },
        },
        response: { 200: answer("JourneyAvailability") },
      },
    },
    async (request) => {
      const q = request.query;
      const bucket = q.bucket ?? "day";
      const p = period(q, 7 * DAY);
      if (bucket === "hour" && p.to - p.from > LONGEST_MONTH) {
        throw new ValidationError("Hourly buckets are limited to 31 days; use day, week or month.");
      }
      return journeyAvailability(ctx, request.params.key, { ...p, bucket, method: q.method });
    },
  );

  app.get<{ Params: { key: string }; Querystring: RangeQuery & { by?: string; compare?: "previous" } }>(
    "/api/v1/journeys/:key/funnel",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary:
          "Funnel of real runs started in the range: reach, conversion, drop-off by cause, time to convert",
        params: journeyParams,
        querystring: {
          type: "object",
          properties: {
            ...range,
            by: { type: "string", enum: ["product", "channel"] },
            compare: { type: "string", enum: ["previous"] },
          },
        },
        response: { 200: answer("Funnel") },
      },
    },
    async (request) => {
      const q = request.query;
      return journeyFunnel(ctx, request.params.key, { ...period(q, 30 * DAY), by: q.by, compare: q.compare });
    },
  );

  app.get<{ Params: { key: string }; Querystring: RangeQuery & { weeks?: number } }>(
    "/api/v1/journeys/:key/volumes",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary: "Starts and completions per hour against the same weekday and hour of past weeks",
        params: journeyParams,
        querystring: {
          type: "object",
          properties: { ...range, weeks: { type: "integer", minimum: 1, maximum: 52 } },
        },
        response: { 200: answer("Volumes") },
      },
    },
    async (request) => {
      const p = period(request.query, DAY);
      if (p.to - p.from > LONGEST_MONTH)
        throw new ValidationError("Volumes are hourly: the range may not exceed 31 days.");
      return journeyVolumes(ctx, request.params.key, { ...p, weeks: request.query.weeks });
    },
  );

  app.get<{ Params: { key: string }; Querystring: RangeQuery & { origin?: "real" | "synthetic" } }>(
    "/api/v1/journeys/:key/latency",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary: "p50/p95/p99 latency per step from histogram buckets",
        params: journeyParams,
        querystring: {
          type: "object",
          properties: { ...range, origin: { type: "string", enum: ["real", "synthetic"], default: "real" } },
        },
        response: { 200: answer("Latency") },
      },
    },
    async (request) =>
      journeyLatency(ctx, request.params.key, {
        ...period(request.query, DAY),
        origin: request.query.origin ?? "real",
      }),
  );

  app.get(
    "/api/v1/divergence",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary: "Probe state against real traffic, per journey and step, now",
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: answer("JourneyDivergence") } },
          },
        },
      },
    },
    async () => ({
      items: await journeyDivergences(
        ctx,
        ctx.journeys.list().map((j) => j.key),
      ),
    }),
  );

  app.get<{ Params: { key: string } }>(
    "/api/v1/journeys/:key/divergence",
    {
      config: { access: READERS },
      schema: {
        tags: ["analytics"],
        summary: "Probe state against real traffic for one journey, now",
        params: journeyParams,
        response: { 200: answer("JourneyDivergence") },
      },
    },
    async (request) => {
      journeyOrThrow(ctx, request.params.key);
      return (await journeyDivergences(ctx, [request.params.key]))[0];
    },
  );

  app.get<{
    Querystring: {
      journey?: string;
      outcome?: RunOutcome;
      step?: string;
      errorCode?: string;
      attribute?: string;
      synthetic?: boolean;
      from?: string;
      to?: string;
      page?: number;
      pageSize?: number;
      sort?: string;
    };
  }>(
    "/api/v1/runs",
    {
      config: { access: STAFF },
      schema: {
        tags: ["runs"],
        summary: "Runs, filtered, sorted (startedAt, lastActivityAt, journey, outcome) and paginated",
        querystring: {
          type: "object",
          properties: {
            journey: { type: "string" },
            outcome: {
              type: "string",
              enum: ["completed", "failed", "rejected", "abandoned", "in_progress"],
            },
            step: { type: "string", description: "Furthest step reached (requires journey)" },
            errorCode: { type: "string" },
            attribute: { type: "string", description: "name:value, e.g. channel:mobile" },
            synthetic: { type: "boolean" },
            from: { type: "string", format: "date-time", description: "Started at or after" },
            to: { type: "string", format: "date-time", description: "Started before" },
            ...PAGING_QUERY,
          },
        },
        response: { 200: page("RunSummary") },
      },
    },
    async (request) => {
      const q = request.query;
      const pageRequest = parsePageRequest(q, RUN_SORTS, { field: "startedAt", direction: "desc" });
      let stepIndex: number | undefined;
      if (q.step !== undefined) {
        if (q.journey === undefined) throw new ValidationError("step filters need a journey.");
        stepIndex = journeyOrThrow(ctx, q.journey).steps.findIndex((s) => s.key === q.step);
        if (stepIndex < 0) throw new ValidationError(`Journey "${q.journey}" has no step "${q.step}".`);
      }
      let attribute: { name: string; value: string } | undefined;
      if (q.attribute !== undefined) {
        const at = q.attribute.indexOf(":");
        if (at <= 0) throw new ValidationError("attribute must be name:value.");
        attribute = { name: q.attribute.slice(0, at), value: q.attribute.slice(at + 1) };
      }
      return deps.runs.list(
        {
          journey: q.journey,
          outcome: q.outcome,
          stepIndex,
          errorCode: q.errorCode,
          attribute,
          synthetic: q.synthetic,
          from: q.from === undefined ? undefined : instant("from", q.from, 0),
          to: q.to === undefined ? undefined : instant("to", q.to, 0),
        },
        pageRequest,
      );
    },
  );

  app.get<{ Params: { journey: string; runId: string } }>(
    "/api/v1/runs/:journey/:runId",
    {
      config: { access: STAFF },
      schema: {
        tags: ["runs"],
        summary: "One run with its events in time order",
        params: {
          type: "object",
          properties: { journey: { type: "string" }, runId: { type: "string" } },
          required: ["journey", "runId"],
        },
        response: { 200: answer("RunDetail") },
      },
    },
    async (request) => {
      const run = await deps.runs.detail(request.params.journey, request.params.runId);
      if (!run)
        throw new NotFoundError(`No run "${request.params.runId}" of journey "${request.params.journey}".`);
      return run;
    },
  );
}
