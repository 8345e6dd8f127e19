import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp } from "../../../test/harness.js";

let vigie: TestApp;
let base: string;

beforeAll(async () => {
  vigie = await startTestApp();
  base = await vigie.listen();
});

afterAll(async () => {
  await vigie?.close();
});

describe("compressed answers", () => {
  it("gzips a JSON answer for a browser that accepts it, and leaves it plain for one that does not", async () => {
    const headers = await authHeaders(vigie, "viewer");
    const zipped = await vigie.app.inject({
      url: "/api/openapi.json",
      headers: { ...headers, "accept-encoding": "gzip" },
    });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    const document = JSON.parse(gunzipSync(zipped.rawPayload).toString("utf8"));
    expect(document.openapi).toMatch(/^3\./);
    const plain = await vigie.app.inject({ url: "/api/openapi.json", headers });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(zipped.rawPayload.length * 3);
  });

  it("never compresses the live stream, whose messages must arrive as they are sent", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/live`, {
      headers: { ...(await authHeaders(vigie, "viewer")), "accept-encoding": "gzip, deflate, br" },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("content-encoding")).toBeNull();
    controller.abort();
  });
});
