import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  ingestHeaders,
  startTestApp,
  stepEvent,
  TEST_JOURNEYS,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";
import { buildApp, type VigieApp } from "../../app.js";
import { type DatabaseClient, openDatabase } from "../../db/client.js";
import type { LiveChange } from "./service.js";

// Two Vigie instances on one database, as behind a load balancer: a browser connected to one must
// hear of events stored through the other (PostgreSQL LISTEN/NOTIFY, ADR 0063).

const SECOND_JOURNEY = { ...TEST_JOURNEYS[0]!, key: "savings-subscription" };
const config = testConfig({ journeys: [...TEST_JOURNEYS, SECOND_JOURNEY] });

let a: TestApp;
let baseA: string;
let b: { vigie: VigieApp; database: DatabaseClient };
let baseB: string;

beforeAll(async () => {
  a = await startTestApp(config);
  baseA = await a.listen();
  const database = openDatabase({ url: a.url, poolMax: 5, connectTimeoutMs: 2000 });
  const vigie = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
  b = { vigie, database };
  // listen() makes the app ready, and readiness includes the LISTEN: from here on, B hears everything
  await vigie.app.listen({ host: "127.0.0.1", port: 0 });
  baseB = `http://127.0.0.1:${(vigie.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await b?.vigie.app.close();
  await b?.database.close();
  await a?.close();
});

/** A browser-like client of `GET /api/v1/live`: each `next()` resolves with the following change. */
async function openLive(base: string, vigie: VigieApp) {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/live`, {
    headers: { ...(await authHeaders(vigie, "viewer")), accept: "text/event-stream" },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<LiveChange> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.split("\n").includes("event: change")) continue;
          const data = frame.split("\n").find((line) => line.startsWith("data: "));
          if (data) return JSON.parse(data.slice(6)) as LiveChange;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended before a change");
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

async function post(base: string, journey: string, runId: string): Promise<void> {
  const response = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: ingestHeaders("application/cloudevents-batch+json"),
    body: JSON.stringify([stepEvent({}, { journey, runId })]),
  });
  expect(response.status).toBe(200);
}

describe("live updates across instances sharing one database", () => {
  it("tells browsers connected to either instance about events stored by instance A", async () => {
    const onB = await openLive(baseB, b.vigie);
    const onA = await openLive(baseA, a);
    try {
      await post(baseA, "cco-subscription", "fanout-1");
      // B hears A's notice; A's own browsers hear it the same way (the commit does not push directly)
      expect(await onB.next()).toMatchObject({ journeys: ["cco-subscription"] });
      expect(await onA.next()).toMatchObject({ journeys: ["cco-subscription"] });
    } finally {
      onB.close();
      onA.close();
    }
  });

  it("listens again after losing its connection, asks browsers to refresh everything, then hears changes again", async () => {
    const live = await openLive(baseB, b.vigie);
    try {
      const killed = b.vigie.live.listener.backendPid;
      expect(killed).toBeTypeOf("number");
      const terminated = await a.database.pool.query<{ done: boolean }>(
        "SELECT pg_terminate_backend($1) AS done",
        [killed],
      );
      expect(terminated.rows[0]?.done).toBe(true);

      // a change noticed before the loss may still be on its way: the refresh is the message with `all`
      let refresh = await live.next();
      while (!refresh.all) refresh = await live.next();
      expect(refresh.journeys).toEqual(["cco-subscription", SECOND_JOURNEY.key].sort());
      expect(b.vigie.live.listener.backendPid).not.toBe(killed);

      await post(baseA, SECOND_JOURNEY.key, "fanout-4");
      const change = await live.next();
      expect(change.journeys).toEqual([SECOND_JOURNEY.key]);
      expect(change.all).toBeUndefined();
    } finally {
      live.close();
    }
  });

  it("ends its listening connection when the instance closes", async () => {
    const database = openDatabase({ url: a.url, poolMax: 2, connectTimeoutMs: 2000 });
    const vigie = await buildApp({ config, database, ingestKeys: config.ingest.keys, logger: false });
    await vigie.app.ready();
    const pid = vigie.live.listener.backendPid;
    expect(pid).toBeTypeOf("number");
    await vigie.app.close();
    await database.close();
    expect(vigie.live.listener.listening).toBe(false);
    // the server process of a closed connection exits a moment after the client said goodbye
    await expect
      .poll(
        async () =>
          (await a.database.pool.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount,
        { timeout: 10_000 },
      )
      .toBe(0);
  });
});
