import { relative } from "node:path";
import type { Config } from "../../config.js";
import { createOutboundGuard } from "../../net/outbound-guard.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { createBrowserPool } from "./browser-runner.js";
import { loadProbeFile, loadProbeFolder, ProbeFileError } from "./loader.js";
import type { ProbeRunResult, StepResult } from "./results.js";
import { runProbe } from "./run-probe.js";

type Write = (text: string) => void;

function formatStep(step: StepResult): string {
  const mark = step.outcome === "ok" ? "✔" : "✘";
  const label = step.phase === "step" ? step.name : `${step.phase}: ${step.name}`;
  const status = step.status !== undefined ? ` HTTP ${step.status}` : "";
  let line = `  ${mark} ${label.padEnd(32)} ${`${Math.round(step.durationMs)} ms`.padStart(8)}${status}`;
  for (const assertion of step.assertions.filter((a) => !a.passed)) {
    line += `\n      expected ${assertion.assertion}, got ${assertion.actual ?? "?"}`;
  }
  if (step.error && step.error.code !== "assertion_failed")
    line += `\n      ${step.error.code}: ${step.error.message}`;
  return line;
}

/** Human-readable report of a run, step by step. */
export function formatRun(result: ProbeRunResult): string {
  const lines: string[] = [];
  for (const attempt of result.attempts) {
    if (result.attempts.length > 1) lines.push(`attempt ${attempt.attempt}: ${attempt.outcome}`);
    for (const step of attempt.steps) lines.push(formatStep(step));
    for (const error of attempt.consoleErrors) lines.push(`  console: ${error}`);
    if (attempt.screenshot) lines.push(`  (screenshot of ${attempt.screenshot.byteLength} bytes taken)`);
  }
  const total = result.finishedAt.getTime() - result.startedAt.getTime();
  lines.push(`${result.outcome === "passed" ? "PASSED" : "FAILED"} ${result.probe} in ${total} ms`);
  return `${lines.join("\n")}\n`;
}

/**
 * `vigie probe run <file>`: runs one probe once, here, and prints each step; nothing is stored and
 * no event is sent. Returns whether it passed.
 */
export async function runProbeFileCommand(config: Config, file: string, write: Write): Promise<boolean> {
  const journeys = createJourneyCatalogue(config.journeys);
  const probe = await loadProbeFile(file, journeys);
  const guard = createOutboundGuard({ allow: config.probes.outbound.allow });
  const browsers = createBrowserPool({ executablePath: config.probes.chromiumPath });
  try {
    write(`${probe.name} (${probe.kind}, journey ${probe.journey})\n`);
    const result = await runProbe(
      probe,
      {
        guard,
        browsers,
        secrets: config.probes.secrets,
        location: config.probes.location,
        journeySteps: (journey) => new Set(journeys.get(journey)?.steps.map((s) => s.key) ?? []),
        log: (_probe, message) => write(`  log: ${message}\n`),
      },
      { trigger: "cli" },
    );
    write(formatRun(result));
    return result.outcome === "passed";
  } finally {
    await browsers.close();
    await guard.close();
  }
}

/** `vigie probe list`: the probes of the configured folder, and the files that cannot be used. */
export async function listProbesCommand(config: Config, write: Write): Promise<boolean> {
  const journeys = createJourneyCatalogue(config.journeys);
  const { probes, invalid } = await loadProbeFolder(config.probes.folder, journeys);
  if (probes.length === 0 && invalid.length === 0) write(`No probe in ${config.probes.folder}.\n`);
  for (const probe of probes) {
    const schedule =
      "every" in probe.schedule ? `every ${probe.schedule.every / 1000}s` : `cron ${probe.schedule.cron}`;
    write(
      `${probe.name.padEnd(28)} ${probe.kind.padEnd(8)} ${probe.journey.padEnd(22)} ${schedule.padEnd(16)} ${relative(process.cwd(), probe.file)}\n`,
    );
  }
  for (const error of invalid) write(`\ninvalid: ${error.message}\n`);
  return invalid.length === 0;
}

export { ProbeFileError };
