import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { processCpuSeconds } from "./cpu.js";
import { freePort } from "./ports.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The journey every bench configures, shaped like the demo bank's account opening. */
export const BENCH_JOURNEY = {
  key: "cco-subscription",
  name: { fr: "Ouverture de compte courant", en: "Current account opening" },
  steps: ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"].map(
    (key) => ({ key, name: { fr: key, en: key } }),
  ),
};

/** How to start the server; defaults in brackets. */
export interface VigieProcessOptions {
  databaseUrl: string;
  /** Extra configuration merged at the top level of the config file [journeys: BENCH_JOURNEY]. */
  config?: Record<string, unknown>;
  /** Extra environment variables [none]. */
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` [none; BENCH_NODE_ARGS is appended]. */
  nodeArgs?: string[];
  /** Log level of the server [info, the default of a real installation]. */
  logLevel?: string;
}

/** Memory of a process as the kernel reports it, in bytes. */
export interface ProcessMemory {
  /** Resident set size now (VmRSS). */
  rss: number;
  /** Peak resident set size since start (VmHWM). */
  peakRss: number;
}

/** A Vigie server running in a child process. */
export interface VigieProcess {
  url: string;
  pid: number;
  ingestKey: string;
  /** Where the server's stdout and stderr go. */
  logFile: string;
  /** The last lines of the server's log, to tell why something failed. */
  logTail(lines?: number): string;
  memory(): ProcessMemory;
  /** CPU time (user + system) used by the server so far, in seconds. */
  cpuSeconds(): number;
  /** SIGTERM, then waits for a graceful exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/** Reads VmRSS and VmHWM of a process from /proc/<pid>/status. */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") * 1024, peakRss: kib("VmHWM") * 1024 };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
}

function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts the real Vigie server (`vigie start`, as `npm start` does) in a child process against
 * `databaseUrl`, and resolves once `/readyz` answers 200.
 */
export async function startVigieProcess(options: VigieProcessOptions): Promise<VigieProcess> {
  const dir = mkdtempSync(join(tmpdir(), "vigie-bench-server-"));
  const port = await freePort();
  const ingestKey = `bench-${randomBytes(12).toString("hex")}`;
  const configFile = join(dir, "vigie.config.yaml");
  // YAML is a superset of JSON
  writeFileSync(configFile, JSON.stringify({ journeys: [BENCH_JOURNEY], ...options.config }, null, 2));
  const logFile = join(dir, "server.log");
  const log = openSync(logFile, "a");
  const extraNodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...extraNodeArgs, "--import", "tsx", "apps/server/src/main.ts", "start"],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        VIGIE_CONFIG: configFile,
        VIGIE_HOST: "127.0.0.1",
        PORT: String(port),
        VIGIE_DATA_DIR: join(dir, "data"),
        VIGIE_INGEST_KEYS: `bench:${ingestKey}`,
        VIGIE_LOG_LEVEL: options.logLevel ?? "info",
        ...options.env,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Vigie exited during start-up:\n${logTail(logFile)}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Vigie was not ready within 60 s:\n${logTail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    ingestKey,
    logFile,
    logTail: (lines) => logTail(logFile, lines),
    memory: () => processMemory(pid),
    cpuSeconds: () => processCpuSeconds(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
        await exited(child);
        clearTimeout(killer);
      }
      // keep the folder when asked, e.g. to read a --cpu-prof profile written there
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
      else process.stdout.write(`server folder kept: ${dir}\n`);
    },
  };
}
