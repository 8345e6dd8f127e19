/**
 * The probes pages in Debian's Chromium against the real server: each probe's last result in the
 * list, filtering on the server, and a probe's own runs.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeFrom, startLocalServer } from "../../server/src/modules/probes/test-support.ts";
import { startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";
import { sessionCookie, signedInPage, WAIT } from "./pages.ts";

let vigie: TestApp;
let base: string;
let browser: Browser;
let target: Awaited<ReturnType<typeof startLocalServer>>;
let cookie: { name: string; value: string };

const probe = (name: string, path: string) =>
  probeFrom(
    {
      journey: "cco-subscription",
      schedule: { every: "5m" },
      steps: [{ step: "landing", request: { url: `${target.url}${path}` }, assert: [{ status: 200 }] }],
    },
    name,
  );

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  target = await startLocalServer((request, response) => {
    response.writeHead(request.url === "/down" ? 503 : 200, { "content-type": "application/json" });
    response.end("{}");
  });
  vigie = await startTestApp(
    testConfig({ probes: { scheduler: false, outbound: { allow: ["127.0.0.1"] } } }),
  );
  base = await vigie.listen();
  cookie = await sessionCookie(vigie);
  await vigie.probes.service.setProbes([probe("landing-up", "/ok"), probe("landing-down", "/down")]);
  await vigie.probes.service.runNow("landing-up");
  await vigie.probes.service.runNow("landing-down");
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
  await target?.close();
});

describe.skipIf(!hasChromium)("probes in Chromium", () => {
  it("shows each probe's last result and keeps only the failing ones when asked", async () => {
    const { context, page } = await signedInPage(browser, { base, cookie, language: "en" });
    await page.goto(`${base}/probes`);
    const rows = page.locator("table tbody tr");
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    const down = rows.filter({ hasText: "landing-down" });
    await expect.poll(() => down.textContent(), WAIT).toContain("assertion_failed");
    await page.getByRole("combobox", { name: "State" }).click();
    await page.getByRole("option", { name: "Last run failed" }).click();
    await page.waitForURL(/state=failing/);
    await expect.poll(() => rows.allTextContents(), WAIT).toEqual([expect.stringContaining("landing-down")]);
    await down.getByRole("link", { name: "landing-down" }).click();
    await page.waitForURL(`${base}/probes/landing-down`);
    const runs = page.getByRole("table", { name: "Latest runs" }).locator("tbody tr");
    await expect.poll(() => runs.count(), WAIT).toBe(1);
    await context.close();
  });
});
