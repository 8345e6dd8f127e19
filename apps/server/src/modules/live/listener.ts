import pg from "pg";
import { decodeNotice, type LiveNotice } from "./notice.js";

/** Options of the change listener; defaults in brackets. */
export interface ChangeListenerOptions {
  /** Connection settings of the dedicated connection (the pool's). */
  connection: pg.ClientConfig;
  /** A plain lower-case identifier. */
  channel: string;
  /** A notice from any instance, this one included. */
  onNotice(notice: LiveNotice): void;
  /** The connection is back after a loss (or a failed start): notices may have been missed. */
  onResumed(): void;
  /** First delay before connecting again, doubled after each failure up to `maxRetryMs` [500 ms]. */
  retryMs?: number;
  /** Longest delay between two attempts [30 s]. */
  maxRetryMs?: number;
  /** A query this often finds a connection that died silently (no FIN from a vanished host) [30 s]. */
  checkEveryMs?: number;
  log?: (level: "info" | "warn", message: string, details?: Record<string, unknown>) => void;
}

/**
 * Hears every instance's notices on one dedicated connection (LISTEN needs a session of its own: a
 * pool connection would be handed to other queries). A lost connection is opened again with backoff,
 * and `onResumed` then says that notices may have been missed in between.
 */
export function createChangeListener(options: ChangeListenerOptions) {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`invalid channel "${options.channel}"`);
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const checkEveryMs = options.checkEveryMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  let client: pg.Client | undefined;
  let backendPid: number | undefined;
  let attempt: Promise<void> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let checkTimer: ReturnType<typeof setInterval> | undefined;
  let failures = 0;
  let started = false;
  let resuming = false;
  let closed = false;

  async function connect(): Promise<void> {
    const connection = new pg.Client({
      ...options.connection,
      application_name: "vigie-live",
      keepAlive: true,
      // a check that gets no answer means the connection is gone, whatever the socket thinks
      query_timeout: checkEveryMs,
    });
    client = connection;
    connection.on("error", (error) => lost(connection, error));
    connection.on("end", () => lost(connection));
    connection.on("notification", (message) => {
      if (message.channel !== options.channel) return;
      const notice = decodeNotice(message.payload);
      if (notice) options.onNotice(notice);
    });
    try {
      await connection.connect();
      await connection.query(`LISTEN ${options.channel}`);
      const row = await connection.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      if (client !== connection) return; // closed, or lost, meanwhile
      backendPid = row.rows[0]?.pid;
    } catch (error) {
      lost(connection, error);
      return;
    }
    checkTimer = setInterval(() => {
      connection.query("SELECT 1").catch((error: unknown) => lost(connection, error));
    }, checkEveryMs);
    checkTimer.unref();
    if (resuming) {
      log("info", "live updates listener connected again", { after: failures });
      options.onResumed();
    }
    failures = 0;
    resuming = false;
  }

  function lost(connection: pg.Client, error?: unknown): void {
    if (client !== connection) return; // already handled, or an old connection ending
    client = undefined;
    backendPid = undefined;
    clearInterval(checkTimer);
    connection.end().catch(() => undefined);
    if (closed) return;
    resuming = true;
    failures += 1;
    // full jitter: instances that lost the server together do not come back in step
    const delay = Math.random() * Math.min(maxRetryMs, retryMs * 2 ** (failures - 1));
    log("warn", "live updates listener lost its connection; other instances' changes wait for it", {
      error: error instanceof Error ? error.message : undefined,
      retryInMs: Math.round(delay),
    });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      attempt = connect();
    }, delay);
    retryTimer.unref();
  }

  return {
    /** Connects and listens; a failure is retried in the background (the app starts all the same). */
    async start(): Promise<void> {
      if (started || closed) return;
      started = true;
      attempt = connect();
      await attempt;
    },

    /** Whether notices are being heard now. */
    get listening(): boolean {
      return backendPid !== undefined;
    },

    /** PostgreSQL's process id of the listening connection, while there is one (for operators and tests). */
    get backendPid(): number | undefined {
      return backendPid;
    },

    /** Stops listening and ends the connection (an attempt in flight is abandoned). */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(checkTimer);
      const connection = client;
      client = undefined;
      backendPid = undefined;
      await connection?.end().catch(() => undefined);
      await attempt;
    },
  };
}

export type ChangeListener = ReturnType<typeof createChangeListener>;
