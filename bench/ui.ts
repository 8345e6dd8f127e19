/**
 * Web app benchmark (`npm run bench:ui`):
 *
 * 1. JavaScript and CSS per route, gzipped, from the production build (apps/web/dist and its Vite
 *    manifest): what the board loads first, and what each lazy page adds.
 * 2. Board first render with 1,000 journeys in Debian's Chromium: from navigation start to the
 *    1,000th tile in the DOM, the board answer served from contract-shaped fixtures (so the figure is
 *    the web app's own cost: download, parse, render; the API's time is in the analytics section).
 * 3. Journey page over 30 days (720 hourly points per series): from navigation start to every chart
 *    drawn, API answers from fixtures likewise.
 *
 *   npm run bench:ui -- [--runs 7] [--journeys 1000]
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../apps/web/e2e/browser.ts";
import { FIXTURE_ORIGIN, serveDistWithFixtures } from "../apps/web/e2e/serve-dist.ts";
// @ts-expect-error: plain ESM script shared with `npm start`
import { ensureWebBuilt } from "../apps/web/scripts/ensure-built.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, journeys: { type: "string", default: "1000" } },
});
const RUNS = Number(values.runs);
const JOURNEYS = Number(values.journeys);
const DIST = fileURLToPath(new URL("../apps/web/dist", import.meta.url));

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
  isDynamicEntry?: boolean;
}

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Every file a chunk needs before it runs: itself and its static imports, transitively. */
function closure(
  manifest: Record<string, ManifestChunk>,
  key: string,
  seen = new Set<string>(),
): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

function bundleSizes() {
  const manifest = JSON.parse(readFileSync(join(DIST, ".vite", "manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >;
  const initial = closure(manifest, "index.html");
  const sum = (files: Iterable<string>, ext: string) =>
    [...files].filter((file) => file.endsWith(ext)).reduce((total, file) => total + gz(file), 0);
  const rows: [string, string, string][] = [
    ["board (initial load)", kb(sum(initial, ".js")), kb(sum(initial, ".css"))],
  ];
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.isDynamicEntry || !key.startsWith("src/")) continue;
    const extra = [...closure(manifest, key)].filter((file) => !initial.has(file));
    rows.push([
      `+ ${key.replace(/^src\/features\//, "").replace("/components/", ": ")}`,
      kb(sum(extra, ".js")),
      kb(sum(extra, ".css")),
    ]);
  }
  return { rows, initialJs: sum(initial, ".js") };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall time to ready, and the renderer's CPU time (less sensitive to a loaded machine). */
async function timeRender(
  path: string,
  ready: string,
  journeys: number,
): Promise<{ wall: number[]; busy: number[] }> {
  const browser = await launchChromium();
  const times: number[] = [];
  const busy: number[] = [];
  try {
    for (let run = 0; run < RUNS + 1; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "fr-FR" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      await serveDistWithFixtures(page, { journeys });
      await page.goto(`${FIXTURE_ORIGIN}${path}`, { waitUntil: "commit" });
      await page.waitForFunction(ready, undefined, { timeout: 120_000, polling: 100 });
      const elapsed = await page.evaluate(() => performance.now());
      const { metrics } = await cdp.send("Performance.getMetrics");
      // CPU time of the renderer process: unlike wall time, not stretched by other processes' load
      const task = metrics.find((metric) => metric.name === "ProcessTime")?.value ?? Number.NaN;
      // the first run warms Chromium's caches of the bench process
      if (run > 0) {
        times.push(elapsed);
        busy.push(task * 1000);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { wall: times.sort((a, b) => a - b), busy: busy.sort((a, b) => a - b) };
}

function summary(values: number[]): string {
  return `median ${values[Math.floor(values.length / 2)]!.toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms`;
}

ensureWebBuilt({ quiet: true });
const chromiumVersion = await (async () => {
  const browser = await launchChromium();
  const version = browser.version();
  await browser.close();
  return version;
})();
console.log("Machine");
console.log(`  CPU       ${cpus()[0]?.model.trim()} × ${cpus().length} cores`);
console.log(`  memory    ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`);
console.log(`  Node.js   ${process.version}, Chromium ${chromiumVersion} (headless)`);
console.log(
  `  load      ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (1, 5, 15 min averages)`,
);

const sizes = bundleSizes();
console.log("\nJavaScript and CSS per route (gzip -9)");
for (const [route, js, css] of sizes.rows)
  console.log(`  ${route.padEnd(44)} JS ${js.padStart(9)}   CSS ${css.padStart(8)}`);
console.log(
  `  board initial JavaScript: ${kb(sizes.initialJs)} (budget 300 KB) ${sizes.initialJs < 300 * 1024 ? "OK" : "OVER"}`,
);

const firstScreen = await timeRender(
  "/",
  `document.querySelectorAll('[data-testid^="tile-"]').length >= 40`,
  JOURNEYS,
);
console.log(
  `\nBoard first render, ${JOURNEYS} journeys (navigation start → first 40 tiles, a wall screen), ${RUNS} runs`,
);
console.log(`  wall time          ${summary(firstScreen.wall)}`);
console.log(`  renderer CPU time  ${summary(firstScreen.busy)}`);

const board = await timeRender(
  "/",
  `document.querySelectorAll('[data-testid^="tile-"]').length >= ${JOURNEYS}`,
  JOURNEYS,
);
console.log(
  `\nBoard first render, ${JOURNEYS} journeys (navigation start → all tiles in the DOM), ${RUNS} runs`,
);
console.log(`  wall time          ${summary(board.wall)}`);
console.log(`  renderer CPU time  ${summary(board.busy)}`);

const journey = await timeRender(
  "/journeys/cco-subscription?range=30d&compare=1",
  `["chart-availability","chart-funnel","chart-drop-off","chart-volumes","chart-latency"].every((id) => document.querySelector('[data-testid="' + id + '"] svg path'))`,
  3,
);
console.log(`\nJourney page, 30 days with comparison (navigation start → every chart drawn), ${RUNS} runs`);
console.log(`  wall time          ${summary(journey.wall)}`);
console.log(`  renderer CPU time  ${summary(journey.busy)}`);
