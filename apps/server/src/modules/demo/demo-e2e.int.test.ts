import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  startTestApp,
  TEST_INGEST_KEY,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";
import { buildApp } from "../../app.js";
import type { DemoStatus } from "./module.js";

// The whole demo as `npm start` runs it, on its own database: the bank on a free port, simulated
// prospects (quick ones), a day of history backfilled at first start; a drill asked through the API.
const config = testConfig({
  demo: {
    enabled: true,
    bank: { port: 0 },
    traffic: { prospectsPerHour: 60, thinkTimeScale: 0.001, tick: "200ms" },
    backfill: { daysOnFirstStart: 1 },
    drills: { enabled: false },
  },
});

let vigie: TestApp;
let status: DemoStatus;

beforeAll(async () => {
  vigie = await startTestApp(config);
  const url = await vigie.listen();
  status = await vigie.demo.start({ vigieUrl: url, ingestKey: TEST_INGEST_KEY });
});

afterAll(async () => {
  await vigie?.demo.stop();
  await vigie?.close();
});

async function runs(synthetic: boolean) {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM runs
    WHERE journey = 'cco-subscription' AND synthetic = ${synthetic} AND last_event_at > now() - interval '10 minutes'`.execute(
    vigie.database.db,
  );
  return result.rows[0]?.n ?? 0;
}

describe("the whole demo", () => {
  it("starts the demo bank and reports where it listens", async () => {
    expect(status.bankUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${status.bankUrl}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const api = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/demo",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(api.json()).toMatchObject({
      enabled: true,
      bankUrl: status.bankUrl,
      drills: { scheduled: false, mode: "bank" },
      traffic: { launched: expect.any(Number) },
    });
  });

  it("sees real runs of simulated prospects arrive from the demo bank", async () => {
    await expect.poll(() => runs(false), { timeout: 20_000 }).toBeGreaterThan(0);
    const fromBank = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM events WHERE source = 'demo-bank' AND run_id LIKE 'P-%'`.execute(
      vigie.database.db,
    );
    expect(fromBank.rows[0]?.n).toBeGreaterThan(0);
  });

  it("sees synthetic runs arrive when a synthetic drill is asked through the API", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/demo/drills",
      headers: await authHeaders(vigie, "operator"),
      payload: { mode: "synthetic", step: "contact", duration: "1m" },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ mode: "synthetic", step: "contact", status: "running" });
    await expect.poll(() => runs(true), { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it("backfills a day of history at the first start and records it as done", async () => {
    await expect
      .poll(
        async () =>
          (await vigie.database.db.selectFrom("demo_backfills").select("finished_at").executeTakeFirst())
            ?.finished_at ?? null,
        { timeout: 60_000 },
      )
      .not.toBeNull();
    const history = await sql<{ first: Date }>`
      SELECT min(time) AS first FROM events WHERE run_id LIKE 'bf-%'`.execute(vigie.database.db);
    expect(Date.now() - history.rows[0]!.first.getTime()).toBeGreaterThan(20 * 3_600_000);
  });

  it("stops cleanly and, restarted on the same database, does not backfill again", async () => {
    await vigie.demo.stop();
    await vigie.demo.stop();
    const again = await buildApp({
      config,
      database: vigie.database,
      ingestKeys: config.ingest.keys,
      logger: false,
    });
    try {
      const url = await again.app.listen({ host: "127.0.0.1", port: 0 });
      const restarted = await again.demo.start({ vigieUrl: url, ingestKey: TEST_INGEST_KEY });
      expect(restarted.bankUrl).not.toBeNull();
      expect(restarted.backfill.running).toBe(false);
      await again.demo.stop();
    } finally {
      await again.app.close();
    }
  });
});
