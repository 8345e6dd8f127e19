/**
 * Incident workflow end to end: the real server on a real PostgreSQL, an incident opened by the
 * analytics pass from real-traffic failures, acknowledged and annotated in Debian's Chromium.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";
import { E2E_JOURNEYS, ingest, prospectEvents } from "./seed.ts";

const SHOTS = fileURLToPath(new URL("../test-results/e2e", import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let vigie: TestApp;
let base: string;
let browser: Browser;
let operator: Record<string, string>;
let incidentId: number;

async function newPage(language: "fr" | "en"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: language === "fr" ? "fr-FR" : "en-GB",
    timezoneId: "Europe/Paris",
    bypassCSP: true, // axe-core is injected as a script
  });
  const [name, value] = operator.cookie!.split(";")[0]!.split("=");
  await context.addCookies([{ name: name!, value: value!, url: base }]);
  await context.addInitScript((lang) => localStorage.setItem("vigie.language", lang), language);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  return { context, page };
}

async function missingKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __vigieMissingKeys: string[] }).__vigieMissingKeys);
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

async function incident() {
  const response = await vigie.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: operator });
  return response.json();
}

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  mkdirSync(SHOTS, { recursive: true });
  vigie = await startTestApp(testConfig({ journeys: E2E_JOURNEYS }));
  base = await vigie.listen();
  operator = await authHeaders(vigie, "operator");
  // six prospects fail at identity within one minute: an outage by real traffic
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;
  const events = [];
  for (let i = 0; i < 6; i += 1)
    events.push(...prospectEvents("broken", "failed", new Date(minute + i * 1000)));
  await ingest(base, events);
  await vigie.analytics.pass.run();
  const list = await vigie.app.inject({ url: "/api/v1/incidents?journey=broken", headers: operator });
  incidentId = list.json().items[0].id;
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
});

describe.skipIf(!hasChromium)("incident workflow in Chromium", () => {
  it("acknowledges an incident and adds a note with the keyboard, and the timeline shows both", async () => {
    const { context, page } = await newPage("en");
    await page.goto(`${base}/incidents/${incidentId}`);
    await page.getByTestId("incident-timeline").waitFor();
    expect(await page.getByTestId("affected-runs").getByRole("link").count()).toBe(6);

    const acknowledge = page.getByRole("button", { name: "Acknowledge" });
    await acknowledge.focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() =>
        page
          .getByTestId("acknowledged")
          .textContent()
          .catch(() => ""),
      )
      .toContain("Acknowledged by Test operator");

    const note = page.getByRole("textbox", { name: "Note" });
    await note.focus();
    await page.keyboard.type("KYC provider restarted");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // the "Add the note" button
    await page.getByTestId("incident-timeline").getByText("KYC provider restarted").waitFor();
    expect(await note.inputValue()).toBe("");

    const stored = await incident();
    expect(stored.timeline.map((a: { kind: string }) => a.kind)).toEqual(["opened", "acknowledged", "note"]);
    expect(stored.timeline[2]).toMatchObject({
      note: "KYC provider restarted",
      by: { name: "Test operator" },
    });
    await page.screenshot({ path: `${SHOTS}/incident-en.png`, fullPage: true });
    await context.close();
  });

  it.each(["fr", "en"] as const)(
    "has no missing %s translation and no serious accessibility violation on the incident pages",
    async (language) => {
      const { context, page } = await newPage(language);
      for (const path of [`/incidents/${incidentId}`, "/incidents?acknowledged=true"]) {
        await page.goto(`${base}${path}`);
        await page.locator("main table, [data-testid=incident-timeline]").first().waitFor();
        expect(await missingKeys(page), path).toEqual([]);
        expect(await seriousViolations(page), path).toEqual([]);
      }
      await context.close();
    },
  );
});
