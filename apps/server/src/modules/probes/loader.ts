import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { type ProbeDefinition, probeSourceSchema } from "./definition.js";

const PROBE_EXTENSIONS = new Set([".yaml", ".yml", ".ts", ".mts", ".js", ".mjs"]);

/** A probe file that cannot be used, with every reason at once. */
export class ProbeFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ProbeFileError";
  }
}

function nameFromFile(file: string): string {
  return basename(file)
    .replace(/\.(probe\.)?(ya?ml|m?ts|m?js)$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-");
}

async function readSource(file: string): Promise<unknown> {
  const extension = extname(file);
  if (extension === ".yaml" || extension === ".yml") {
    try {
      return parseYaml(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ProbeFileError(file, [`not valid YAML: ${(error as Error).message.split("\n")[0]}`]);
    }
  }
  try {
    // TypeScript probes run through tsx (see ADR 0001); the mtime makes edits visible without restart.
    const url = `${pathToFileURL(file).href}?mtime=${Math.floor(statSync(file).mtimeMs)}`;
    const module = (await import(url)) as { default?: unknown };
    if (module.default === undefined)
      throw new ProbeFileError(file, ["has no default export (export default { … })"]);
    return module.default;
  } catch (error) {
    if (error instanceof ProbeFileError) throw error;
    throw new ProbeFileError(file, [`cannot be loaded: ${(error as Error).message.split("\n")[0]}`]);
  }
}

/** Loads and validates one probe file (YAML, or TypeScript/JavaScript with a default export). */
export async function loadProbeFile(path: string, journeys: JourneyCatalogue): Promise<ProbeDefinition> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ProbeFileError(file, ["file not found"]);
  if (!PROBE_EXTENSIONS.has(extname(file))) {
    throw new ProbeFileError(file, [`unsupported extension (use ${[...PROBE_EXTENSIONS].join(", ")})`]);
  }
  const raw = await readSource(file);
  const parsed = probeSourceSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProbeFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const probe = { ...parsed.data, name: parsed.data.name ?? nameFromFile(file), file } as ProbeDefinition;
  const problems: string[] = [];
  const journey = journeys.get(probe.journey);
  if (!journey) {
    problems.push(`journey: "${probe.journey}" is not a declared journey`);
  } else if (probe.kind === "http") {
    probe.steps.forEach((step, index) => {
      if (step.step && !journeys.hasStep(probe.journey, step.step)) {
        problems.push(`steps.${index}.step: "${step.step}" is not a step of journey "${probe.journey}"`);
      }
    });
  }
  if ("cron" in probe.schedule) {
    const { Cron } = await import("croner");
    try {
      new Cron(probe.schedule.cron, { timezone: probe.schedule.timezone, paused: true });
    } catch (error) {
      problems.push(`schedule.cron: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ProbeFileError(file, problems);
  return probe;
}

/** Every probe of a folder (not recursive); files that cannot be used are reported, not fatal. */
export async function loadProbeFolder(
  folder: string,
  journeys: JourneyCatalogue,
): Promise<{ probes: ProbeDefinition[]; invalid: ProbeFileError[] }> {
  const directory = resolve(folder);
  if (!existsSync(directory)) return { probes: [], invalid: [] };
  const files = readdirSync(directory)
    .filter((name) => PROBE_EXTENSIONS.has(extname(name)) && !name.startsWith(".") && !name.endsWith(".d.ts"))
    .sort();
  const probes: ProbeDefinition[] = [];
  const invalid: ProbeFileError[] = [];
  const byName = new Map<string, string>();
  for (const name of files) {
    const file = join(directory, name);
    try {
      const probe = await loadProbeFile(file, journeys);
      const previous = byName.get(probe.name);
      if (previous) {
        invalid.push(
          new ProbeFileError(file, [`name "${probe.name}" is already used by ${basename(previous)}`]),
        );
        continue;
      }
      byName.set(probe.name, file);
      probes.push(probe);
    } catch (error) {
      invalid.push(
        error instanceof ProbeFileError ? error : new ProbeFileError(file, [(error as Error).message]),
      );
    }
  }
  return { probes, invalid };
}
