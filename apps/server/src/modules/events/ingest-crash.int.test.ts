import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import {
  createTestDatabase,
  ingestHeaders,
  stepEvent,
  TEST_INGEST_KEY,
  TEST_JOURNEYS,
} from "../../../test/harness.js";
import { freePort } from "../../../test/setup-embedded-postgres.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";

// The real server runs as a child process; a retrying client sends 10,000 events in batches of 100
// over 4 connections. Once ~30% of the batches are acknowledged the server is killed with SIGKILL
// (requests in flight are lost mid-way) and started again; the client resends every batch that
// got no 2xx until all are acknowledged.
const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "../../../../../..");
const EVENTS = 10_000;
const BATCH_SIZE = 100;
const LANES = 4;
const KILL_AFTER = 30; // acknowledged batches
const SOURCE = "/crash";

interface Server {
  child: ChildProcess;
  exited: Promise<void>;
}

const children = new Set<ChildProcess>();
let testDb: { url: string; drop(): Promise<void> };
let database: DatabaseClient;
let dir: string;
let port: number;
let base: string;

const batches: Record<string, unknown>[][] = [];
/** Batches answered 2xx, with the answer. */
const acknowledged = new Map<number, { accepted: number; duplicates: number }>();
let killedAt = -1;
let ackedAfterRestart = 0;
let retries = 0;

/** Starts `vigie start` and resolves once it prints that it is up. */
function startServer(): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts", "start"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDb.url,
      PORT: String(port),
      VIGIE_INGEST_KEYS: `test:${TEST_INGEST_KEY}`,
      VIGIE_LOG_LEVEL: "warn",
      VIGIE_CONFIG: join(dir, "vigie.config.yaml"),
      VIGIE_DATA_DIR: join(dir, "data"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  void exited.then(() => children.delete(child));
  return new Promise((ready, fail) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Vigie is up")) ready({ child, exited });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code, signal) =>
      fail(new Error(`the server exited before being up (${code ?? signal}):\n${output.slice(-4000)}`)),
    );
  });
}

/** Sends one batch until it gets a 2xx; network errors and 5xx are retried with the same batch. */
async function sendUntilAcknowledged(index: number, onAcknowledged: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: ingestHeaders("application/cloudevents-batch+json"),
        body: JSON.stringify(batches[index]),
      });
      const body = (await response.json()) as { accepted: number; duplicates: number };
      if (response.ok) {
        acknowledged.set(index, body);
        await onAcknowledged();
        return;
      }
      if (response.status < 500) throw new Error(`batch ${index} refused: ${JSON.stringify(body)}`);
    } catch (error) {
      if ((error as Error).message.startsWith(`batch ${index} refused`)) throw error;
    }
    retries += 1;
    // a client's back-off before resending (the server is down or restarting)
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase({ url: testDb.url, poolMax: 2 });
  dir = mkdtempSync(join(tmpdir(), "vigie-crash-"));
  writeFileSync(join(dir, "vigie.config.yaml"), toYaml({ journeys: TEST_JOURNEYS }));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  for (let b = 0; b < EVENTS / BATCH_SIZE; b++) {
    batches.push(
      Array.from({ length: BATCH_SIZE }, (_, k) =>
        stepEvent({ source: SOURCE, id: `crash-${b * BATCH_SIZE + k}` }, { runId: `crash-run-${b}` }),
      ),
    );
  }

  let server = await startServer();
  let restarting: Promise<void> | undefined;
  const afterAcknowledged = async () => {
    if (killedAt >= 0) {
      ackedAfterRestart += 1;
      return;
    }
    if (acknowledged.size < KILL_AFTER) return;
    killedAt = acknowledged.size;
    const killed = server;
    restarting = (async () => {
      killed.child.kill("SIGKILL");
      await killed.exited;
      server = await startServer();
    })();
    await restarting;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < batches.length) {
        const index = next++;
        await sendUntilAcknowledged(index, afterAcknowledged);
      }
    }),
  );
  await restarting;
  server.child.kill("SIGTERM");
  await server.exited;
}, 300_000); // two server starts and 10,000 events: generous for a loaded CI machine

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await database?.close();
  await testDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function storedCopies(): Promise<Map<string, number>> {
  const result = await sql<{ id: string; copies: number }>`
    SELECT id, count(*)::int AS copies FROM events WHERE source = ${SOURCE} GROUP BY id`.execute(database.db);
  return new Map(result.rows.map((r) => [r.id, r.copies]));
}

describe("kill -9 of the server during a 10,000-event ingestion", () => {
  it("happened mid-way: batches were acknowledged before the kill and after the restart", () => {
    expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(killedAt).toBeLessThan(batches.length);
    expect(ackedAfterRestart).toBeGreaterThan(0);
    expect(retries).toBeGreaterThan(0); // some sends failed because of the kill and were resent
    expect(acknowledged.size).toBe(batches.length);
  });

  it("stores every event of every acknowledged batch exactly once", async () => {
    const copies = await storedCopies();
    const missingOrDoubled = [...acknowledged.keys()]
      .flatMap((b) => batches[b]!.map((e) => e.id as string))
      .filter((id) => copies.get(id) !== 1);
    expect(missingOrDoubled).toEqual([]);
  });

  it("stores all 10,000 events once, and nothing else", async () => {
    const copies = await storedCopies();
    expect(copies.size).toBe(EVENTS);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  });

  it("never holds one (source, id) twice, in events or in event_keys", async () => {
    const doubled = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT source, id FROM events GROUP BY source, id HAVING count(*) > 1
        UNION ALL
        SELECT source, id FROM event_keys GROUP BY source, id HAVING count(*) > 1) d`.execute(database.db);
    expect(doubled.rows[0]?.n).toBe(0);
    const keys = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM event_keys WHERE source = ${SOURCE}`.execute(database.db);
    expect(keys.rows[0]?.n).toBe(EVENTS);
  });

  it("answered accepted for each event at most once over all acknowledgements", () => {
    const accepted = [...acknowledged.values()].reduce((sum, a) => sum + a.accepted, 0);
    expect(accepted).toBeLessThanOrEqual(EVENTS);
    // Only a batch committed just before the kill, whose answer was lost, comes back as duplicates.
    expect(accepted).toBeGreaterThanOrEqual(EVENTS - LANES * BATCH_SIZE);
  });
});
