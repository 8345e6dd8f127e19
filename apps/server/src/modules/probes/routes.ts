import { relative } from "node:path";
import type { FastifyInstance } from "fastify";
import type { ProbeDefinition } from "./definition.js";
import type { ScheduleRow, StoredRun } from "./repository.js";
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

function presentProbe(probe: ProbeDefinition, schedule: ScheduleRow | undefined, now: Date) {
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

  app.get(
    "/api/v1/probes",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary: "Probes of the probes folder with their schedule, and the files that could not be used",
        response: {
          200: {
            type: "object",
            properties: {
              probes: { type: "array", items: probeSchema },
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
    async () => {
      const now = new Date();
      const list = await probes.list();
      return {
        probes: list.map(({ probe, schedule }) => presentProbe(probe, schedule, now)),
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
    async (request) => {
      const probe = probes.probe(request.params.name);
      const list = await probes.list();
      return presentProbe(probe, list.find((p) => p.probe.name === probe.name)?.schedule, new Date());
    },
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
        const list = await probes.list();
        const entry = list.find((p) => p.probe.name === request.params.name)!;
        return presentProbe(entry.probe, entry.schedule, new Date());
      },
    );
  }

  app.get<{
    Params: { name: string };
    Querystring: { limit: number; before?: string; outcome?: "passed" | "failed" };
  }>(
    "/api/v1/probes/:name/runs",
    {
      config: { access: READERS },
      schema: {
        tags: ["probes"],
        summary: "A probe's runs, newest first",
        params: nameParams,
        querystring: {
          type: "object",
          properties: {
            limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            before: { type: "string", format: "date-time", description: "Runs started before this time" },
            outcome: { type: "string", enum: ["passed", "failed"] },
          },
        },
        response: { 200: { type: "object", properties: { runs: { type: "array", items: runSchema } } } },
      },
    },
    async (request) => {
      probes.probe(request.params.name);
      const { limit, before, outcome } = request.query;
      const runs = await probes.runs({
        probe: request.params.name,
        limit,
        ...(before ? { before: new Date(before) } : {}),
        ...(outcome ? { outcome } : {}),
      });
      return { runs: runs.map(presentStoredRun) };
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
