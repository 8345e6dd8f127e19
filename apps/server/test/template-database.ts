import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../src/db/migrate.js";

/** Replaces the database name of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates a migrated template database once per test run; each test file then clones it, so that
 * every test file has a database of its own (CREATE DATABASE ... TEMPLATE is fast).
 */
export async function createTemplateDatabase(
  adminUrl: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `vigie_tpl_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, name), max: 1 });
  try {
    await migrate(pool);
    await pool.query(
      "SELECT vigie_ensure_event_partitions((now() - interval '400 days')::date, (now() + interval '62 days')::date)",
    );
  } finally {
    await pool.end();
  }
  return {
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const clones = await client.query<{ datname: string }>(
          "SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2",
          [`${name.replace("tpl", "t")}_%`, name],
        );
        for (const { datname } of clones.rows) {
          await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of a database where test files may CREATE DATABASE. */
    adminDatabaseUrl: string;
    /** Migrated template that test databases are cloned from. */
    templateDatabase: string;
    engine: string;
  }
}
