import { relative } from "node:path";
import type { FastifyInstance } from "fastify";
import { PAGING_QUERY, pageSchema, parsePageRequest } from "../analytics/paging.js";
import type { ProbeDefinition } from "./definition.js";
import { PROBE_SORTS, PROBE_STATES, type ProbeFilter } from "./list-probes.js";
import { RUN_SORTS, type ScheduleListing, type StoredRun } from "./repository.js";
import type { ProbeRunResult } from "./results.js";
import type { ProbesService } from "./service.js";

const READERS = ["admin", "operator", "viewer"] as const;
const RUNNERS = ["admin", "operator"] as const;

const nameParams = {
  type: "object",
  properties: { name: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*$", maxLength: 100 } },
  required: ["name"],
} as const;
const runParams = {
  type: "object",
  properties: { runId: { type: "string", minLength: 1, maxLength: 200 } },
  required: ["runId"],
} as const;

const looseObject = { type: "object", additionalProperties: true } as const;
const probeSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    kind: { type: "string", enum: ["http", "browser"] },
    journey: { type: "string" },
    description: { type: ["string", "null"] },
    file: { type: "string" },
    schedule: looseObject,
    timeoutMs: { type: "integer" },
    retries: looseObject,
    labels: looseObject,
    steps: { type: "array", items: looseObject },
    paused: { type: "boolean" },
    running: { type: "boolean" },
    nextRunAt: { type: ["string", "null"], format: "date-time" },
    lastRunId: { type: ["string", "null"] },
    lastRunAt: { type: ["string", "null"], format: "date-time" },
    lastOutcome: { type: ["string", "null"], enum: ["passed", "failed", null] },
    lastFailedStep: { type: ["string", "null"] },
    lastErrorCode: { type: ["string", "null"] },
  },
} as const;

const runSchema = {
  type: "object",
  properties: {
    runId: { type: "string" },
    probe: { type: "string" },
    journey: { type: "string" },
    kind: { type: "string" },
    location: { type: "string" },
    trigger: { type: "string" },
    scheduledAt: { type: ["string", "null"], format: "date-time" },
    startedAt: { type: "string", format: "date-time" },
    finishedAt: { type: "string", format: "date-time" },
    durationMs: { type: "number" },
    outcome: { type: "string", enum: ["passed", "failed"] },
    failedStep: { type: ["string", "null"] },
    error: { anyOf: [{ type: "null" }, looseObject] },
    cleanupOk: { type: ["boolean", "null"] },
    attempts: {
      type: "array",
      items: looseObject,
      description: "Every attempt with its step timings and assertions",
    },
    consoleErrors: { type: "array", items: { type: "string" } },
    screenshot: { type: ["string", "null"], description: "URL of the failure screenshot (PNG)" },
  },
} as const;

function presentProbe(
  { probe, schedule }: { probe: ProbeDefinition; schedule: ScheduleListing | undefined },
  now: Date,
) {
  return {
    name: probe.name,
    kind: probe.kind,
    journey: probe.journey,
    description: probe.description ?? null,
    file: relative(process.cwd(), probe.file),
    schedule: probe.schedule,
    timeoutMs: probe.timeout,
    retries: { attempts: probe.retries.attempts, delayMs: probe.retries.delay },
    labels: probe.labels,
    // Names only: requests may hold literal headers and bodies that are nobody's business.
    steps:
      probe.kind === "http"
        ? probe.steps.map((s, i) => ({ name: s.name ?? s.step ?? `request ${i + 1}`, step: s.step ?? null }))
        : [],
    paused: schedule?.paused ?? !probe.enabled,
    running: Boolean(schedule?.lease_until && schedule.lease_until > now),
    nextRunAt: schedule?.next_run_at?.toISOString() ?? null,
    lastRunId: schedule?.last_run_id ?? null,
    lastRunAt: schedule?.last_run_at?.toISOString() ?? null,
    lastOutcome: schedule?.last_outcome ?? null,
    lastFailedStep: schedule?.last_failed_step ?? null,
    lastErrorCode: schedule?.last_error_code ?? null,
  };
}

const screenshotUrl = (runId: string) => `/api/v1/probe-runs/${encodeURIComponent(runId)}/screenshot`;

function presentStoredRun(run: StoredRun) {
  return {
    runId: run.run_id,
    probe: run.probe,
    journey: run.journey,
    kind: run.kind,
    location: run.location,
    trigger: run.trigger,
    scheduledAt: run.scheduled_at?.toISOString() ?? null,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at.toISOString(),
    durationMs: run.finished_at.getTime() - run.started_at.getTime(),
    outcome: run.outcome,
    failedStep: run.failed_step,
    error: run.error_code ? { code: run.error_code, message: run.error_message ?? "" } : null,
    cleanupOk: run.cleanup_ok,
    attempts: run.attempts,
    consoleErrors: run.console_errors,
    screenshot: run.has_screenshot ? screenshotUrl(run.run_id) : null,
  };
}

function presentResult(result: ProbeRunResult) {
  const last = result.attempts.at(-1)!;
  return {
    runId: result.runId,
    probe: result.probe,
    journey: result.journey,
    kind: result.kind,
    location: result.location,
    trigger: result.trigger,
    scheduledAt: result.scheduledAt?.toISOString() ?? null,
    startedAt: result.startedAt.toISOString(),
    finishedAt: result.finishedAt.toISOString(),
    durationMs: result.finishedAt.getTime() - result.startedAt.getTime(),
    outcome: result.outcome,
    failedStep: last.failedStep ?? null,
    error: last.error ?? null,
    cleanupOk: result.cleanupOk ?? null,
    attempts: result.attempts.map(({ screenshot, ...attempt }) => ({
      ...attempt,
      hasScreenshot: Boolean(screenshot),
    })),
    consoleErrors: last.consoleErrors,
    screenshot: last.screenshot ? screenshotUrl(result.runId) : null,
  };
}

/** Probes: list, run now, pause/resume; their runs with step timings, failures and screenshots. */
export async function probeRoutes(app: FastifyInstance, opts: { probes: ProbesService }) {
  const { probes } = opts;

  app.get<{
    Querystring: ProbeFilter & { page?: number; pageSize?: number; sort?: string };
  }>(
    "/api/v1/probes",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary:
          "Probes of the probes folder with their schedule and last outcome, filtered, sorted (name, journey, kind, lastRunAt, nextRunAt, lastOutcome) and paginated; and the files that could not be used",
        querystring: {
          type: "object",
          properties: {
            journey: { type: "string" },
            kind: { type: "string", enum: ["http", "browser"] },
            state: { type: "string", enum: PROBE_STATES },
            search: { type: "string", maxLength: 200, description: "Part of the name or description" },
            ...PAGING_QUERY,
          },
        },
        response: {
          200: {
            ...pageSchema(probeSchema),
            properties: {
              ...pageSchema(probeSchema).properties,
              invalid: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    file: { type: "string" },
                    problems: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      const pageRequest = parsePageRequest({ page, pageSize, sort }, PROBE_SORTS, {
        field: "name",
        direction: "asc",
      });
      const now = new Date();
      const listed = await probes.page(filter, pageRequest);
      return {
        items: listed.items.map((entry) => presentProbe(entry, now)),
        total: listed.total,
        page: pageRequest.page,
        pageSize: pageRequest.pageSize,
        invalid: probes
          .invalidFiles()
          .map((error) => ({ file: relative(process.cwd(), error.file), problems: error.problems })),
      };
    },
  );

  app.get<{ Params: { name: string } }>(
    "/api/v1/probes/:name",
    {
      config: { access: READERS },
      schema: { tags: ["probes"], summary: "One probe", params: nameParams, response: { 200: probeSchema } },
    },
    async (request) => presentProbe(await probes.entry(request.params.name), new Date()),
  );

  app.post<{ Params: { name: string } }>(
    "/api/v1/probes/:name/runs",
    {
      config: { access: RUNNERS },
      schema: {
        tags: ["probes"],
        summary: "Run a probe now (outside its schedule); answers once the run is over",
        params: nameParams,
        response: { 201: runSchema },
      },
    },
    async (request, reply) => {
      const result = await probes.runNow(request.params.name);
      return reply.code(201).send(presentResult(result));
    },
  );

  for (const action of ["pause", "resume"] as const) {
    app.post<{ Params: { name: string } }>(
      `/api/v1/probes/:name/${action}`,
      {
        config: { access: RUNNERS },
        schema: {
          tags: ["probes"],
          summary: action === "pause" ? "Pause a probe's schedule" : "Resume a probe's schedule",
          params: nameParams,
          response: { 200: probeSchema },
        },
      },
      async (request) => {
        await probes.setPaused(request.params.name, action === "pause");
        return presentProbe(await probes.entry(request.params.name), new Date());
      },
    );
  }

  app.get<{
    Params: { name: string };
    Querystring: { outcome?: "passed" | "failed"; page?: number; pageSize?: number; sort?: string };
  }>(
    "/api/v1/probes/:name/runs",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary: "A probe's runs, filtered by outcome, sorted (startedAt, durationMs, outcome) and paginated",
        params: nameParams,
        querystring: {
          type: "object",
          properties: { outcome: { type: "string", enum: ["passed", "failed"] }, ...PAGING_QUERY },
        },
        response: { 200: pageSchema(runSchema) },
      },
    },
    async (request) => {
      const { outcome, ...paging } = request.query;
      const pageRequest = parsePageRequest(paging, RUN_SORTS, { field: "startedAt", direction: "desc" });
      const runs = await probes.runs({ probe: request.params.name, outcome }, pageRequest);
      return {
        items: runs.rows.map(presentStoredRun),
        total: runs.total,
        page: pageRequest.page,
        pageSize: pageRequest.pageSize,
      };
    },
  );

  app.get<{ Params: { runId: string } }>(
    "/api/v1/probe-runs/:runId",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary: "One probe run: attempts, step timings, assertion results, console errors",
        params: runParams,
        response: { 200: runSchema },
      },
    },
    async (request) => presentStoredRun(await probes.run(request.params.runId)),
  );

  app.get<{ Params: { runId: string } }>(
    "/api/v1/probe-runs/:runId/screenshot",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary: "Screenshot of the page when a browser probe run failed (PNG)",
        params: runParams,
      },
    },
    async (request, reply) => {
      const image = await probes.screenshot(request.params.runId);
      return reply.type("image/png").header("cache-control", "private, max-age=3600").send(image);
    },
  );
}
