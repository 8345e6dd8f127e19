import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestHeaders, stepEvent, testConfig } from "../../../test/harness.js";
import { freePort } from "../../../test/setup-embedded-postgres.js";
import { buildApp, type VigieApp } from "../../app.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "../../db/embedded.js";
import { migrate } from "../../db/migrate.js";

// The database is stopped and started again in the middle of this file, so it cannot be the
// shared test server: it runs a PostgreSQL of its own, the embedded one, whatever the engine of
// the project (under the external engine too; this file then simply repeats the embedded case).

let dir: string;
let port: number;
let postgres: EmbeddedPostgresHandle | undefined;
let database: DatabaseClient;
let vigie: VigieApp;

function startPostgres(): Promise<EmbeddedPostgresHandle> {
  return startEmbeddedPostgres({ dataDir: join(dir, "data"), port });
}

function post(event: Record<string, unknown>) {
  return vigie.app.inject({
    method: "POST",
    url: "/api/v1/events",
    headers: ingestHeaders("application/cloudevents+json"),
    payload: JSON.stringify(event),
  });
}

async function countEvents(source: string): Promise<number> {
  const row = await database.db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("source", "=", source)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vigie-outage-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  port = await freePort();
  postgres = await startPostgres();
  database = openDatabase({ url: postgres.url, poolMax: 5, connectTimeoutMs: 2000 });
  await migrate(database.pool);
  const config = testConfig();
  vigie = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
  await vigie.events.preparePartitions();
}, 300_000); // initdb of a new cluster is slow on a loaded machine

afterAll(async () => {
  await vigie?.app.close();
  await database?.close();
  await postgres?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("ingestion while the database is stopped, then started again", () => {
  it("stores events while PostgreSQL runs", async () => {
    const response = await post(stepEvent({ source: "/outage/before" }));
    expect(response.statusCode).toBe(200);
    expect(await countEvents("/outage/before")).toBe(1);
  });

  it("answers requests in flight when PostgreSQL stops with 200 (stored) or 503, never anything else", async () => {
    const events = Array.from({ length: 40 }, (_, n) =>
      Array.from({ length: 50 }, (_, k) => stepEvent({ source: "/outage/in-flight", id: `f-${n}-${k}` })),
    );
    const answers = events.map((batch) =>
      vigie.app.inject({
        method: "POST",
        url: "/api/v1/events",
        headers: ingestHeaders("application/cloudevents-batch+json"),
        payload: JSON.stringify(batch),
      }),
    );
    await postgres!.stop();
    const responses = await Promise.all(answers);
    postgres = await startPostgres();
    expect(responses.map((r) => r.statusCode).filter((status) => status !== 200 && status !== 503)).toEqual(
      [],
    );
    for (const [index, response] of responses.entries()) {
      if (response.statusCode !== 200) continue;
      const ids = events[index]!.map((e) => e.id as string);
      const stored = await database.db
        .selectFrom("events")
        .select("id")
        .where("source", "=", "/outage/in-flight")
        .where("id", "in", ids)
        .execute();
      expect(stored).toHaveLength(ids.length);
    }
  });

  it("answers 503 with Retry-After, never a 2xx, once PostgreSQL is stopped", async () => {
    await postgres!.stop();
    postgres = undefined;
    // Several requests: the first meets the pool's dead connections, the next ones a refused connect.
    for (const event of [stepEvent({ source: "/outage/during" }), stepEvent({ source: "/outage/during" })]) {
      const response = await post(event);
      expect(response.statusCode).toBe(503);
      expect(response.headers["retry-after"]).toMatch(/^\d+$/);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 503, code: "service_unavailable" });
    }
  });

  it("is not ready while PostgreSQL is stopped", async () => {
    const response = await vigie.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("stores events again once PostgreSQL is back, without restarting Vigie", async () => {
    postgres = await startPostgres();
    const response = await post(stepEvent({ source: "/outage/after" }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect((await vigie.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
    expect(await countEvents("/outage/after")).toBe(1);
    expect(await countEvents("/outage/during")).toBe(0);
    expect(await countEvents("/outage/before")).toBe(1);
  });

  it("answers requests in flight when PostgreSQL stops with 200 (stored) or 503, never anything else", async () => {
    const events = Array.from({ length: 40 }, (_, n) =>
      Array.from({ length: 50 }, (_, k) => stepEvent({ source: "/outage/in-flight", id: `f-${n}-${k}` })),
    );
    const answers = events.map((batch) =>
      vigie.app.inject({
        method: "POST",
        url: "/api/v1/events",
        headers: ingestHeaders("application/cloudevents-batch+json"),
        payload: JSON.stringify(batch),
      }),
    );
    await postgres!.stop();
    const responses = await Promise.all(answers);
    postgres = await startPostgres();
    expect(responses.map((r) => r.statusCode).filter((status) => status !== 200 && status !== 503)).toEqual(
      [],
    );
    for (const [index, response] of responses.entries()) {
      if (response.statusCode !== 200) continue;
      const ids = events[index]!.map((e) => e.id as string);
      const stored = await database.db
        .selectFrom("events")
        .select("id")
        .where("source", "=", "/outage/in-flight")
        .where("id", "in", ids)
        .execute();
      expect(stored).toHaveLength(ids.length);
    }
  });
});
