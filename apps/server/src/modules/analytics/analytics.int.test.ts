import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  startTestApp,
  stepEvent,
  TEST_JOURNEYS,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";

let vigie: TestApp;
let headers: Record<string, string>;
const STEPS = TEST_JOURNEYS[0]!.steps.map((s) => s.key);

beforeAll(async () => {
  vigie = await startTestApp(
    testConfig({
      journeys: [
        TEST_JOURNEYS[0],
        { ...TEST_JOURNEYS[0], key: "savings", errorRate: { threshold: 0.5, minAttempts: 3 } },
        { ...TEST_JOURNEYS[0], key: "late-probes" },
        { ...TEST_JOURNEYS[0], key: "idle" },
      ],
    }),
  );
  headers = await authHeaders(vigie, "viewer");
});
afterAll(async () => {
  await vigie?.close();
});

async function get(url: string) {
  const response = await vigie.app.inject({ method: "GET", url, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;

/** A probe run that walks the journey and fails at `failAt` (or completes). */
function probeRun(journey: string, runId: string, startMsAgo: number, failAt?: string) {
  const events: Record<string, unknown>[] = [];
  for (const [i, step] of STEPS.entries()) {
    const failed = step === failAt;
    events.push(
      stepEvent(
        { source: "/probes", time: ago(startMsAgo - i * 1000) },
        {
          journey,
          runId,
          step,
          outcome: failed ? "error" : "ok",
          synthetic: true,
          ...(failed ? { error: { code: "TIMEOUT" } } : {}),
        },
      ),
    );
    if (failed) break;
  }
  return events;
}

describe("analytics", () => {
  it("neither deadlocks nor loses an update when concurrent requests touch the same runs", async () => {
    const runs = ["a", "b", "c", "d", "e"].map((r) => `concurrent-${r}`);
    const requests = Array.from({ length: 12 }, (_, k) =>
      [...runs]
        .sort(() => (k % 2 ? 1 : -1))
        .map((runId, i) =>
          stepEvent({ time: ago(MIN + k * 1000 + i) }, { runId, step: "landing", outcome: "ok" }),
        ),
    );
    await Promise.all(requests.map((events) => vigie.events.ingest(events)));
    for (const runId of runs) {
      const run = await get(`/api/v1/runs/cco-subscription/${runId}`);
      expect(run.events).toHaveLength(12);
    }
    const availability = await get(
      `/api/v1/journeys/cco-subscription/availability?from=${ago(10 * MIN)}&bucket=hour&method=traffic`,
    );
    expect(availability.steps[0].total.traffic.good).toBe(60);
  });

  it("abandons a run without activity within its conversion window at the next pass", async () => {
    const journey = "idle";
    await vigie.events.ingest([
      stepEvent({ time: ago(30 * MIN) }, { journey, runId: "idle-1", step: "landing", outcome: "ok" }),
      stepEvent({ time: ago(29 * MIN) }, { journey, runId: "idle-1", step: "identity", outcome: "ok" }),
    ]);
    const url = `/api/v1/journeys/${journey}/funnel?from=${ago(2 * 3_600_000)}&to=${ago(-3_600_000)}`;
    expect((await get(url)).figures.steps[1].dropOff.inProgress).toBe(1);
    await vigie.analytics.pass.run({ now: Date.now() + 86_400_000 });
    const funnel = await get(url);
    expect(funnel.figures.steps[1].dropOff).toEqual({
      technicalFailure: 0,
      businessRejection: 0,
      abandonment: 1,
      inProgress: 0,
    });
    expect((await get(`/api/v1/runs/${journey}/idle-1`)).outcome).toBe("abandoned");
  });

  it("shows a journey down, opens an incident and flags divergence when probes fail while prospects get through", async () => {
    const journey = "savings";
    for (const [k, minutesAgo] of [40, 30, 20, 10].entries()) {
      await vigie.events.ingest(probeRun(journey, `savings-probe-${k}`, minutesAgo * MIN, "identity"));
    }
    for (let i = 0; i < 4; i++) {
      await vigie.events.ingest([
        stepEvent(
          { time: ago(5 * MIN + i) },
          { journey, runId: `savings-real-${i}`, step: "identity", outcome: "ok" },
        ),
      ]);
    }
    await vigie.analytics.pass.run();
    const board = await get("/api/v1/board");
    const item = board.journeys.find((j: { key: string }) => j.key === journey);
    expect(item.state).toBe("down");
    expect(item.probe.state).toBe("down");
    expect(item.probe.failingStep).toBe("identity");
    expect(item.openIncidents).toBe(1);
    const divergence = await get(`/api/v1/journeys/${journey}/divergence`);
    expect(divergence.diverges).toBe(true);
    expect(divergence.steps.find((s: { step: string }) => s.step === "identity")).toMatchObject({
      probe: "down",
      traffic: "ok",
      diverges: true,
    });
    const incidents = await get(`/api/v1/incidents?journey=${journey}&status=open`);
    expect(incidents.items[0]).toMatchObject({ failingStep: "identity", seenBy: ["probes"], endedAt: null });
  });

  it("replays the probe state when a late probe run breaks a streak of failures", async () => {
    const journey = "late-probes";
    await vigie.events.ingest(probeRun(journey, "late-0", 13 * MIN, "contact"));
    await vigie.events.ingest(probeRun(journey, "late-1", 10 * MIN, "contact"));
    await vigie.events.ingest(probeRun(journey, "late-3", 4 * MIN, "contact"));
    await vigie.analytics.pass.run();
    let board = await get("/api/v1/board");
    expect(board.journeys.find((j: { key: string }) => j.key === journey).probe.state).toBe("down");
    // the run of 7 minutes ago succeeded but its events arrive only now
    await vigie.events.ingest(probeRun(journey, "late-2", 7 * MIN));
    await vigie.analytics.pass.run();
    board = await get("/api/v1/board");
    expect(board.journeys.find((j: { key: string }) => j.key === journey).probe.state).toBe("up");
    const availability = await get(
      `/api/v1/journeys/${journey}/availability?from=${ago(60 * MIN)}&method=time`,
    );
    expect(availability.journeyLevel.total.time.downSeconds).toBe(0);
  });

  it("refuses an unknown timezone with a problem", async () => {
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys/cco-subscription/availability?tz=Mars/Olympus",
      headers,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("validation_failed");
  });

  it("answers volumes for October in Paris (31 days and the hour of the clock change), not for 32 days", async () => {
    const october = "from=2026-09-30T22:00:00Z&to=2026-10-31T23:00:00Z";
    const month = await get(`/api/v1/journeys/cco-subscription/volumes?${october}`);
    expect(month.journey).toBe("cco-subscription");
    const longer = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/journeys/cco-subscription/volumes?from=2026-09-30T22:00:00Z&to=2026-11-01T23:00:00Z",
      headers,
    });
    expect(longer.statusCode).toBe(400);
    expect(longer.headers["content-type"]).toContain("application/problem+json");
  });

  it("answers 404 for an unknown journey", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/api/v1/journeys/nope/funnel", headers });
    expect(response.statusCode).toBe(404);
  });
});
