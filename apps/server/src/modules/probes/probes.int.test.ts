import { sql } from "kysely";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp, testConfig } from "../../../test/harness.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { createProbesRepository } from "./repository.js";
import { createProbeScheduler } from "./scheduler.js";
import { createProbesService } from "./service.js";
import { probeFrom, startLocalServer } from "./test-support.js";

let vigie: TestApp;
const config = testConfig({
  probes: { scheduler: false, outbound: { allow: ["127.0.0.1"] }, secrets: { TOKEN: "tok-secret-1" } },
});
const journeys = createJourneyCatalogue(config.journeys);
let target: Awaited<ReturnType<typeof startLocalServer>>;
let holding = 0;
let maxHolding = 0;

const PAGE_FAILING = `<!doctype html><html><body><main data-step="landing"><h1>Bienvenue</h1></main>
<script>console.error("offre indisponible: 503")</script></body></html>`;

beforeAll(async () => {
  target = await startLocalServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname === "/hold") {
      holding += 1;
      maxHolding = Math.max(maxHolding, holding);
      await new Promise((r) => setTimeout(r, 300));
      holding -= 1;
    }
    if (url.pathname === "/page") {
      response.writeHead(200, { "content-type": "text/html" });
      return response.end(PAGE_FAILING);
    }
    response.writeHead(url.pathname === "/down" ? 503 : 200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ok: true, id: "p-7" }));
  });
  vigie = await startTestApp(config);
});
afterAll(async () => {
  await vigie?.close();
  await target?.close();
});

function httpProbe(name: string, path = "/ok", extra: Record<string, unknown> = {}) {
  return probeFrom(
    {
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        { step: "landing", request: { url: `{{baseUrl}}${path}` }, assert: [{ status: 200 }] },
        {
          step: "identity",
          request: { url: "{{baseUrl}}/ok" },
          assert: [{ jsonPath: { path: "$.id", equals: "p-7" } }],
        },
      ],
      ...extra,
    },
    name,
  );
}

describe("probes API", () => {
  it("lists the probes with their schedule", async () => {
    await vigie.probes.service.setProbes([httpProbe("listed")]);
    const response = await vigie.app.inject({
      url: "/api/v1/probes",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(200);
    const listed = response.json().items.find((p: { name: string }) => p.name === "listed");
    expect(listed).toMatchObject({
      kind: "http",
      journey: "cco-subscription",
      schedule: { every: 60_000 },
      paused: false,
      steps: [{ step: "landing" }, { step: "identity" }],
      lastOutcome: null,
    });
    expect(Date.parse(listed.nextRunAt)).toBeGreaterThan(Date.now() - 1000);
  });

  it("filters, sorts and pages the probe list on the server, with each probe's last outcome", async () => {
    await vigie.probes.service.setProbes([
      httpProbe("list-a-ok"),
      httpProbe("list-b-down", "/down"),
      httpProbe("list-c-down", "/down"),
      httpProbe("list-d-never"),
    ]);
    for (const name of ["list-a-ok", "list-b-down", "list-c-down"]) await vigie.probes.service.runNow(name);
    const headers = await authHeaders(vigie, "viewer");
    const failing = await vigie.app.inject({
      url: "/api/v1/probes?state=failing&sort=name:desc&pageSize=1",
      headers,
    });
    expect(failing.statusCode).toBe(200);
    expect(failing.json()).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(failing.json().items).toMatchObject([
      {
        name: "list-c-down",
        lastOutcome: "failed",
        lastFailedStep: "landing",
        lastErrorCode: "assertion_failed",
      },
    ]);
    const second = await vigie.app.inject({
      url: "/api/v1/probes?state=failing&sort=name:desc&pageSize=1&page=2",
      headers,
    });
    expect(second.json().items.map((p: { name: string }) => p.name)).toEqual(["list-b-down"]);
    const never = await vigie.app.inject({ url: "/api/v1/probes?state=never-run&search=LIST", headers });
    expect(never.json().items.map((p: { name: string }) => p.name)).toEqual(["list-d-never"]);
    const byOutcome = await vigie.app.inject({ url: "/api/v1/probes?sort=lastOutcome:asc", headers });
    expect(byOutcome.json().items.map((p: { lastOutcome: string | null }) => p.lastOutcome)).toEqual([
      "failed",
      "failed",
      "passed",
      null,
    ]);
  });

  it("refuses an unknown sort field of the probe list with a problem", async () => {
    const response = await vigie.app.inject({
      url: "/api/v1/probes?sort=file:asc",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("pages a probe's runs on the server, filtered by outcome and sorted by duration", async () => {
    await vigie.probes.service.setProbes([httpProbe("paged", "/ok"), httpProbe("paged-other")]);
    for (let i = 0; i < 3; i += 1) await vigie.probes.service.runNow("paged");
    await vigie.probes.service.runNow("paged-other");
    const headers = await authHeaders(vigie, "viewer");
    const first = await vigie.app.inject({ url: "/api/v1/probes/paged/runs?pageSize=2", headers });
    expect(first.json()).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    const started = first.json().items.map((r: { startedAt: string }) => Date.parse(r.startedAt));
    expect(started[0]).toBeGreaterThanOrEqual(started[1]);
    const byDuration = await vigie.app.inject({
      url: "/api/v1/probes/paged/runs?sort=durationMs:asc&outcome=passed",
      headers,
    });
    const durations = byDuration.json().items.map((r: { durationMs: number }) => r.durationMs);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    expect(byDuration.json().items.every((r: { probe: string }) => r.probe === "paged")).toBe(true);
    const failed = await vigie.app.inject({ url: "/api/v1/probes/paged/runs?outcome=failed", headers });
    expect(failed.json()).toMatchObject({ total: 0, items: [] });
  });

  it("runs a probe now and keeps its step timings, readable via the API", async () => {
    await vigie.probes.service.setProbes([httpProbe("run-now")]);
    const headers = await authHeaders(vigie, "operator");
    const run = await vigie.app.inject({ method: "POST", url: "/api/v1/probes/run-now/runs", headers });
    expect(run.statusCode).toBe(201);
    const { runId } = run.json();
    const stored = await vigie.app.inject({ url: `/api/v1/probe-runs/${runId}`, headers });
    expect(stored.json()).toMatchObject({
      probe: "run-now",
      outcome: "passed",
      trigger: "manual",
      error: null,
    });
    const steps = stored.json().attempts[0].steps;
    expect(steps.map((s: { step: string }) => s.step)).toEqual(["landing", "identity"]);
    expect(steps.every((s: { durationMs: number }) => s.durationMs >= 0)).toBe(true);
    const list = await vigie.app.inject({ url: "/api/v1/probes/run-now/runs", headers });
    expect(list.json().items.map((r: { runId: string }) => r.runId)).toEqual([runId]);
  });

  it("keeps assertion failures with the run", async () => {
    await vigie.probes.service.setProbes([httpProbe("failing", "/down")]);
    const headers = await authHeaders(vigie, "operator");
    const run = await vigie.app.inject({ method: "POST", url: "/api/v1/probes/failing/runs", headers });
    const stored = await vigie.app.inject({ url: `/api/v1/probe-runs/${run.json().runId}`, headers });
    expect(stored.json()).toMatchObject({
      outcome: "failed",
      failedStep: "landing",
      error: { code: "assertion_failed", message: "expected status = 200, got 503" },
    });
    expect(stored.json().attempts[0].steps[0].assertions).toEqual([
      { assertion: "status = 200", passed: false, actual: "503" },
    ]);
  });

  it("turns a run into synthetic step events that the analytics count as a synthetic run", async () => {
    await vigie.probes.service.setProbes([httpProbe("analytics")]);
    const result = await vigie.probes.service.runNow("analytics");
    const events = await vigie.database.db
      .selectFrom("events")
      .select(["step", "outcome", "synthetic", "source"])
      .where("run_id", "=", result.runId)
      .orderBy("step")
      .orderBy("outcome")
      .execute();
    expect(events).toEqual([
      { step: "identity", outcome: "ok", synthetic: true, source: "/vigie/probes/analytics" },
      { step: "identity", outcome: "started", synthetic: true, source: "/vigie/probes/analytics" },
      { step: "landing", outcome: "ok", synthetic: true, source: "/vigie/probes/analytics" },
      { step: "landing", outcome: "started", synthetic: true, source: "/vigie/probes/analytics" },
    ]);
    const runs = await sql<{ synthetic: boolean }>`
      SELECT synthetic FROM runs WHERE journey = 'cco-subscription' AND run_id = ${result.runId}`.execute(
      vigie.database.db,
    );
    expect(runs.rows).toEqual([{ synthetic: true }]);
  });

  it("pauses and resumes a probe's schedule", async () => {
    await vigie.probes.service.setProbes([httpProbe("pausable")]);
    const headers = await authHeaders(vigie, "operator");
    const paused = await vigie.app.inject({ method: "POST", url: "/api/v1/probes/pausable/pause", headers });
    expect(paused.json().paused).toBe(true);
    const resumed = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/probes/pausable/resume",
      headers,
    });
    expect(resumed.json().paused).toBe(false);
  });

  it("refuses to run a probe that is already running elsewhere", async () => {
    await vigie.probes.service.setProbes([httpProbe("busy")]);
    const repository = createProbesRepository(vigie.database.db);
    await repository.acquire("busy", "other-instance", new Date(), new Date(Date.now() + 60_000));
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/probes/busy/runs",
      headers: await authHeaders(vigie, "operator"),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe("probe_busy");
  });

  it("answers 404 as a problem for an unknown probe", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/probes/nope/runs",
      headers: await authHeaders(vigie, "operator"),
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });

  it("does not let a viewer run a probe", async () => {
    await vigie.probes.service.setProbes([httpProbe("viewer-run")]);
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/probes/viewer-run/runs",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(403);
  });

  it("keeps a failed browser run's screenshot and console errors, readable via the API", async () => {
    const probe = probeFrom(
      {
        kind: "browser",
        journey: "cco-subscription",
        schedule: { every: "5m" },
        timeout: "20s",
        variables: { baseUrl: target.url },
        run: async ({ page, step, expect: check, vars }) => {
          await step("landing", async () => {
            await page.goto(`${vars.baseUrl}/page`);
            await check(page.getByRole("heading")).toHaveText("Au revoir", { timeout: 500 });
          });
        },
      },
      "browser-failing",
    );
    await vigie.probes.service.setProbes([probe]);
    const headers = await authHeaders(vigie, "operator");
    const run = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/probes/browser-failing/runs",
      headers,
    });
    const body = run.json();
    expect(body).toMatchObject({
      outcome: "failed",
      failedStep: "landing",
      error: { code: "assertion_failed" },
    });
    expect(body.consoleErrors).toContain("offre indisponible: 503");
    const image = await vigie.app.inject({ url: body.screenshot, headers });
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.rawPayload.subarray(1, 4).toString()).toBe("PNG");
  });
});

describe("probe scheduler", () => {
  it("keeps a probe's planned start through a restart", async () => {
    const probe = httpProbe("restart");
    await vigie.probes.service.setProbes([probe]);
    const [before] = await createProbesRepository(vigie.database.db).schedules(["restart"]);
    const restarted = createProbesService({
      config: config.probes,
      journeys,
      events: vigie.events,
      repository: createProbesRepository(vigie.database.db),
      guard: vigie.probes.guard,
      browsers: vigie.probes.browsers,
      now: () => new Date(Date.now() + 3_600_000),
    });
    await restarted.setProbes([probe]);
    const [after] = await createProbesRepository(vigie.database.db).schedules(["restart"]);
    expect(after!.next_run_at).toEqual(before!.next_run_at);
  });

  it("never runs a probe twice at once across two instances, and measures its jitter", async () => {
    const probe = httpProbe("shared", "/hold", { schedule: { every: "1s" } });
    const repository = createProbesRepository(vigie.database.db);
    const registries = [new Registry(), new Registry()];
    const runs: { scheduledAt: number; jitterMs: number }[] = [];
    let done: () => void;
    const threeRuns = new Promise<void>((resolve) => {
      done = resolve;
    });
    const instances = [0, 1].map((index) => {
      const service = createProbesService({
        config: config.probes,
        journeys,
        events: vigie.events,
        repository,
        guard: vigie.probes.guard,
        browsers: vigie.probes.browsers,
      });
      const scheduler = createProbeScheduler(service, repository, {
        tickMs: 50,
        registry: registries[index]!,
        onRun: (run) => {
          runs.push({ scheduledAt: run.scheduledAt.getTime(), jitterMs: run.jitterMs });
          if (runs.length >= 3) done();
        },
      });
      return { service, scheduler };
    });
    for (const { service } of instances) await service.setProbes([probe]);
    for (const { scheduler } of instances) scheduler.start();
    await threeRuns;
    await Promise.all(instances.map(({ scheduler }) => scheduler.stop()));
    await Promise.all(instances.map(({ service }) => service.drain()));
    expect(maxHolding).toBe(1);
    expect(new Set(runs.map((r) => r.scheduledAt)).size).toBe(runs.length);
    let observed = 0;
    for (const registry of registries) {
      const text = await registry.getSingleMetricAsString("vigie_probe_schedule_jitter_seconds");
      observed += Number(
        /vigie_probe_schedule_jitter_seconds_count\{kind="http"\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    }
    expect(observed).toBe(runs.length);
  });
});
