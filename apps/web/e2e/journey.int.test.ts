import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { startOfDay, startOfMonth, startOfWeek } from "../src/lib/time-range.ts";
import { hasChromium, launchChromium } from "./browser.ts";
import { missingKeys, seriousViolations, sessionCookie, shot, signedInPage, WAIT } from "./pages.ts";
import { E2E_JOURNEYS, ingest, prospectEvents } from "./seed.ts";

const ZONE = "Europe/Paris";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let vigie: TestApp;
let base: string;
let browser: Browser;
let cookie: { name: string; value: string };

const newPage = () => signedInPage(browser, { base, cookie, language: "en" });

/** A prospect's events carrying these attributes besides the seed's (channel web). */
function withAttributes(events: ReturnType<typeof prospectEvents>, attributes: Record<string, string>) {
  return events.map((event) => ({
    ...event,
    data: {
      ...event.data,
      attributes: { ...(event.data.attributes as Record<string, string>), ...attributes },
    },
  }));
}

/**
 * Opens the board and counts the clicks from there: `click` clicks and counts, `clicks()` says how
 * many so far. Waiting for what a click brings is not a click.
 */
async function fromBoard(page: Page) {
  await page.goto(base);
  await page.getByTestId("board-grid").waitFor();
  let count = 0;
  return {
    async click(target: Locator) {
      count += 1;
      await target.click();
    },
    clicks: () => count,
  };
}

/** The journey's link on its board tile. */
const tileLink = (page: Page, key: string, name: string) =>
  page.getByTestId(`tile-${key}`).getByRole("link", { name, exact: true });

/** A preset of the time-range picker, once the journey page has drawn its first figures. */
async function preset(page: Page, label: string): Promise<Locator> {
  await page.getByTestId("chart-availability").waitFor();
  return page.getByRole("group", { name: "Period" }).getByText(label, { exact: true });
}

const figure = (page: Page, testId: string) => page.getByTestId(testId).locator("p").nth(1);

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  vigie = await startTestApp(testConfig({ journeys: E2E_JOURNEYS }));
  base = await vigie.listen();
  cookie = await sessionCookie(vigie);

  const now = Date.now();
  const today = startOfDay(new Date(now), ZONE).getTime();
  // Recent runs stay after midnight (and so in this week) whenever the test runs.
  const recent = (share: number) => now - Math.min(40 * MINUTE, (now - today) * 0.9) * share;
  const events = [];
  for (let i = 0; i < 4; i += 1) {
    const at = new Date(recent(1 - i / 10));
    events.push(...withAttributes(prospectEvents("healthy", "completed", at), { product: "essentiel" }));
  }
  for (let i = 0; i < 4; i += 1) {
    const at = new Date(recent(0.5 - i / 10));
    const outcome = i < 2 ? "completed" : "failed";
    events.push(...withAttributes(prospectEvents("healthy", outcome, at), { product: "premium" }));
  }
  // Without a product: yesterday noon, the same time of last week, mid-last-month (one failed).
  const yesterdayNoon = startOfDay(new Date(now), ZONE, -1).getTime() + 12 * HOUR;
  for (let i = 0; i < 3; i += 1)
    events.push(...prospectEvents("healthy", "completed", new Date(yesterdayNoon + i * MINUTE)));
  const thisWeek = startOfWeek(new Date(now), ZONE).getTime();
  const lastWeek = startOfWeek(new Date(now), ZONE, -1).getTime() + (now - thisWeek) / 2;
  for (let i = 0; i < 2; i += 1)
    events.push(...prospectEvents("healthy", "completed", new Date(lastWeek + i * MINUTE)));
  const lastMonth = startOfMonth(new Date(now), ZONE, -1).getTime() + 14 * 24 * HOUR;
  events.push(
    ...prospectEvents("healthy", "completed", new Date(lastMonth)),
    ...prospectEvents("healthy", "completed", new Date(lastMonth + MINUTE)),
    ...prospectEvents("healthy", "failed", new Date(lastMonth + 2 * MINUTE)),
  );
  // An outage: six prospects failing at identity within one minute.
  const outage = Math.floor((now - 3 * MINUTE) / MINUTE) * MINUTE;
  for (let i = 0; i < 6; i += 1)
    events.push(...prospectEvents("broken", "failed", new Date(outage + i * 5_000)));
  await ingest(base, events);
  await vigie.analytics.pass.run();
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
});

describe.skipIf(!hasChromium)("journey page in Chromium", () => {
  it("breaks the funnel down by product and by channel, one row per value", async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/journeys/healthy?range=7d`);
    const table = page.getByTestId("funnel-breakdown-table");
    await table.waitFor();
    const row = (value: string) =>
      table
        .locator(`tbody tr[data-value="${value}"] td`)
        .allTextContents()
        .then((cells) => cells.slice(0, 8));
    // value, started, completed, conversion, technical failure, business rejection, abandonment, in progress
    expect(await row("essentiel")).toEqual(["essentiel", "4", "4", "100.0%", "0", "0", "0", "0"]);
    expect(await row("premium")).toEqual(["premium", "4", "2", "50.0%", "2", "0", "0", "0"]);
    expect(await row("")).toEqual(["(not set)", "3", "3", "100.0%", "0", "0", "0", "0"]);
    expect(await table.locator('tbody tr[data-value="premium"] td').nth(8).textContent()).toBe("Identity");
    expect(await page.getByTestId("chart-funnel-breakdown").locator("svg").count()).toBeGreaterThan(0);
    expect(await missingKeys(page)).toEqual([]);
    expect(await seriousViolations(page, '[data-testid="funnel-breakdown"]')).toEqual([]);
    await shot(page, "journey-breakdown-product");

    await page
      .getByRole("radiogroup", { name: "Break down by" })
      .getByText("Channel", { exact: true })
      .click();
    await table.locator('tbody tr[data-value="web"]').waitFor();
    expect(new URL(page.url()).searchParams.get("by")).toBe("channel");
    expect(await row("web")).toEqual(["web", "11", "9", "81.8%", "2", "0", "0", "0"]);
    expect(await table.locator("tbody tr").count()).toBe(1);
    await context.close();
  });

  it("answers availability yesterday, over 7 days and last month in two clicks from the board", async () => {
    const { context, page } = await newPage();
    // real availability = step outcomes without a technical error (shown rounded down): yesterday 3
    // completed runs (9 of 9); 7 days adds 8 runs of today, 2 failed at identity (29 of 31); last
    // month 1 of 3 failed (7 of 8), with yesterday's runs too on the first day of a month (16 of 17)
    const now = new Date();
    const yesterdayInLastMonth = startOfDay(now, ZONE, -1) < startOfMonth(now, ZONE);
    for (const [label, availability] of [
      ["Yesterday", "100.00%"],
      ["7 days", "93.54%"],
      ["Last month", yesterdayInLastMonth ? "94.11%" : "87.50%"],
    ] as const) {
      const user = await fromBoard(page);
      await user.click(tileLink(page, "healthy", "Current account"));
      // 7 days is the page's default: clicking it again changes nothing, and that is fine
      await user.click(await preset(page, label));
      const chosen = page.getByRole("radio", { name: label, exact: true });
      await expect.poll(() => chosen.isChecked(), WAIT).toBe(true);
      await expect
        .poll(() => figure(page, "figure-traffic-availability").textContent(), WAIT)
        .toBe(availability);
      expect(user.clicks(), label).toBeLessThanOrEqual(3);
    }
    await context.close();
  });

  it("shows the outages with their failing step and error one click from the board", async () => {
    const { context, page } = await newPage();
    const user = await fromBoard(page);
    await user.click(tileLink(page, "broken", "Premium card"));
    const incident = page.getByTestId("journey-incidents").locator("tbody tr").first();
    await incident.waitFor();
    const cells = await incident.locator("td").allTextContents();
    expect(cells[3]).toBe("Identity");
    expect(cells[4]).toBe("KYC_TIMEOUT");
    expect(user.clicks()).toBeLessThanOrEqual(3);
    await context.close();
  });

  it("shows the funnel, where prospects drop and probes against real traffic one click from the board", async () => {
    const { context, page } = await newPage();
    const user = await fromBoard(page);
    await user.click(tileLink(page, "healthy", "Current account"));
    await page.getByTestId("chart-funnel").locator("svg").first().waitFor();
    await page.getByTestId("chart-drop-off").locator("svg").first().waitFor();
    const divergence = page.getByTestId("divergence");
    await divergence.locator("tbody tr").first().waitFor();
    expect(await divergence.locator("tbody tr").count()).toBe(3);
    expect(await divergence.locator("thead").textContent()).toContain("Real traffic");
    expect(user.clicks()).toBeLessThanOrEqual(3);
    await context.close();
  });

  it("compares this week with last week in three clicks from the board", async () => {
    const { context, page } = await newPage();
    const user = await fromBoard(page);
    await user.click(tileLink(page, "healthy", "Current account"));
    await user.click(await preset(page, "This week"));
    // as a reader would, wait until the page shows this week before switching the comparison on
    const monday = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, dateStyle: "short" }).format(
      startOfWeek(new Date(), ZONE),
    );
    await expect
      .poll(() => page.getByTestId("range-summary").textContent(), WAIT)
      .toContain(`From ${monday}, 00:00`);
    await user.click(page.getByRole("switch", { name: "Compare with previous period" }));
    await expect
      .poll(() => Object.fromEntries(new URL(page.url()).searchParams), WAIT)
      .toEqual({ range: "thisWeek", compare: "1" });
    await expect
      .poll(() => page.getByTestId("figure-traffic-availability").textContent(), WAIT)
      .toContain("against the previous period");
    expect(await page.getByTestId("range-summary").textContent()).toContain("compared with");
    await expect
      .poll(() => page.getByTestId("chart-availability").locator("svg").first().textContent(), WAIT)
      .toContain("Previous period");
    expect(user.clicks()).toBeLessThanOrEqual(3);
    await shot(page, "journey-this-week-compared");
    await context.close();
  });
});
