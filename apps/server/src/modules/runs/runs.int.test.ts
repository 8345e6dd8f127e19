import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, stepEvent, type TestApp } from "../../../test/harness.js";

let vigie: TestApp;
beforeAll(async () => {
  vigie = await startTestApp();
});
afterAll(async () => {
  await vigie?.close();
});

const base = Date.now();
const at = (minutesAgo: number) => new Date(base - minutesAgo * 60_000).toISOString();

function runEvents(runId: string, steps: [string, string, number][], extra: Record<string, unknown> = {}) {
  return steps.map(([step, outcome, minutesAgo], i) =>
    stepEvent(
      { id: `${runId}-${i}`, time: at(minutesAgo) },
      { runId, step, outcome, attributes: { product: "cco", channel: "web" }, ...extra },
    ),
  );
}

async function run(runId: string) {
  const response = await vigie.app.inject({
    method: "GET",
    url: `/api/v1/runs/cco-subscription/${runId}`,
    headers: await authHeaders(vigie, "viewer"),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe("runs", () => {
  it("gives the same run whatever the order the events arrive in", async () => {
    const steps: [string, string, number][] = [
      ["landing", "ok", 30],
      ["identity", "error", 29],
      ["identity", "ok", 28],
      ["contact", "ok", 27],
      ["offer", "rejected", 26],
    ];
    const inOrder = runEvents("ordered", steps);
    await vigie.events.ingest(inOrder);
    const shuffled = runEvents("shuffled", steps);
    for (const event of [shuffled[4], shuffled[2], shuffled[0], shuffled[3], shuffled[1]]) {
      await vigie.events.ingest([event]);
    }
    const a = await run("ordered");
    const b = await run("shuffled");
    expect(a.outcome).toBe("rejected");
    expect(a.stoppedAtStep).toBe("offer");
    expect(a.recoveredFailure).toBe(true);
    expect({ ...b, runId: "ordered", events: undefined }).toEqual({ ...a, events: undefined });
  });

  it("changes nothing when an event is sent again", async () => {
    const events = runEvents("replayed", [
      ["landing", "ok", 20],
      ["identity", "error", 19],
    ]);
    await vigie.events.ingest(events);
    const before = await run("replayed");
    const result = await vigie.events.ingest(events);
    expect(result).toEqual({ accepted: 0, duplicates: 2 });
    expect(await run("replayed")).toEqual(before);
    expect(before.outcome).toBe("failed");
    expect(before.errorCode).toBe(null);
  });

  it("lists runs filtered by outcome, sorted and paginated", async () => {
    for (let i = 0; i < 3; i++) {
      await vigie.events.ingest(
        runEvents(`listed-${i}`, [["landing", "error", 10 - i]], { error: { code: "E42" } }),
      );
    }
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/runs?journey=cco-subscription&errorCode=E42&sort=startedAt:asc&pageSize=2&page=2",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.total).toBe(3);
    expect(page.items.map((r: { runId: string }) => r.runId)).toEqual(["listed-2"]);
    expect(page.items[0]).toMatchObject({ outcome: "failed", errorCode: "E42", stoppedAtStep: "landing" });
  });

  it("refuses an unknown sort field with a problem", async () => {
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/runs?sort=secret:asc",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });
});
