import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDemoBank, type DemoBank } from "@vigie/demo-bank";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, TEST_INGEST_KEY, type TestApp, testConfig } from "../../../test/harness.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { loadProbeFile } from "./loader.js";

// The probes shipped in the default probes folder, run against a real demo bank.
const PROBES_FOLDER = join(dirname(fileURLToPath(import.meta.url)), "../../../../../probes");
const config = testConfig({ probes: { scheduler: false, outbound: { allow: ["127.0.0.1"] } } });
const journeys = createJourneyCatalogue(config.journeys);
let vigie: TestApp;
let bank: DemoBank;
let bankUrl: string;

beforeAll(async () => {
  vigie = await startTestApp(config);
  const url = await vigie.listen();
  bank = await createDemoBank({
    vigie: { url, apiKey: TEST_INGEST_KEY, flushIntervalMs: 60_000, flushOnExit: false },
  });
  bankUrl = await bank.listen("127.0.0.1", 0);
});
afterAll(async () => {
  await bank?.close();
  await vigie?.close();
});

async function demoProbe(file: string) {
  const probe = await loadProbeFile(join(PROBES_FOLDER, file), journeys);
  return { ...probe, variables: { ...probe.variables, baseUrl: bankUrl } };
}

describe("demo probes", () => {
  it("the HTTP probe opens an account at the demo bank, then deletes its prospect", async () => {
    const before = bank.prospects.size();
    await vigie.probes.service.setProbes([await demoProbe("cco-http.yaml")]);
    const result = await vigie.probes.service.runNow("cco-http");
    const last = result.attempts.at(-1)!;
    expect(last.error).toBeUndefined();
    expect(last.steps.filter((s) => s.phase === "step" && s.step).map((s) => s.step)).toEqual([
      "landing",
      "identity",
      "contact",
      "offer",
      "documents",
      "signature",
      "account-opened",
    ]);
    expect(result.cleanupOk).toBe(true);
    expect(bank.prospects.size()).toBe(before);
  });

  it("the browser probe opens an account in Chromium, then deletes its prospect", async () => {
    const before = bank.prospects.size();
    await vigie.probes.service.setProbes([await demoProbe("cco-browser.ts")]);
    const result = await vigie.probes.service.runNow("cco-browser");
    const last = result.attempts.at(-1)!;
    expect(last.error).toBeUndefined();
    expect(last.steps.filter((s) => s.phase === "step").map((s) => [s.step, s.outcome])).toEqual(
      ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"].map((s) => [
        s,
        "ok",
      ]),
    );
    expect(result.cleanupOk).toBe(true);
    expect(bank.prospects.size()).toBe(before);
  });
});
