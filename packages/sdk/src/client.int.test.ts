import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, TEST_INGEST_KEY, type TestApp } from "../../../apps/server/test/harness.js";
import { createVigieClient, type VigieClientOptions, type VigieSdkError } from "./index.js";

// The SDK is tested against a real Vigie on a real PostgreSQL. A small proxy in front of it plays
// the network: it forwards, answers 503 instead, drops the connection, or forwards and then drops
// the answer (the server committed, the client believes it failed).
type Mode = "forward" | "503" | "reset" | "forward-then-reset";

let vigie: TestApp;
let vigieUrl: string;
let proxy: Server;
let proxyUrl: string;
let plan: Mode[] = [];
let requests: { events: number }[] = [];

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(request: IncomingMessage, response: ServerResponse) {
  const body = await readBody(request);
  requests.push({ events: (JSON.parse(body.toString()) as unknown[]).length });
  const mode = plan.shift() ?? "forward";
  if (mode === "503") {
    response.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
    response.end(JSON.stringify({ status: 503, code: "service_unavailable" }));
    return;
  }
  if (mode === "reset") {
    request.socket.destroy();
    return;
  }
  const upstream = await fetch(`${vigieUrl}${request.url}`, {
    method: "POST",
    headers: {
      authorization: String(request.headers.authorization),
      "content-type": "application/cloudevents-batch+json",
    },
    body: body.toString(),
  });
  const text = await upstream.text();
  if (mode === "forward-then-reset") {
    request.socket.destroy();
    return;
  }
  response.writeHead(upstream.status, {
    "content-type": upstream.headers.get("content-type") ?? "application/json",
  });
  response.end(text);
}

beforeAll(async () => {
  vigie = await startTestApp();
  vigieUrl = await vigie.listen();
  proxy = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await vigie?.close();
});

let sourceCounter = 0;

/** A client of its own source (so each test counts only its events), fast retries, no exit hook. */
function client(options: Partial<VigieClientOptions> = {}) {
  sourceCounter += 1;
  const errors: VigieSdkError[] = [];
  const source = `sdk-test-${sourceCounter}`;
  const sdk = createVigieClient({
    url: proxyUrl,
    apiKey: TEST_INGEST_KEY,
    source,
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    flushIntervalMs: 60_000,
    flushOnExit: false,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { sdk, source, errors };
}

async function storedEvents(source: string) {
  return vigie.database.db
    .selectFrom("events")
    .select(["id", "run_id", "step", "outcome", "duration_ms", "error_code"])
    .where("source", "=", source)
    .orderBy("time")
    .execute();
}

function emitRuns(sdk: ReturnType<typeof client>["sdk"], count: number, prefix = "run") {
  for (let i = 0; i < count; i += 1) {
    sdk.run("cco-subscription", `${prefix}-${i}`).step("identity").ok({ durationMs: i });
  }
}

describe("Vigie SDK against the real server", () => {
  it("sends events in batches of batchSize", async () => {
    const { sdk, source } = client({ batchSize: 100 });
    requests = [];
    emitRuns(sdk, 250);
    await sdk.flush();
    expect(requests.map((r) => r.events)).toEqual([100, 100, 50]);
    expect(await storedEvents(source)).toHaveLength(250);
    expect(sdk.stats()).toMatchObject({ sent: 250, buffered: 0, failedAttempts: 0 });
  });

  it("sends a partial batch once the flush interval has passed", async () => {
    const { sdk, source } = client({ flushIntervalMs: 20 });
    emitRuns(sdk, 3);
    await expect.poll(() => storedEvents(source).then((rows) => rows.length)).toBe(3);
    await sdk.shutdown();
  });

  it("retries after a 5xx answer until the events are stored", async () => {
    const { sdk, source, errors } = client({ flushIntervalMs: 10 });
    plan = ["503", "503"];
    emitRuns(sdk, 5);
    await expect.poll(() => storedEvents(source).then((rows) => rows.length)).toBe(5);
    expect(sdk.stats().failedAttempts).toBe(2);
    expect(errors.filter((e) => e.kind === "http" && e.status === 503)).toHaveLength(2);
    await sdk.shutdown();
  });

  it("retries after a network error until the events are stored", async () => {
    const { sdk, source, errors } = client({ flushIntervalMs: 10 });
    plan = ["reset"];
    emitRuns(sdk, 4);
    await expect.poll(() => storedEvents(source).then((rows) => rows.length)).toBe(4);
    expect(errors.some((e) => e.kind === "network")).toBe(true);
    await sdk.shutdown();
  });

  it("never stores an event twice when an answer is lost after the server committed", async () => {
    const { sdk, source } = client({ flushIntervalMs: 10 });
    plan = ["forward-then-reset"];
    requests = [];
    emitRuns(sdk, 6);
    await expect.poll(() => sdk.stats().sent).toBe(6);
    expect(requests.map((r) => r.events)).toEqual([6, 6]);
    const rows = await storedEvents(source);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.id)).size).toBe(6);
    await sdk.shutdown();
  });

  it("keeps at most maxBufferedEvents, dropping the oldest and counting them", async () => {
    const { sdk, source, errors } = client({ maxBufferedEvents: 10, batchSize: 100 });
    emitRuns(sdk, 25);
    expect(sdk.stats()).toMatchObject({ buffered: 10, dropped: 15 });
    expect(errors.filter((e) => e.kind === "buffer-full")).toHaveLength(1);
    await sdk.flush();
    const rows = await storedEvents(source);
    expect(rows.map((r) => r.run_id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `run-${i + 15}`).sort(),
    );
  });

  it("sends what is buffered when shut down", async () => {
    const { sdk, source } = client({ flushIntervalMs: 3_600_000 });
    emitRuns(sdk, 7);
    const stats = await sdk.shutdown();
    expect(stats).toMatchObject({ sent: 7, buffered: 0, lostOnShutdown: 0 });
    expect(await storedEvents(source)).toHaveLength(7);
  });

  it("counts as lost what it cannot send before the shutdown timeout", async () => {
    const { sdk } = client({ url: "http://127.0.0.1:9", retryDelayMs: 10 });
    emitRuns(sdk, 3);
    const stats = await sdk.shutdown({ timeoutMs: 100 });
    expect(stats).toMatchObject({ lostOnShutdown: 3, buffered: 0, sent: 0 });
  });

  it("resends the valid events of a batch without those the server refused", async () => {
    const { sdk, source, errors } = client();
    const run = sdk.run("cco-subscription", "mixed");
    run.step("identity").ok();
    run.step("no-such-step").ok();
    run.step("contact").ok();
    await sdk.flush();
    await sdk.flush();
    expect((await storedEvents(source)).map((r) => r.step).sort()).toEqual(["contact", "identity"]);
    expect(sdk.stats()).toMatchObject({ sent: 2, rejected: 1 });
    expect(errors.some((e) => e.kind === "rejected")).toBe(true);
  });

  it("records durations, errors and business refusals of steps", async () => {
    let clock = Date.parse("2026-01-05T10:00:00Z");
    const { sdk, source } = client({ now: () => new Date(clock) });
    const run = sdk.run("cco-subscription", "steps");
    const identity = run.step("identity").start();
    clock += 1500;
    identity.error("KYC_TIMEOUT", "identity service timed out");
    run.step("offer").rejected("INCOME_TOO_LOW");
    await sdk.flush();
    const rows = await storedEvents(source);
    expect(
      rows.map(({ step, outcome, duration_ms, error_code }) => ({ step, outcome, duration_ms, error_code })),
    ).toEqual([
      { step: "identity", outcome: "started", duration_ms: null, error_code: null },
      { step: "identity", outcome: "error", duration_ms: 1500, error_code: "KYC_TIMEOUT" },
      { step: "offer", outcome: "rejected", duration_ms: null, error_code: "INCOME_TOO_LOW" },
    ]);
  });

  it("stores the prospect's details attached to a run", async () => {
    const { sdk } = client();
    const run = sdk.run("cco-subscription", `prospect-${Date.now()}`);
    run.prospect({ firstName: "Léa", email: "lea@example.fr", consentToCall: true }).step("contact").ok();
    await sdk.flush();
    const row = await vigie.database.db
      .selectFrom("prospects")
      .select("details")
      .where("run_id", "=", run.runId)
      .executeTakeFirstOrThrow();
    expect(row.details).toEqual({ firstName: "Léa", email: "lea@example.fr", consentToCall: true });
  });
});
