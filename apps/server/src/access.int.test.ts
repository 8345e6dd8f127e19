import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, readKeyHeaders, startTestApp, TEST_INGEST_KEY, type TestApp } from "../test/harness.js";
import { type Access, ROLES, type Role } from "./access.js";

/**
 * The route × role matrix, generated from the router: every route (as others add them too), every
 * role, anonymous, an ingest key and read keys get exactly the answer the route's declaration says.
 */

type Caller =
  | { kind: "anonymous" }
  | { kind: "session"; role: Role }
  | { kind: "read-key"; role: Role }
  | { kind: "ingest-key" };

type Expected = "allowed" | 401 | 403;

function expectedAnswer(access: Access, caller: Caller, method: string): Expected {
  if (access === "public") return "allowed";
  if (access === "ingest") {
    if (caller.kind === "ingest-key") return "allowed";
    return caller.kind === "read-key" ? 403 : 401;
  }
  switch (caller.kind) {
    case "anonymous":
      return 401;
    case "ingest-key":
      return 403;
    case "read-key":
      return (method === "GET" || method === "HEAD") && access.includes(caller.role) ? "allowed" : 403;
    case "session":
      return access.includes(caller.role) ? "allowed" : 403;
  }
}

// The access layer's own refusals; a handler refusing for its own reasons (404, 400, 409) is "allowed".
const ACCESS_CODES = new Set(["unauthorized", "access_denied", "cross_site_request"]);
const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A concrete URL for a route pattern: every parameter and wildcard filled with a harmless value. */
function concreteUrl(pattern: string): string {
  return pattern.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, "1").replace(/\*/g, "x");
}

describe("route × role matrix", () => {
  let vigie: TestApp;
  let base: string;
  let ingestKey: string;
  const readKeys = new Map<Role, Record<string, string>>();

  beforeAll(async () => {
    vigie = await startTestApp();
    base = await vigie.listen();
    ingestKey = (
      await vigie.auth.keys.create(
        { actor: { kind: "system" }, address: null },
        { kind: "ingest", name: "matrix" },
      )
    ).secret;
    for (const role of ROLES) readKeys.set(role, await readKeyHeaders(vigie, role));
  });
  afterAll(async () => {
    await vigie?.close();
  });

  async function headersOf(caller: Caller): Promise<Record<string, string>> {
    switch (caller.kind) {
      case "anonymous":
        return {};
      // A fresh session per request: sign-out routes end the one they are called with.
      case "session":
        return authHeaders(vigie, caller.role);
      case "read-key":
        return readKeys.get(caller.role) as Record<string, string>;
      case "ingest-key":
        return { authorization: `Bearer ${ingestKey}` };
    }
  }

  /**
   * Status and problem code of one call. A stream (live updates) counts once its headers arrive; one
   * that sends none in time (HEAD of a stream) got past the access check, which answers at once.
   */
  async function call(method: string, url: string, headers: Record<string, string>) {
    const body = WITH_BODY.has(method) ? "{}" : undefined;
    let response: Response;
    try {
      response = await fetch(`${base}${url}`, {
        method,
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(2_000),
      });
    } catch (error) {
      if ((error as Error).name === "TimeoutError") return { status: 200, code: "still streaming" };
      throw error;
    }
    let code: string | undefined;
    if ((response.headers.get("content-type") ?? "").includes("problem+json")) {
      const text = await response.text();
      code = text ? (JSON.parse(text) as { code?: string }).code : undefined;
    } else {
      await response.body?.cancel();
    }
    return { status: response.status, code };
  }

  async function mismatches(caller: Caller): Promise<string[]> {
    const found: string[] = [];
    const seen = new Set<string>();
    for (const route of vigie.routes) {
      const access = route.config?.access as Access;
      for (const method of [route.method].flat()) {
        const url = concreteUrl(route.url);
        if (method === "OPTIONS" || seen.has(`${method} ${url}`)) continue;
        seen.add(`${method} ${url}`);
        const expected = expectedAnswer(access, caller, method);
        const { status, code } = await call(method, url, await headersOf(caller));
        const ok =
          expected === "allowed"
            ? status !== 401 && !(status === 403 && code !== undefined && ACCESS_CODES.has(code))
            : status === expected;
        if (!ok) {
          found.push(
            `${method} ${route.url} (${JSON.stringify(access)}): expected ${expected}, got ${status} ${code ?? ""}`,
          );
        }
      }
    }
    return found;
  }

  it("walks a router that holds the auth, event and operations routes", () => {
    const urls = new Set(vigie.routes.map((r) => r.url));
    for (const url of [
      "/api/v1/session",
      "/api/v1/users",
      "/api/v1/keys",
      "/api/v1/audit",
      "/api/v1/events",
      "/healthz",
    ]) {
      expect(urls).toContain(url);
    }
  });

  it("answers anonymous callers as every route declares", async () => {
    expect(await mismatches({ kind: "anonymous" })).toEqual([]);
  });

  for (const role of ROLES) {
    it(`answers a signed-in ${role} as every route declares`, async () => {
      expect(await mismatches({ kind: "session", role })).toEqual([]);
    });
  }

  it("answers an ingest key as every route declares (it sends events, reads nothing)", async () => {
    expect(await mismatches({ kind: "ingest-key" })).toEqual([]);
  });

  for (const role of ["viewer", "admin"] as const) {
    it(`answers a ${role} read key as every route declares (GET only)`, async () => {
      expect(await mismatches({ kind: "read-key", role })).toEqual([]);
    });
  }

  it("accepts events with a configured bootstrap ingest key", async () => {
    const { status } = await call("POST", "/api/v1/events", { authorization: `Bearer ${TEST_INGEST_KEY}` });
    expect(status).toBe(400);
  });
});
