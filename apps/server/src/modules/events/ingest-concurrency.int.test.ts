import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestHeaders, startTestApp, stepEvent, type TestApp, testConfig } from "../../../test/harness.js";
import { buildApp, type VigieApp } from "../../app.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";

// 20 senders each post 10 batches of 100 events over real HTTP, at the same time. Sender s sends the
// events [97·s, 97·s + 1000) of a pool of 2,000 (wrapping), each batch shuffled: batches of
// different senders overlap partly and hold shared events, and prospects of shared runs, in different
// orders (the case where row locks taken in request order deadlock). Senders are spread over three
// Vigie instances sharing the database, as in a scaled deployment: within one instance requests are
// grouped into one writer's transactions, so only separate instances contend for rows in PostgreSQL.
const SENDERS = 20;
const BATCHES = 10;
const BATCH_SIZE = 100;
const DISTINCT = 2_000;
const SOURCE = "/concurrency";
const INSTANCES = 3;

interface Answer {
  status: number;
  body: { accepted?: number; duplicates?: number; code?: string };
}

let vigie: TestApp;
const others: { app: VigieApp; database: DatabaseClient }[] = [];
let pool: Record<string, unknown>[];
const answers: Answer[] = [];

/** Deterministic shuffle (a linear congruential generator seeded per batch). */
function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed + 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function batchOf(sender: number, batch: number): Record<string, unknown>[] {
  const start = sender * 97 + batch * BATCH_SIZE;
  const events = Array.from({ length: BATCH_SIZE }, (_, k) => pool[(start + k) % DISTINCT]!);
  return shuffled(events, sender * BATCHES + batch);
}

beforeAll(async () => {
  vigie = await startTestApp();
  pool = Array.from({ length: DISTINCT }, (_, n) =>
    stepEvent(
      { source: `${SOURCE}/${n % 7}`, id: `c-${n}` },
      { runId: `concurrent-run-${n % 150}`, prospect: { firstName: `P${n}`, consentToCall: n % 2 === 0 } },
    ),
  );
  const bases = [await vigie.listen()];
  for (let i = 1; i < INSTANCES; i++) {
    const config = testConfig();
    const database = openDatabase({ url: vigie.url, poolMax: 5 });
    const app = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
    others.push({ app, database });
    await app.events.preparePartitions();
    await app.app.listen({ host: "127.0.0.1", port: 0 });
    bases.push(`http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`);
  }
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const response = await fetch(`${bases[sender % INSTANCES]}/api/v1/events`, {
          method: "POST",
          headers: ingestHeaders("application/cloudevents-batch+json"),
          body: JSON.stringify(batchOf(sender, batch)),
        });
        answers.push({ status: response.status, body: (await response.json()) as Answer["body"] });
      }
    }),
  );
});
afterAll(async () => {
  for (const other of others) {
    await other.app.app.close();
    await other.database.close();
  }
  await vigie?.close();
});

describe("20 concurrent senders of overlapping batches to three instances", () => {
  it("get a 200 for every batch", () => {
    expect(answers).toHaveLength(SENDERS * BATCHES);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  });

  it("store each distinct event exactly once", async () => {
    const stored = await sql<{ source: string; id: string; copies: number }>`
      SELECT source, id, count(*)::int AS copies FROM events
      WHERE source LIKE ${`${SOURCE}/%`} GROUP BY source, id`.execute(vigie.database.db);
    expect(stored.rows).toHaveLength(DISTINCT);
    expect(stored.rows.filter((r) => r.copies !== 1)).toEqual([]);
    const expected = new Set(pool.map((e) => `${e.source} ${e.id}`));
    expect(new Set(stored.rows.map((r) => `${r.source} ${r.id}`))).toEqual(expected);
  });

  it("keep one prospect record per run", async () => {
    const prospects = await sql<{ run_id: string; copies: number }>`
      SELECT run_id, count(*)::int AS copies FROM prospects
      WHERE run_id LIKE 'concurrent-run-%' GROUP BY run_id`.execute(vigie.database.db);
    expect(prospects.rows).toHaveLength(150);
    expect(prospects.rows.filter((r) => r.copies !== 1)).toEqual([]);
  });

  it("report as accepted, summed over all answers, exactly the number of distinct events", () => {
    const accepted = answers.reduce((sum, a) => sum + (a.body.accepted ?? 0), 0);
    expect(accepted).toBe(DISTINCT);
  });

  it("count every other copy as a duplicate", () => {
    const duplicates = answers.reduce((sum, a) => sum + (a.body.duplicates ?? 0), 0);
    expect(duplicates).toBe(SENDERS * BATCHES * BATCH_SIZE - DISTINCT);
  });
});
