import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  ingestHeaders,
  startTestApp,
  stepEvent,
  TEST_JOURNEYS,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";

let vigie: TestApp;
let base: string;

beforeAll(async () => {
  vigie = await startTestApp(
    testConfig({ journeys: [TEST_JOURNEYS[0], { ...TEST_JOURNEYS[0], key: "acknowledged" }] }),
  );
  base = await vigie.listen();
});

afterAll(async () => {
  await vigie?.close();
});

/** Four failed probe runs at the first step over the last 40 minutes: enough for the probe to be down. */
function failingProbeRuns(journey: string) {
  return [40, 30, 20, 10].map((minutesAgo, k) =>
    stepEvent(
      { source: "/probes", time: new Date(Date.now() - minutesAgo * 60_000).toISOString() },
      {
        journey,
        runId: `${journey}-probe-${k}`,
        step: "landing",
        outcome: "error",
        synthetic: true,
        error: { code: "TIMEOUT" },
      },
    ),
  );
}

/** Reads a server-sent event stream until a `change` message arrives; returns its data. */
async function nextChange(body: ReadableStream<Uint8Array>): Promise<{ journeys: string[]; at: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended before a change");
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split("\n\n");
      buffer = frames.pop() ?? "";
      for (const frame of frames) {
        if (!frame.includes("event: change")) continue;
        const data = frame.split("\n").find((line) => line.startsWith("data: "));
        if (data) return JSON.parse(data.slice(6));
      }
    }
  } finally {
    reader.releaseLock();
  }
}

describe("live updates", () => {
  it("tells a connected browser which journey changed as soon as its events are stored", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/live`, {
      headers: { ...(await authHeaders(vigie, "viewer")), accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const change = nextChange(response.body!);
    const ingest = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: ingestHeaders("application/cloudevents-batch+json"),
      body: JSON.stringify([stepEvent({}, { runId: "live-1" })]),
    });
    expect(ingest.status).toBeLessThan(300);
    expect((await change).journeys).toEqual(["cco-subscription"]);
    controller.abort();
  });

  it("tells a connected browser when the analytics pass finds the journey's probe down and opens an incident", async () => {
    const headers = { ...(await authHeaders(vigie, "viewer")), accept: "text/event-stream" };
    const controller = new AbortController();
    const before = await fetch(`${base}/api/v1/live`, { headers, signal: controller.signal });
    const stored = nextChange(before.body!);
    await vigie.events.ingest(failingProbeRuns("cco-subscription"));
    await stored; // the notice of the stored events went to the connections open then
    const after = await fetch(`${base}/api/v1/live`, { headers, signal: controller.signal });
    const passed = nextChange(after.body!);
    const pass = await vigie.analytics.pass.run();
    expect(pass.changed).toContain("cco-subscription");
    expect((await passed).journeys).toContain("cco-subscription");
    expect((await vigie.analytics.pass.run()).changed).not.toContain("cco-subscription");
    controller.abort();
  });

  it("tells a connected browser when someone acknowledges one of the journey's incidents", async () => {
    await vigie.events.ingest(failingProbeRuns("acknowledged"));
    await vigie.analytics.pass.run();
    const incidents = await vigie.app.inject({
      url: "/api/v1/incidents?journey=acknowledged",
      headers: await authHeaders(vigie, "viewer"),
    });
    const [incident] = incidents.json().items;
    const controller = new AbortController();
    const stream = await fetch(`${base}/api/v1/live`, {
      headers: { ...(await authHeaders(vigie, "viewer")), accept: "text/event-stream" },
      signal: controller.signal,
    });
    const change = nextChange(stream.body!);
    const acknowledged = await vigie.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/acknowledge`,
      headers: await authHeaders(vigie, "operator"),
    });
    expect(acknowledged.statusCode).toBe(200);
    expect((await change).journeys).toEqual(["acknowledged"]);
    controller.abort();
  });

  it("refuses a live connection opened by a page of another origin", async () => {
    const response = await fetch(`${base}/api/v1/live`, {
      headers: { ...(await authHeaders(vigie, "viewer")), origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect((await response.json()).code).toBe("cross_site_request");
  });

  it("accepts a live connection from the server's own origin", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/live`, {
      headers: { ...(await authHeaders(vigie, "viewer")), origin: base },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    controller.abort();
  });
});
