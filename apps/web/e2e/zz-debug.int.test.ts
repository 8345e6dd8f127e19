import { it } from "vitest";
import { startTestApp } from "../../server/test/harness.ts";
import { launchChromium } from "./browser.ts";
it("debug", async () => {
  const vigie = await startTestApp();
  const base = await vigie.listen();
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on("console", (m) => console.log("console:", m.text()));
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`${base}/sign-in`);
  await page.waitForTimeout(3000);
  console.log((await page.content()).slice(0, 3000));
  await browser.close();
  await vigie.close();
});
