import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
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
