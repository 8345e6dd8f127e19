import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, ingestHeaders, startTestApp, stepEvent, type TestApp } from "../../../test/harness.js";

let vigie: TestApp;
let base: string;

beforeAll(async () => {
  vigie = await startTestApp();
  base = await vigie.listen();
});

afterAll(async () => {
  await vigie?.close();
});

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
