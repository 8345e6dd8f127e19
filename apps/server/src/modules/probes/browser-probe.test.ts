import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboundGuard } from "../../net/outbound-guard.js";
import { createBrowserPool } from "./browser-runner.js";
import { runProbe } from "./run-probe.js";
import { probeFrom, startLocalServer } from "./test-support.js";

const STEPS = new Set(["landing", "identity", "contact"]);
const guard = createOutboundGuard({ allow: ["127.0.0.1"] });
const browsers = createBrowserPool({ executablePath: process.env.VIGIE_CHROMIUM ?? "/usr/bin/chromium" });
const deps = { guard, browsers, secrets: {}, journeySteps: () => STEPS };
let target: Awaited<ReturnType<typeof startLocalServer>>;

const PAGES: Record<string, string> = {
  "/": `<main data-step="landing"><h1>Bienvenue</h1><form method="post" action="/identite">
    <button data-testid="start">Ouvrir mon compte</button></form></main>`,
  "/identite": `<main data-step="identity"><label>Prénom <input name="prenom"></label>
    <span data-testid="prospect-id">p-9</span><img src="http://127.0.0.2:9/tracker.gif"></main>`,
  "/hang": `<main><script>while (true) {}</script></main>`,
};

/** Chromium processes descending from this test process (children of children included). */
function chromiumDescendants(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => {
    if (!descends(pid)) return false;
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
    } catch {
      return false;
    }
  });
}

/** Waits until no Chromium process of ours is left (their exit is asynchronous), at most 10 s. */
async function chromiumGone(): Promise<number[]> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const left = chromiumDescendants();
    if (left.length === 0) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
  return chromiumDescendants();
}

beforeAll(async () => {
  target = await startLocalServer((request, response) => {
    const page = PAGES[new URL(request.url ?? "/", "http://x").pathname];
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(page ?? "not found");
  });
});
afterAll(async () => {
  await browsers.close();
  await target.close();
  await guard.close();
});

describe("browser probes", () => {
  it("times each step of plain Playwright code, guards the page's requests and closes Chromium after the run", async () => {
    let chromiumSeen = 0;
    const probe = probeFrom({
      kind: "browser",
      journey: "cco-subscription",
      schedule: { every: "5m" },
      variables: { baseUrl: target.url },
      run: async ({ page, step, expect, vars }) => {
        await step("landing", async () => {
          await page.goto(vars.baseUrl!);
          await expect(page.getByRole("heading")).toHaveText("Bienvenue");
          await page.getByTestId("start").click();
        });
        await step("identity", async () => {
          await page.locator('input[name="prenom"]').fill("Camille");
          vars.prospectId = (await page.getByTestId("prospect-id").textContent()) ?? "";
          vars.chromiumDuringRun = String(chromiumDescendants().length);
        });
      },
      teardown: async ({ vars }) => {
        if (vars.prospectId !== "p-9") throw new Error(`teardown got ${vars.prospectId}`);
        chromiumSeen = Number(vars.chromiumDuringRun);
      },
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    const attempt = result.attempts[0]!;
    expect(attempt.error).toBeUndefined();
    expect(result.outcome).toBe("passed");
    expect(attempt.steps.map((s) => [s.phase, s.name, s.outcome])).toEqual([
      ["step", "landing", "ok"],
      ["step", "identity", "ok"],
      ["teardown", "teardown", "ok"],
    ]);
    expect(attempt.steps[0]!.durationMs).toBeGreaterThan(0);
    expect(chromiumSeen).toBeGreaterThan(0);
    // The page's call to an address the guard does not allow was refused, not made.
    expect(attempt.consoleErrors.join("\n")).toMatch(/request refused: .*127\.0\.0\.2.*loopback/);
    expect(await chromiumGone()).toEqual([]);
  });

  it("kills a hung page at the timeout, runs the teardown and leaves no Chromium behind", async () => {
    let tornDown = false;
    const probe = probeFrom({
      kind: "browser",
      journey: "cco-subscription",
      schedule: { every: "5m" },
      timeout: "2s",
      variables: { baseUrl: target.url },
      run: async ({ page, step, vars }) => {
        await step("landing", async () => {
          await page.goto(`${vars.baseUrl}/hang`, { timeout: 0 });
          await page.waitForSelector("#never", { timeout: 0 });
        });
      },
      teardown: async () => {
        tornDown = true;
      },
    });
    const result = await runProbe(probe, deps, { trigger: "cli" });
    const attempt = result.attempts[0]!;
    expect(result.outcome).toBe("failed");
    expect(attempt.steps[0]).toMatchObject({ step: "landing", outcome: "error", error: { code: "timeout" } });
    expect(tornDown).toBe(true);
    expect(await chromiumGone()).toEqual([]);
  });
});
