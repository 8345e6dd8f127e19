/**
 * What the browser tests share: a signed-in page in Chromium, screenshots kept as test artifacts,
 * the translation keys a page asked for and did not find, and axe-core's serious violations.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { authHeaders, type TestApp } from "../../server/test/harness.ts";

/** Where screenshots go (git-ignored): test artifacts, not committed. */
const SHOTS = fileURLToPath(new URL("../test-results/e2e", import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** How long to wait for what a click brings (the machine running the tests may be busy). */
export const WAIT = { timeout: 20_000 };

/** The session cookie of a user with that role, for a browser context. */
export async function sessionCookie(
  vigie: TestApp,
  role: "admin" | "operator" | "viewer" | "sales" = "operator",
): Promise<{ name: string; value: string }> {
  const [name, value] = (await authHeaders(vigie, role)).cookie!.split(";")[0]!.split("=");
  return { name: name!, value: value! };
}

/**
 * A new page signed in with `cookie`, in Paris time, in that language; page errors are printed.
 * The content security policy is bypassed only so that axe-core can be injected.
 */
export async function signedInPage(
  browser: Browser,
  options: {
    base: string;
    cookie: { name: string; value: string };
    language?: "fr" | "en";
    viewport?: { width: number; height: number };
  },
): Promise<{ context: BrowserContext; page: Page }> {
  const language = options.language ?? "fr";
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 1000 },
    locale: language === "fr" ? "fr-FR" : "en-GB",
    timezoneId: "Europe/Paris",
    acceptDownloads: true,
    bypassCSP: true,
  });
  await context.addCookies([{ ...options.cookie, url: options.base }]);
  await context.addInitScript((lang) => localStorage.setItem("vigie.language", lang), language);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  return { context, page };
}

/** Saves a full-page screenshot as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Translation keys the page asked for and did not find (the app records them in development and tests). */
export function missingKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __vigieMissingKeys: string[] }).__vigieMissingKeys);
}

/** axe-core's critical and serious violations on the page as it is now (or inside `within`, a CSS selector), one line each. */
export async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (selector) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: string | Document,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(selector ?? document);
    return result.violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, within);
}
