import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboundGuard } from "../../net/outbound-guard.js";
import { runProbe } from "./run-probe.js";
import { probeFrom, startLocalServer } from "./test-support.js";

const STEPS = new Set([
  "landing",
  "identity",
  "contact",
  "offer",
  "documents",
  "signature",
  "account-opened",
]);
const guard = createOutboundGuard({ allow: ["127.0.0.1"] });
const secrets = { BANK_TOKEN: "s3cr3t-token-value" };
const deps = { guard, secrets, journeySteps: () => STEPS };

let target: Awaited<ReturnType<typeof startLocalServer>>;
const flakyCalls = new Map<string, number>();
const deleted: string[] = [];

beforeAll(async () => {
  target = await startLocalServer(async (request, response, body) => {
    const url = new URL(request.url ?? "/", "http://x");
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(payload));
    };
    if (request.method === "POST" && url.pathname === "/prospects") {
      const input = JSON.parse(body || "{}") as { email?: string };
      return send(
        201,
        { prospect: { id: "p-42", email: input.email } },
        { "x-token": "tok-1", "set-cookie": "sid=abc; Path=/" },
      );
    }
    if (request.method === "GET" && url.pathname === "/prospects/p-42") {
      const ok = request.headers["x-token"] === "tok-1" && request.headers.cookie === "sid=abc";
      return send(ok ? 200 : 401, { id: "p-42", step: "identity" });
    }
    if (url.pathname === "/welcome") {
      response.writeHead(200, { "content-type": "text/html" });
      return response.end("<h1>Bienvenue</h1>");
    }
    if (url.pathname === "/slow") {
      await new Promise((r) => setTimeout(r, 1500));
      return send(200, {});
    }
    if (url.pathname === "/flaky") {
      const key = url.searchParams.get("key") ?? "";
      const calls = (flakyCalls.get(key) ?? 0) + 1;
      flakyCalls.set(key, calls);
      return send(calls <= Number(url.searchParams.get("failures")) ? 503 : 200, { calls });
    }
    if (url.pathname === "/echo-auth") return send(200, { seen: request.headers.authorization });
    if (request.method === "DELETE" && url.pathname.startsWith("/prospects/")) {
      deleted.push(url.pathname.split("/")[2]!);
      response.writeHead(204);
      return response.end();
    }
    send(404, {});
  });
});
afterAll(async () => {
  await target.close();
  await guard.close();
});

const get = (path: string, extra: Record<string, unknown> = {}) => ({
  request: { url: `{{baseUrl}}${path}` },
  ...extra,
});

describe("HTTP probes", () => {
  it("passes values extracted from one step (JSON, header, cookie) to the next", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        {
          step: "landing",
          request: {
            method: "POST",
            url: "{{baseUrl}}/prospects",
            json: { email: "probe+{{runId}}@example.test" },
          },
          assert: [{ status: 201 }],
          extract: {
            prospectId: { jsonPath: "$.prospect.id" },
            token: { header: "x-token" },
            sid: { cookie: "sid" },
          },
        },
        {
          step: "identity",
          request: { url: "{{baseUrl}}/prospects/{{prospectId}}", headers: { "x-token": "{{token}}" } },
          assert: [{ status: 200 }, { jsonPath: { path: "$.id", equals: "p-42" } }],
        },
      ],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.outcome).toBe("passed");
    expect(result.attempts[0]!.steps.map((s) => [s.step, s.outcome, s.status])).toEqual([
      ["landing", "ok", 201],
      ["identity", "ok", 200],
    ]);
  });

  it("checks each assertion kind and keeps what passed", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        get("/welcome", {
          step: "landing",
          assert: [
            { status: [200, 204] },
            { maxLatency: "5s" },
            { header: { name: "content-type", contains: "html" } },
            { text: { matches: "Bienven(u|ue)" } },
          ],
        }),
        get("/prospects/p-42", {
          step: "identity",
          assert: [{ jsonPath: { path: "$.step", exists: true } }],
        }),
      ],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    const assertions = result.attempts[0]!.steps.flatMap((s) => s.assertions);
    expect(assertions.map((a) => [a.assertion, a.passed])).toEqual([
      ["status = 200 or 204", true],
      ["latency ≤ 5000 ms", true],
      ['header content-type contains "html"', true],
      ["text matches /Bienven(u|ue)/", true],
      ["jsonPath $.step exists", true],
    ]);
  });

  it.each([
    [{ status: 201 }, "expected status = 201, got 200"],
    [{ maxLatency: 0 }, "expected latency ≤ 0 ms"],
    [
      { header: { name: "content-type", equals: "text/plain" } },
      'expected header content-type = "text/plain", got text/html',
    ],
    [{ jsonPath: { path: "$.id", exists: true } }, "expected jsonPath $.id exists, got not JSON"],
    [{ text: { contains: "Au revoir" } }, 'expected text contains "Au revoir", got <h1>Bienvenue</h1>'],
  ])("fails a step whose assertion %j does not hold, saying what was found", async (assertion, message) => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        get("/welcome", { step: "landing", assert: [assertion] }),
        get("/welcome", { step: "identity" }),
      ],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    const attempt = result.attempts[0]!;
    expect(result.outcome).toBe("failed");
    expect(attempt.failedStep).toBe("landing");
    expect(attempt.error?.code).toBe("assertion_failed");
    expect(attempt.error?.message).toContain(message);
    expect(attempt.steps).toHaveLength(1);
  });

  it("fails with a timeout when the target answers too late", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      timeout: "300ms",
      variables: { baseUrl: target.url },
      steps: [get("/slow", { step: "landing" })],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.outcome).toBe("failed");
    expect(result.attempts[0]!.error?.code).toBe("timeout");
  });

  it("retries a failed attempt and passes when the retry succeeds", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      retries: { attempts: 2, delay: "10ms" },
      variables: { baseUrl: target.url },
      steps: [get("/flaky?key=once&failures=1", { step: "landing", assert: [{ status: 200 }] })],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.outcome).toBe("passed");
    expect(result.attempts.map((a) => a.outcome)).toEqual(["failed", "passed"]);
  });

  it("retries as often as allowed, then fails", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      retries: { attempts: 1, delay: "10ms" },
      variables: { baseUrl: target.url },
      steps: [get("/flaky?key=always&failures=9", { step: "landing", assert: [{ status: 200 }] })],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.outcome).toBe("failed");
    expect(result.attempts.map((a) => a.outcome)).toEqual(["failed", "failed"]);
  });

  it("runs the teardown after a failed step, with the values extracted before", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        {
          step: "landing",
          request: { method: "POST", url: "{{baseUrl}}/prospects", json: {} },
          extract: { prospectId: { jsonPath: "$.prospect.id" } },
        },
        get("/welcome", { step: "identity", assert: [{ status: 500 }] }),
      ],
      teardown: [
        {
          name: "delete prospect",
          request: { method: "DELETE", url: "{{baseUrl}}/prospects/{{prospectId}}" },
          assert: [{ status: 204 }],
        },
      ],
    });
    const before = deleted.length;
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.outcome).toBe("failed");
    expect(deleted.slice(before)).toEqual(["p-42"]);
    expect(result.cleanupOk).toBe(true);
    expect(result.attempts[0]!.steps.at(-1)).toMatchObject({ phase: "teardown", outcome: "ok" });
  });

  it("refuses a target the outbound guard does not allow", async () => {
    const strict = createOutboundGuard();
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [get("/welcome", { step: "landing" })],
    });
    const result = await runProbe(probe, { ...deps, guard: strict }, { trigger: "cli" });
    await strict.close();
    expect(result.attempts[0]!.error?.code).toBe("outbound_blocked");
  });

  it("never shows a secret in results, even when the target echoes it", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [
        get("/echo-auth", {
          step: "landing",
          request: {
            url: "{{baseUrl}}/echo-auth",
            headers: { authorization: "Bearer {{secrets.BANK_TOKEN}}" },
          },
          assert: [{ jsonPath: { path: "$.seen", equals: "nothing" } }],
        }),
      ],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    const text = JSON.stringify(result);
    expect(result.attempts[0]!.error?.message).toContain("Bearer [secret]");
    expect(text).not.toContain(secrets.BANK_TOKEN);
  });

  it("fails a step that uses an undefined variable, naming it", async () => {
    const probe = probeFrom({
      journey: "cco-subscription",
      schedule: { every: "1m" },
      variables: { baseUrl: target.url },
      steps: [get("/prospects/{{prospectId}}", { step: "landing" })],
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    expect(result.attempts[0]!.error).toMatchObject({
      code: "unknown_variable",
      message: expect.stringContaining("prospectId"),
    });
  });
});
