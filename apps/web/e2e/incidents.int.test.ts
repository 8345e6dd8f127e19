import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp, testConfig } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";
import { missingKeys, seriousViolations, sessionCookie, shot, signedInPage } from "./pages.ts";
import { E2E_JOURNEYS, ingest, prospectEvents } from "./seed.ts";

let vigie: TestApp;
let base: string;
let browser: Browser;
let operator: Record<string, string>;
let incidentId: number;

async function newPage(language: "fr" | "en") {
  return signedInPage(browser, { base, cookie: await sessionCookie(vigie), language });
}

async function incident() {
  const response = await vigie.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: operator });
  return response.json();
}

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
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
    await shot(page, "incident-en");
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
