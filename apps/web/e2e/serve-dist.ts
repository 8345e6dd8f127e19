import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { type FixtureApiOptions, fixtureAnswer } from "./fixture-api.ts";

const DIST = fileURLToPath(new URL("../dist", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

/** A made-up origin: every request to it is answered by {@link serveDistWithFixtures}. */
export const FIXTURE_ORIGIN = "http://vigie.fixtures";

/**
 * Serves the built app and contract-shaped API fixtures to a page without any server (for looking at
 * pages and for the board render benchmark; not a substitute for the end-to-end tests).
 */
export async function serveDistWithFixtures(page: Page, options: FixtureApiOptions = {}): Promise<void> {
  await page.route(`${FIXTURE_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith("/api/")) {
      if (url.pathname === "/api/v1/live") return route.fulfill({ status: 204 });
      const answer = fixtureAnswer(url, options);
      if (answer === undefined)
        return route.fulfill({ status: 404, contentType: "application/problem+json", body: "{}" });
      return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(answer) });
    }
    const path = normalize(url.pathname).replace(/^\/+/, "");
    const file = path && extname(path) ? join(DIST, path) : join(DIST, "index.html");
    try {
      const body = await readFile(file);
      return route.fulfill({
        status: 200,
        contentType: TYPES[extname(file)] ?? "application/octet-stream",
        body,
      });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
}

/**
 * The built app and the same API fixtures from a real HTTP server on 127.0.0.1 (gzip, as a
 * production server answers): what the board benchmark measures against, so that the figure is not
 * the cost of a browser's request interception passing 1.4 MB through the test driver.
 */
export async function startFixtureServer(
  options: FixtureApiOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fixtures");
    const gzipped = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    const send = (status: number, type: string, body: Buffer) => {
      const compressed = gzipped && body.length > 1024;
      response.writeHead(status, {
        "content-type": type,
        ...(compressed ? { "content-encoding": "gzip" } : {}),
      });
      response.end(compressed ? gzipSync(body, { level: 1 }) : body);
    };
    if (url.pathname === "/api/v1/live") {
      response.writeHead(204);
      return response.end();
    }
    if (url.pathname.startsWith("/api/")) {
      const answer = fixtureAnswer(url, options);
      if (answer === undefined) return send(404, "application/problem+json", Buffer.from("{}"));
      return send(200, "application/json", Buffer.from(JSON.stringify(answer)));
    }
    const path = normalize(url.pathname).replace(/^\/+/, "");
    const file = path && extname(path) ? join(DIST, path) : join(DIST, "index.html");
    try {
      send(200, TYPES[extname(file)] ?? "application/octet-stream", await readFile(file));
    } catch {
      send(404, "text/plain", Buffer.from("not found"));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
