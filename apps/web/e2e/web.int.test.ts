/**
 * The web app end to end: the real server on a real PostgreSQL, seeded through the ingestion API,
 * driven in Debian's Chromium. Screenshots of each page go to apps/web/test-results/e2e (git-ignored).
 */
import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";
import { missingKeys, seriousViolations, sessionCookie, shot, signedInPage } from "./pages.ts";
import { E2E_JOURNEYS, ingest, prospectEvents } from "./seed.ts";

let vigie: TestApp;
let base: string;
let browser: Browser;
let cookie: { name: string; value: string };

const newPage = (language: "fr" | "en" = "fr") => signedInPage(browser, { base, cookie, language });

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  vigie = await startTestApp(testConfig({ journeys: E2E_JOURNEYS }));
  base = await vigie.listen();
  cookie = await sessionCookie(vigie);
  const now = Date.now();
  const events = [];
  for (let i = 0; i < 12; i += 1)
    events.push(...prospectEvents("healthy", "completed", new Date(now - (50 - i) * 60_000)));
  for (let i = 0; i < 10; i += 1)
    events.push(...prospectEvents("broken", "failed", new Date(now - (10 - i / 2) * 60_000)));
  await ingest(base, events);
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
});

describe.skipIf(!hasChromium)("web app in Chromium", () => {
  it("shows each journey on the board in the state its events give it", async () => {
    const { context, page } = await newPage();
    await page.goto(base);
    await page.getByTestId("tile-healthy").waitFor();
    const state = (key: string) =>
      page.getByTestId(`tile-${key}`).getByTestId("tile-state").getAttribute("data-state");
    expect(await state("healthy")).toBe("up");
    expect(await state("broken")).toBe("down");
    expect(await state("quiet")).toBe("no_data");
    expect(await page.getByTestId("tile-broken").textContent()).toContain("Identité");
    await shot(page, "board-fr");
    await context.close();
  });

  it("updates a tile when a live event arrives, without reloading the page", async () => {
    const { context, page } = await newPage();
    await page.goto(base);
    const lastHour = page.getByTestId("tile-healthy").getByTestId("last-hour");
    await lastHour.waitFor();
    await page.getByText("En direct").waitFor();
    const before = Number(await lastHour.textContent());
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await ingest(base, prospectEvents("healthy", "completed", new Date(Date.now() - 60_000)));
    await page.waitForFunction(
      ([selector, count]) =>
        Number(document.querySelector(selector as string)?.textContent) > (count as number),
      ['[data-testid="tile-healthy"] [data-testid="last-hour"]', before] as const,
      { timeout: 15_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await context.close();
  });

  it("makes every chart and table of the journey page follow the time-range picker", async () => {
    const { context, page } = await newPage("en");
    await page.goto(`${base}/journeys/healthy?range=7d`);
    await page.getByTestId("chart-availability").waitFor();
    const requested: URL[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/api/v1/")) requested.push(url);
    });
    const summary = await page.getByTestId("range-summary").textContent();
    // A click landing while the page is still settling can be lost: try again, at most three times.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await page.getByText("Yesterday", { exact: true }).click();
      const changed = await page
        .waitForFunction(
          (before) => document.querySelector('[data-testid="range-summary"]')?.textContent !== before,
          summary,
          { timeout: 5_000 },
        )
        .then(() => true)
        .catch(() => false);
      if (changed) break;
    }
    expect(new URL(page.url()).searchParams.get("range")).toBe("yesterday");
    const day = (instant: Date) =>
      new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(instant);
    const time = (instant: Date) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", timeStyle: "short" }).format(instant);
    const yesterday = day(new Date(Date.now() - 86_400_000));
    // every chart's and table's query asked again, for yesterday from Paris midnight
    const forYesterday = (path: string) =>
      requested.some((url) => {
        const from = url.searchParams.get("from");
        return (
          url.pathname.endsWith(path) &&
          from !== null &&
          day(new Date(from)) === yesterday &&
          time(new Date(from)) === "00:00"
        );
      });
    const expected = [
      "/availability",
      "/funnel",
      "/volumes",
      "/latency",
      "/api/v1/incidents",
      "/api/v1/runs",
    ];
    await expect.poll(() => expected.filter((path) => !forYesterday(path)), { timeout: 20_000 }).toEqual([]);
    await shot(page, "journey-en");
    await context.close();
  });

  it("exports to XLSX exactly the rows the table shows", async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/runs?size=25&sort=startedAt:desc`);
    const rows = page.locator("table tbody tr");
    await page.getByRole("button", { name: "Excel" }).waitFor();
    await expect.poll(() => page.locator("table tbody tr td a").count()).toBeGreaterThan(0);
    const shown = await page.locator("table tbody tr td:nth-child(2)").allTextContents();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Excel" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^vigie-runs-.*\.xlsx$/);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    const strings = strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array());
    const sheetRows = sheet.match(/<row /g) ?? [];
    expect(sheetRows.length).toBe((await rows.count()) + 1);
    for (const id of shown) expect(`${sheet}${strings}`).toContain(id.replace("…", ""));
    await shot(page, "runs-fr");
    await context.close();
  });

  for (const language of ["fr", "en"] as const) {
    it(`has no missing ${language} translation and no serious accessibility violation on the main pages`, async () => {
      const { context, page } = await newPage(language);
      const pages = ["/", "/journeys/broken?range=today", "/incidents", "/runs", "/probes"];
      for (const path of pages) {
        await page.goto(`${base}${path}`);
        await page.waitForLoadState("networkidle");
        await page.locator("h1").first().waitFor();
        expect(await missingKeys(page), path).toEqual([]);
        expect(await seriousViolations(page), path).toEqual([]);
        await shot(page, `${language}-${path.replace(/[^a-z]+/g, "-").replace(/^-|-$/g, "") || "board"}`);
      }
      await context.close();
    });
  }
});
