/**
 * A board of 1,000 journeys end to end (real server and database, Debian's Chromium): only the rows
 * on screen are in the page, yet every tile is reachable by keyboard, by the filter and in print.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";
import { missingKeys, seriousViolations, sessionCookie, signedInPage } from "./pages.ts";

const JOURNEYS = 1000;
const pad = (n: number) => String(n).padStart(4, "0");

let vigie: TestApp;
let base: string;
let browser: Browser;
let cookie: { name: string; value: string };

async function boardPage(): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await signedInPage(browser, { base, cookie });
  await page.goto(base);
  await page.getByTestId("tile-j0001").waitFor();
  return { context, page };
}

/** Board positions (aria-posinset) of the tiles in the page. */
function positionsInPage(page: Page): Promise<number[]> {
  return page.$$eval("[data-testid='board-grid'] > article", (tiles) =>
    tiles.map((tile) => Number(tile.getAttribute("aria-posinset"))),
  );
}

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  vigie = await startTestApp(
    testConfig({
      journeys: Array.from({ length: JOURNEYS }, (_, i) => ({
        key: `j${pad(i + 1)}`,
        name: { fr: `Parcours ${pad(i + 1)}`, en: `Journey ${pad(i + 1)}` },
        steps: [
          { key: "landing", name: { fr: "Accueil", en: "Landing" } },
          { key: "account-opened", name: { fr: "Compte ouvert", en: "Account opened" } },
        ],
      })),
    }),
  );
  base = await vigie.listen();
  cookie = await sessionCookie(vigie, "viewer");
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
});

describe.skipIf(!hasChromium)("board of 1,000 journeys in Chromium", () => {
  it("puts only the rows on screen in the page, and says how many journeys there are", async () => {
    const { context, page } = await boardPage();
    const positions = await positionsInPage(page);
    expect(positions[0]).toBe(1);
    expect(positions.length).toBeLessThan(100);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect(await page.getByTestId("tile-j0001").getAttribute("aria-setsize")).toBe(String(JOURNEYS));
    expect(await page.getByTestId("board-shown").textContent()).toBe(
      "1\u202f000 parcours affichés sur 1\u202f000",
    );
    await context.close();
  });

  it("renders the rows scrolled to, in order", async () => {
    const { context, page } = await boardPage();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.getByTestId(`tile-j${pad(JOURNEYS)}`).waitFor();
    const positions = await positionsInPage(page);
    expect(positions.at(-1)).toBe(JOURNEYS);
    expect(positions).toEqual(positions.map((_, i) => positions[0]! + i));
    await context.close();
  });

  it("walks every tile in board order with Tab, past the first screen", async () => {
    const { context, page } = await boardPage();
    await page.getByRole("link", { name: "Parcours 0001" }).focus();
    const onScreen = (await positionsInPage(page)).length;
    for (let tab = 0; tab < onScreen + 10; tab += 1) await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => ({
      position: Number(document.activeElement?.closest("article")?.getAttribute("aria-posinset")),
      text: document.activeElement?.textContent,
    }));
    expect(focused).toEqual({ position: onScreen + 11, text: `Parcours ${pad(onScreen + 11)}` });
    await context.close();
  });

  it("keeps the focused tile in the page while the page scrolls a few rows away", async () => {
    const { context, page } = await boardPage();
    const link = page.getByRole("link", { name: "Parcours 0001" });
    await link.focus();
    const lastBefore = Math.max(...(await positionsInPage(page)));
    await page.evaluate(() => window.scrollBy(0, 1.5 * window.innerHeight));
    await page.waitForFunction(
      (last) => document.querySelector(`[aria-posinset='${last + 10}']`),
      lastBefore,
    );
    expect((await positionsInPage(page))[0]).toBe(1);
    expect(await link.evaluate((element) => element === document.activeElement)).toBe(true);
    await context.close();
  });

  it("finds a journey that is not on screen with the filter box", async () => {
    const { context, page } = await boardPage();
    await page.getByRole("searchbox", { name: "Rechercher un parcours" }).fill("0999");
    await page.getByTestId("tile-j0999").waitFor();
    expect(await positionsInPage(page)).toEqual([1]);
    expect(await page.getByTestId("board-shown").textContent()).toBe("1 parcours affiché sur 1\u202f000");
    await context.close();
  });

  it("puts every tile in the page while it is printed, and only the screen's afterwards", async () => {
    const { context, page } = await boardPage();
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    expect((await positionsInPage(page)).length).toBe(JOURNEYS);
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid='board-grid'] > article").length < 100,
    );
    await context.close();
  });

  it("has no serious accessibility violation and no missing translation", async () => {
    const { context, page } = await boardPage();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await missingKeys(page)).toEqual([]);
    await context.close();
  });
});
