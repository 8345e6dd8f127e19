import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../apps/server/src/db/embedded.js";
import { freePort } from "./ports.js";

/** A PostgreSQL database created for one benchmark run. */
export interface BenchPostgres {
  /** URL of a fresh, empty database of this run. */
  url: string;
  /** "embedded" (started in a temporary folder) or "external" (BENCH_DATABASE_URL / DATABASE_URL). */
  engine: "embedded" | "external";
  /** Drops the database, and stops the embedded server if this run started it. */
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Gives the benchmark a fresh database: on the server named by `externalUrl` when given (it must
 * allow CREATE DATABASE), else on an embedded PostgreSQL started in a temporary folder.
 */
export async function startBenchPostgres(externalUrl?: string): Promise<BenchPostgres> {
  const name = `vigie_bench_${randomBytes(4).toString("hex")}`;
  if (externalUrl) {
    const adminUrl = withDatabase(externalUrl, "postgres");
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    return {
      url: withDatabase(externalUrl, name),
      engine: "external",
      stop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "vigie-bench-pg-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, "data"),
    port: await freePort(),
    database: name,
  });
  return {
    url: server.url,
    engine: "embedded",
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
