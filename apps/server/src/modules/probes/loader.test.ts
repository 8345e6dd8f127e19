import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { loadProbeFile, loadProbeFolder, ProbeFileError } from "./loader.js";

const journeys = createJourneyCatalogue([
  {
    key: "cco-subscription",
    name: { fr: "Ouverture", en: "Opening" },
    steps: [
      { key: "landing", name: { fr: "Accueil", en: "Landing" } },
      { key: "identity", name: { fr: "Identité", en: "Identity" } },
    ],
    objectives: { availability: 0.995, latencyP95Ms: 2000 },
    conversionWindow: 86_400_000,
  } as never,
]);
const folder = mkdtempSync(join(tmpdir(), "vigie-probes-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

describe("probe files", () => {
  it("loads a YAML probe named after its file, with defaults", async () => {
    const file = write(
      "landing-check.yaml",
      `journey: cco-subscription
schedule: { every: 30s }
steps:
  - step: landing
    request: { url: "https://bank.example/" }
    assert: [{ status: 200 }]
`,
    );
    const probe = await loadProbeFile(file, journeys);
    expect(probe).toMatchObject({
      name: "landing-check",
      kind: "http",
      schedule: { every: 30_000 },
      timeout: 30_000,
      retries: { attempts: 0, delay: 1000 },
    });
  });

  it("reports every problem of a file at once", async () => {
    const file = write(
      "broken.yaml",
      `journey: cco-subscription
schedule: { every: soon }
steps:
  - step: landing
    request: { url: "https://bank.example/" }
    assert: [{ status: 200 }, { colour: blue }]
`,
    );
    const error = await loadProbeFile(file, journeys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeFileError);
    const problems = (error as ProbeFileError).problems.join("\n");
    expect(problems).toMatch(/schedule/);
    expect(problems).toMatch(/steps\.0\.assert\.1/);
  });

  it("refuses a step that is not one of the journey's", async () => {
    const file = write(
      "wrong-step.yaml",
      `journey: cco-subscription
schedule: { every: 1m }
steps:
  - step: payment
    request: { url: "https://bank.example/" }
`,
    );
    await expect(loadProbeFile(file, journeys)).rejects.toThrow(/"payment" is not a step of journey/);
  });

  it("loads a TypeScript browser probe's default export", async () => {
    const file = write(
      "browser.ts",
      `export default {
  kind: "browser",
  journey: "cco-subscription",
  schedule: { cron: "*/5 * * * *" },
  async run({ page }: { page: { goto(url: string): Promise<unknown> } }) {
    await page.goto("https://bank.example/");
  },
};
`,
    );
    const probe = await loadProbeFile(file, journeys);
    expect(probe).toMatchObject({ name: "browser", kind: "browser", schedule: { cron: "*/5 * * * *" } });
  });

  it("lists a folder's valid probes and reports the others without failing", async () => {
    const { probes, invalid } = await loadProbeFolder(folder, journeys);
    expect(probes.map((p) => p.name).sort()).toEqual(["browser", "landing-check"]);
    expect(invalid.map((e) => e.file.split("/").pop()).sort()).toEqual(["broken.yaml", "wrong-step.yaml"]);
  });
});
