/**
 * Signing in as a new user would, in Debian's Chromium against the real server: the printed
 * one-time admin password, the forced password change, and a viewer kept out of administration.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_CONTEXT } from "../../server/src/modules/audit/service.ts";
import { startTestApp, stepEvent, type TestApp } from "../../server/test/harness.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../scripts/ensure-built.mjs";
import { hasChromium, launchChromium } from "./browser.ts";

let vigie: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuilt({ quiet: true });
  vigie = await startTestApp();
  base = await vigie.listen();
  if (hasChromium) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await vigie?.close();
});

/** The input labelled exactly `text` (Mantine adds " *" to required fields' labels). */
const field = (page: Page, text: string) => page.getByLabel(new RegExp(`^${text}( \\*)?$`));

async function newPage() {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => localStorage.setItem("vigie.language", "en"));
  return { context, page: await context.newPage() };
}

describe.skipIf(!hasChromium)("signing in, in Chromium", () => {
  it("sends a signed-out visitor to the sign-in page", async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/incidents`);
    await page.waitForURL(/\/sign-in\?next=%2Fincidents/);
    await page.getByRole("heading", { name: "Sign in to Vigie" }).waitFor();
    await context.close();
  });

  it("signs the first admin in with the printed one-time password, then makes them choose their own", async () => {
    const first = await vigie.auth.users.createFirstAdmin(SYSTEM_CONTEXT);
    const { context, page } = await newPage();
    await page.goto(`${base}/sign-in`);
    await field(page, "User name").fill(first?.username as string);
    await field(page, "Password").fill(first?.oneTimePassword as string);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${base}/account`);
    await field(page, "Current password").fill(first?.oneTimePassword as string);
    await field(page, "New password").fill("my own long passphrase");
    await field(page, "New password again").fill("my own long passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/admin/users`);
    await page.getByRole("table", { name: "Users" }).waitFor();
    expect(await page.getByRole("cell", { name: "admin", exact: true }).count()).toBe(1);
    await context.close();
  });

  it("keeps a viewer out of the administration pages", async () => {
    await vigie.auth.users.create(SYSTEM_CONTEXT, {
      username: "vera",
      role: "viewer",
      password: "a viewer passphrase",
    });
    const { context, page } = await newPage();
    await page.goto(`${base}/sign-in`);
    await field(page, "User name").fill("vera");
    await field(page, "Password").fill("a viewer passphrase");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${base}/`);
    const api = await page.request.get(`${base}/api/v1/users`);
    expect(api.status()).toBe(403);
    await page.goto(`${base}/admin/users`);
    await page.getByRole("alert").first().waitFor();
    expect(await page.getByRole("table", { name: "Users" }).count()).toBe(0);
    await context.close();
  });

  it("lets an administrator create an ingest key whose secret, shown once, sends events", async () => {
    await vigie.auth.users.create(SYSTEM_CONTEXT, {
      username: "ada",
      role: "admin",
      password: "an admin passphrase",
    });
    const { context, page } = await newPage();
    await page.goto(`${base}/sign-in`);
    await field(page, "User name").fill("ada");
    await field(page, "Password").fill("an admin passphrase");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/admin/keys`);
    await field(page, "Name").fill("web shop");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const shown = page.getByRole("status").filter({ hasText: "Key web shop" });
    const secret = (await shown.locator("code").textContent())?.trim() ?? "";
    expect(secret.length).toBeGreaterThan(20);
    const sent = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/cloudevents+json" },
      body: JSON.stringify(stepEvent()),
    });
    expect(sent.status).toBeLessThan(300);
    await page.getByRole("table", { name: "API keys" }).getByRole("cell", { name: "web shop" }).waitFor();
    await context.close();
  });

  it("refuses a wrong password with a readable message", async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/sign-in`);
    await field(page, "User name").fill("nobody");
    await field(page, "Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByText("Unknown user name or wrong password.").waitFor();
    await context.close();
  });
});
