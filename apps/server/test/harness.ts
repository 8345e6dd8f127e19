import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { inject } from "vitest";
import type { Role } from "../src/access.js";
import { buildApp, type VigieApp } from "../src/app.js";
import { type Config, parseConfig } from "../src/config.js";
import { type DatabaseClient, openDatabase } from "../src/db/client.js";
import { withDatabase } from "./template-database.js";

export const TEST_INGEST_KEY = "test-ingest-key-0123456789";

/** A journey shaped like the demo bank's, for tests. */
export const TEST_JOURNEYS = [
  {
    key: "cco-subscription",
    name: { fr: "Ouverture de compte courant", en: "Current account opening" },
    steps: ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"].map(
      (key) => ({
        key,
        name: { fr: key, en: key },
      }),
    ),
  },
];

/** Creates an empty, migrated database of this test file's own; dropped by `drop()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject("adminDatabaseUrl");
  const template = inject("templateDatabase");
  const name = `${template.replace("tpl", "t")}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  return {
    url: withDatabase(admin, name),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A test configuration: the test journey, one ingest key; `overrides` are merged at the top level. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return parseConfig({
    journeys: TEST_JOURNEYS,
    ingest: { keys: [{ name: "test", key: TEST_INGEST_KEY }] },
    log: { level: "silent" },
    ...overrides,
  });
}

export interface TestApp extends VigieApp {
  database: DatabaseClient;
  url: string;
  /** Base URL once `listen()` was called. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** A real Vigie app on a database of its own (no mock anywhere). */
export async function startTestApp(config: Config = testConfig()): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const database = openDatabase({ url: testDb.url, poolMax: 10, connectTimeoutMs: 2000 });
  const vigie = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
  await vigie.events.preparePartitions();
  return {
    ...vigie,
    database,
    url: testDb.url,
    async listen() {
      await vigie.app.listen({ host: "127.0.0.1", port: 0 });
      return `http://127.0.0.1:${(vigie.app.server.address() as AddressInfo).port}`;
    },
    async close() {
      await vigie.app.close();
      await database.close();
      await testDb.drop();
    },
  };
}

let counter = 0;

/** A valid `vigie.step` event; `overrides` replace envelope fields, `data` fields are merged. */
export function stepEvent(
  overrides: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  counter += 1;
  return {
    specversion: "1.0",
    id: `evt-${process.pid}-${counter}-${randomBytes(3).toString("hex")}`,
    source: "/tests/app",
    type: "vigie.step",
    time: new Date().toISOString(),
    ...overrides,
    data: {
      journey: "cco-subscription",
      runId: "run-1",
      step: "identity",
      outcome: "ok",
      durationMs: 120,
      ...data,
    },
  };
}

export const ingestHeaders = (contentType: string) => ({
  authorization: `Bearer ${TEST_INGEST_KEY}`,
  "content-type": contentType,
});

/**
 * Headers that authenticate a test request as a user holding `role`. Use them on every call to a
 * route that declares roles. (Until sign-in lands the routes are open and this returns none; the
 * users module makes it create a real user and session.)
 */
export async function authHeaders(_vigie: TestApp, _role: Role): Promise<Record<string, string>> {
  return {};
}
