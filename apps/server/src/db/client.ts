import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

// timestamptz as Date, bigint/numeric as number where safe
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseClient {
  db: Kysely<Database>;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Options of the connection pool; defaults in brackets. */
export interface DatabaseOptions {
  url: string;
  /** Connections at most [10]. */
  poolMax?: number;
  /** How long a request waits for a connection before failing with 503 [5000 ms]. */
  connectTimeoutMs?: number;
  onPoolError?: (error: Error) => void;
}

/**
 * pg-pool listens for errors only on idle clients: a connection lost while checked out (e.g. between
 * two statements of a transaction when PostgreSQL stops) emits 'error' on the client with no
 * listener, an uncaught exception that kills the process. Call this on every pg.Pool. The failure
 * still reaches the query in flight, or the next one ("not queryable", a 503).
 */
export function handleCheckedOutClientErrors(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
}

/** Opens a pool to PostgreSQL; an unreachable server fails requests, it never crashes the process. */
export function openDatabase(options: DatabaseOptions): DatabaseClient {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: "vigie",
  });
  // An idle client losing its server emits here; without a listener the process would exit.
  pool.on("error", (error) => options.onPoolError?.(error));
  handleCheckedOutClientErrors(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: () => db.destroy(),
  };
}
