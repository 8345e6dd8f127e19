import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.js";
import { listProbesCommand, runProbeFileCommand } from "./cli.js";
import { startLocalServer } from "./test-support.js";

const folder = mkdtempSync(join(tmpdir(), "vigie-cli-probes-"));
let target: Awaited<ReturnType<typeof startLocalServer>>;

beforeAll(async () => {
  target = await startLocalServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"prospectId":"p-1"}');
  });
});
afterAll(async () => {
  await target.close();
  rmSync(folder, { recursive: true, force: true });
});

function config(probesFolder = folder) {
  return parseConfig({
    journeys: [
      {
        key: "cco-subscription",
        name: { fr: "Ouverture", en: "Opening" },
        steps: ["landing", "identity"].map((key) => ({ key, name: { fr: key, en: key } })),
      },
    ],
    probes: { folder: probesFolder, outbound: { allow: ["127.0.0.1"] } },
  });
}

describe("vigie probe", () => {
  it("run prints each step with its result and timing, and says whether it passed", async () => {
    const file = join(folder, "try-me.yaml");
    writeFileSync(
      file,
      `journey: cco-subscription
schedule: { every: 1m }
variables: { baseUrl: "${target.url}" }
steps:
  - step: landing
    request: { url: "{{baseUrl}}/" }
    assert: [{ status: 200 }]
  - step: identity
    request: { url: "{{baseUrl}}/" }
    assert: [{ jsonPath: { path: $.prospectId, equals: p-2 } }]
`,
    );
    let output = "";
    const passed = await runProbeFileCommand(config(), file, (text) => {
      output += text;
    });
    expect(passed).toBe(false);
    expect(output).toMatch(/✔ landing\s+\d+ ms HTTP 200/);
    expect(output).toMatch(
      /✘ identity\s+\d+ ms HTTP 200\n\s+expected jsonPath \$\.prospectId = "p-2", got p-1/,
    );
    expect(output).toMatch(/FAILED try-me in \d+ ms/);
  });

  it("list shows the folder's probes", async () => {
    const own = mkdtempSync(join(folder, "list-"));
    writeFileSync(
      join(own, "listed.yaml"),
      `journey: cco-subscription
schedule: { every: 1m }
steps:
  - step: landing
    request: { url: "https://bank.example/" }
`,
    );
    let output = "";
    await listProbesCommand(config(own), (text) => {
      output += text;
    });
    expect(output).toMatch(/listed\s+http\s+cco-subscription\s+every 60s/);
  });
});
