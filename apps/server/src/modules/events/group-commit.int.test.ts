import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, stepEvent, TEST_JOURNEYS, testConfig } from "../../../test/harness.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { createEventsRepository, type EventProjection } from "./repository.js";
import { createEventsService } from "./service.js";

let database: DatabaseClient;
let drop: () => Promise<void>;

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  database = openDatabase({ url: created.url, poolMax: 4 });
});
afterAll(async () => {
  await database?.close();
  await drop?.();
});

/** An events service on the test database whose projection records each transaction's events. */
function serviceWith(refuseRun?: string) {
  const transactions: number[] = [];
  const projection: EventProjection = {
    name: "recorder",
    async apply(_trx, events) {
      if (events.some((accepted) => accepted.event.data.runId === refuseRun)) {
        throw new Error(`projection refuses run ${refuseRun}`);
      }
      transactions.push(events.length);
    },
  };
  const config = testConfig({ journeys: TEST_JOURNEYS });
  const events = createEventsService({
    repository: createEventsRepository(database.db),
    journeys: createJourneyCatalogue(config.journeys),
    limits: { maxEventAgeMs: config.ingest.maxEventAge, maxClockSkewMs: config.ingest.maxClockSkew },
    projections: [projection],
  });
  return { events, transactions };
}

async function storedIds(source: string): Promise<string[]> {
  const rows = await database.db.selectFrom("events").select("id").where("source", "=", source).execute();
  return rows.map((row) => row.id).sort();
}

describe("group commit", () => {
  it("stores concurrent requests in fewer transactions and tells each request which events were new", async () => {
    const { events, transactions } = serviceWith();
    await events.preparePartitions();
    const shared = stepEvent({ source: "/grouped" });
    const requests = Array.from({ length: 6 }, () => [
      shared,
      stepEvent({ source: "/grouped" }),
      stepEvent({ source: "/grouped" }),
    ]);
    const results = await Promise.all(requests.map((raw) => events.ingest(raw)));
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(13);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(5);
    expect(transactions.length).toBeLessThan(6);
    expect(transactions.reduce((sum, n) => sum + n, 0)).toBe(13);
    expect(await storedIds("/grouped")).toHaveLength(13);
  });

  it("fails only the request whose events a projection refuses; the others of its group are stored", async () => {
    const { events } = serviceWith("poison");
    await events.preparePartitions();
    const good = Array.from({ length: 4 }, () => [stepEvent({ source: "/isolated" })]);
    const bad = [stepEvent({ source: "/isolated", id: "poisoned" }, { runId: "poison" })];
    const outcomes = await Promise.allSettled([...good, bad].map((raw) => events.ingest(raw)));
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
    ]);
    const stored = await storedIds("/isolated");
    expect(stored).toHaveLength(4);
    expect(stored).not.toContain("poisoned");
  });
});
