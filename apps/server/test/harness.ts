import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { inject } from "vitest";
import type { Role } from "../src/access.js";
import { buildApp, type VigieApp } from "../src/app.js";
import { type Config, parseConfig } from "../src/config.js";
import { type DatabaseClient, openDatabase } from "../src/db/client.js";
import { sessionCookieHeader } from "../src/modules/sessions/cookie.js";
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
 * Headers that authenticate a test request as a user holding `role`: a real user of that role
 * (created once per app) with a fresh real session, sent as the session cookie.
 */
export async function authHeaders(vigie: VigieApp, role: Role): Promise<Record<string, string>> {
  const token = await signedInSession(vigie, role);
  return { cookie: sessionCookieHeader(token) };
}

const testUsers = new WeakMap<VigieApp, Map<Role, Promise<string>>>();

/** The id of this app's test user of `role`, created on first use. */
export function testUser(vigie: VigieApp, role: Role): Promise<string> {
  let users = testUsers.get(vigie);
  if (!users) {
    users = new Map();
    testUsers.set(vigie, users);
  }
  let id = users.get(role);
  if (!id) {
    id = vigie.auth.usersRepository
      .insert({
        username: `test-${role}-${randomBytes(4).toString("hex")}`,
        displayName: `Test ${role}`,
        role,
        passwordHash: null,
        mustChangePassword: false,
      })
      .then((row) => {
        if (!row) throw new Error("test user not created");
        return row.id;
      });
    users.set(role, id);
  }
  return id;
}

/** A new live session token for this app's test user of `role`. */
export async function signedInSession(vigie: VigieApp, role: Role): Promise<string> {
  const userId = await testUser(vigie, role);
  const { token } = await vigie.auth.sessions.open(userId, { address: "127.0.0.1", method: "test" });
  return token;
}

/** Bearer headers of a new read key acting as `role`. */
export async function readKeyHeaders(vigie: VigieApp, role: Role): Promise<Record<string, string>> {
  const { secret } = await vigie.auth.keys.create(
    { actor: { kind: "system" }, address: null },
    { kind: "read", name: `test read key (${role})`, role },
  );
  return { authorization: `Bearer ${secret}` };
}
