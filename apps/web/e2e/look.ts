// Takes screenshots of the main pages with fixture data: `node --import tsx apps/web/e2e/look.ts`.
// Output goes to apps/web/test-results/ (git-ignored).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { launchChromium } from "./browser.ts";
import { FIXTURE_ORIGIN, serveDistWithFixtures } from "./serve-dist.ts";

const OUT = fileURLToPath(new URL("../test-results/look", import.meta.url));
mkdirSync(OUT, { recursive: true });
ensureWebBuilt({ quiet: true });
const browser = await launchChromium();
const language = process.argv[2] === "en" ? "en" : "fr";
const context = await browser.newContext({
  viewport: { width: 1440, height: 1000 },
  locale: language === "en" ? "en-GB" : "fr-FR",
});
const page = await context.newPage();
page.on("pageerror", (error) => console.log("pageerror:", error.message));
page.on("console", (message) => {
  if (message.type() === "error") console.log("console:", message.text());
});
await serveDistWithFixtures(page, { journeys: Number(process.argv[3] ?? 8) });
const pages = (
  process.argv[4] ?? "/,/journeys/cco-subscription?range=7d&compare=1,/incidents,/incidents/1,/runs"
).split(",");
for (const path of pages) {
  await page.goto(`${FIXTURE_ORIGIN}${path}`);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
  const name = path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "board";
  await page.screenshot({ path: `${OUT}/${language}-${name}.png`, fullPage: true });
  console.log("shot", name);
}
await browser.close();
