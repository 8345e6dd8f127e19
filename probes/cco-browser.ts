// Browser probe: a synthetic prospect opens a current account at the demo bank in headless
// Chromium, like a customer would; the teardown deletes it (the bank's cleanup batch).
// This is plain Playwright code: an existing Playwright test becomes a probe by moving its body
// into `run` and wrapping each part in `step("<journey step>", …)` (as with `test.step`).
// Try it: npm run vigie -- probe run probes/cco-browser.ts
import type { ProbeFile } from "../apps/server/src/modules/probes/definition.js";

const PDF = { name: "piece.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% sonde\n") };

export default {
  kind: "browser",
  journey: "cco-subscription",
  description: "Ouverture de compte courant dans un vrai navigateur (prospect synthétique)",
  schedule: { every: "5m" },
  timeout: "60s",
  labels: { team: "demo" },
  variables: { baseUrl: "http://127.0.0.1:8081" },

  async run({ page, step, expect, vars }) {
    // Flags the prospect as synthetic at the bank, so its own events stay out of business figures.
    await page.setExtraHTTPHeaders({ "x-vigie-synthetic": "true", "x-vigie-probe": "cco-browser" });
    const onStep = (key: string) => expect(page.locator(`main[data-step="${key}"]`)).toBeVisible();

    await step("landing", async () => {
      await page.goto(vars.baseUrl!);
      await page.getByTestId("start").click();
      await onStep("identity");
      vars.prospectId = (await page.getByTestId("prospect-id").textContent())?.trim() ?? "";
    });

    await step("identity", async () => {
      await page.locator('select[name="civilite"]').selectOption("Mme");
      await page.locator('input[name="prenom"]').fill("Camille");
      await page.locator('input[name="nom"]').fill("Sonde");
      await page.locator('input[name="dateNaissance"]').fill("1990-04-12");
      await page.getByTestId("submit").click();
      await onStep("contact");
    });

    await step("contact", async () => {
      await page.locator('input[name="email"]').fill(`sonde+${vars.prospectId}@example.test`);
      await page.locator('input[name="telephone"]').fill("06 12 34 56 78");
      await page.locator('input[name="adresse"]').fill("1 rue de la Sonde");
      await page.locator('input[name="codePostal"]').fill("75011");
      await page.locator('input[name="ville"]').fill("Paris");
      await page.getByTestId("submit").click();
      await onStep("offer");
    });

    await step("offer", async () => {
      await page.locator('input[name="offre"][value="essentiel"]').check();
      await page.locator('input[name="revenus"]').fill("1800");
      await page.getByTestId("submit").click();
      await onStep("documents");
    });

    await step("documents", async () => {
      await page.locator('input[type="file"][name="pieceIdentite"]').setInputFiles(PDF);
      await page.locator('input[type="file"][name="justificatifDomicile"]').setInputFiles(PDF);
      await page.getByTestId("submit").click();
      await onStep("signature");
    });

    await step("signature", async () => {
      const code = (await page.getByTestId("otp").textContent())?.trim() ?? "";
      await page.locator('input[name="accepteConditions"]').check();
      await page.locator('input[name="code"]').fill(code);
      await page.getByTestId("submit").click();
      await onStep("account-opened");
    });

    await step("account-opened", async () => {
      await expect(page.getByTestId("iban")).toContainText("FR");
    });
  },

  async teardown({ vars, fetch }) {
    if (!vars.prospectId) return; // nothing was created
    const response = await fetch(`${vars.baseUrl}/admin/prospects/${vars.prospectId}`, { method: "DELETE" });
    if (response.status !== 204 && response.status !== 404) {
      throw new Error(`deleting prospect ${vars.prospectId} answered ${response.status}`);
    }
  },
} satisfies ProbeFile;
