import { createDemoBank, type DemoBank } from "@vigie/demo-bank";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authHeaders,
  startTestApp,
  TEST_INGEST_KEY,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";
import { createJourneyCatalogue } from "../journeys/catalogue.js";
import { createBankControl } from "./bank-control.js";
import { walkProspect } from "./bank-walker.js";
import { createDrillService } from "./drills.js";
import { planProspect } from "./prospect-plan.js";
import { createTrafficSimulator } from "./simulator.js";
import { MINUTE_MS } from "./traffic-shape.js";

// A real Vigie on a real PostgreSQL, and a real demo bank sending it events through the SDK.
let vigie: TestApp;
let vigieUrl: string;
let bank: DemoBank;
let bankUrl: string;

const demoConfig = {
  enabled: true,
  bank: { port: 0 },
  traffic: { enabled: false, prospectsPerHour: 20 },
  backfill: { daysOnFirstStart: 0 },
  drills: { enabled: false, burst: 2 },
};

const config = testConfig({ demo: demoConfig });

beforeAll(async () => {
  vigie = await startTestApp(config);
  vigieUrl = await vigie.listen();
  bank = await createDemoBank({
    vigie: { url: vigieUrl, apiKey: TEST_INGEST_KEY, flushIntervalMs: 50, flushOnExit: false },
  });
  bankUrl = await bank.listen("127.0.0.1", 0);
  vigie.demo.useBankAt(bankUrl);
});

afterAll(async () => {
  await bank?.close();
  await vigie?.close();
});

/** A plan for a prospect who goes all the way (adult, affordable offer, no abandonment). */
function completePlan(index: number) {
  const at = new Date();
  const plan = planProspect({ minute: Math.floor(at.getTime() / MINUTE_MS), index: 500_000 + index, at }, 7);
  return {
    ...plan,
    abandonAt: undefined,
    retriesOnError: false,
    identity: { ...plan.identity, dateNaissance: "1985-06-15" },
    offer: { offre: "essentiel" as const, revenus: 1500 },
  };
}

function simulator() {
  return createTrafficSimulator({
    bankUrl,
    prospectsPerHour: 0,
    timeZone: "Europe/Paris",
    seed: 7,
    thinkTimeScale: 0,
    maxConcurrent: 10,
    tickMs: 60_000,
  });
}

async function eventsOfRun(runId: string) {
  return vigie.database.db
    .selectFrom("events")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("time")
    .execute();
}

describe("simulated prospects", () => {
  it("walk the demo bank's real pages and their runs arrive in Vigie", async () => {
    const result = await walkProspect(completePlan(1), {
      bankUrl,
      wait: async () => true,
      thinkTimeScale: 0,
    });
    expect(result).toMatchObject({ outcome: "opened", step: "account-opened" });
    await expect.poll(async () => (await eventsOfRun(result.prospectId!)).length).toBe(14);
    const prospect = await vigie.database.db
      .selectFrom("prospects")
      .select("details")
      .where("run_id", "=", result.prospectId!)
      .executeTakeFirstOrThrow();
    expect(prospect.details).toMatchObject({ firstName: completePlan(1).identity.prenom });
  });

  it("are launched by the simulator and counted by how their visit ended", async () => {
    const traffic = simulator();
    traffic.launch(completePlan(2));
    traffic.launch({ ...completePlan(3), abandonAt: "documents" });
    traffic.launch({
      ...completePlan(4),
      identity: { ...completePlan(4).identity, dateNaissance: "2015-01-01" },
    });
    await traffic.idle();
    expect(traffic.stats().outcomes).toEqual({ opened: 1, abandoned: 1, rejected: 1 });
    await traffic.stop();
  });
});

describe("history backfill", () => {
  it("emits a day of past-dated history, and a second run over the same period stores nothing new", async () => {
    const from = new Date("2026-01-05T00:00:00Z");
    const to = new Date("2026-01-06T00:00:00Z");
    const { backfillHistory } = await import("./backfill.js");
    const options = {
      journey: "cco-subscription",
      from,
      to,
      seed: 3,
      prospectsPerHour: 10,
      timeZone: "Europe/Paris",
      batchSize: 500,
      emit: (events: unknown[]) => vigie.events.ingest(events),
    };
    const first = await backfillHistory(options);
    expect(first.runs).toBeGreaterThan(100);
    expect(first.accepted).toBe(first.events);
    const stored = await sql<{ n: number; first: Date; last: Date }>`
      SELECT count(*)::int AS n, min(time) AS first, max(time) AS last FROM events
      WHERE source = 'demo-bank' AND run_id LIKE 'bf-3-%'`.execute(vigie.database.db);
    expect(stored.rows[0]?.n).toBe(first.events);
    expect(stored.rows[0]!.first >= from && stored.rows[0]!.last < to).toBe(true);
    const outcomes = await sql<{ outcome: string }>`
      SELECT DISTINCT outcome FROM events WHERE run_id LIKE 'bf-3-%' ORDER BY outcome`.execute(
      vigie.database.db,
    );
    expect(outcomes.rows.map((r) => r.outcome)).toEqual(["error", "ok", "rejected", "started"]);
    const second = await backfillHistory(options);
    expect(second).toMatchObject({ events: first.events, accepted: 0, duplicates: first.events });
  });
});

describe("history backfill through the demo", () => {
  it("turns the outages of the backfilled history into incidents, older than the pass's 24 h", async () => {
    const { historicalIncidents } = await import("./backfill.js");
    const seed = config.demo.seed;
    // the fewest days of history holding an outage over before the pass's own 24 h
    const oldOutages = (days: number) =>
      historicalIncidents(new Date(Date.now() - days * 86_400_000), new Date(), seed).filter(
        (o) => o.end.getTime() < Date.now() - 86_400_000,
      );
    let days = 2;
    while (oldOutages(days).length === 0) days += 1;
    await vigie.demo.backfill(days);
    const listed = await vigie.app.inject({
      url: `/api/v1/incidents?journey=cco-subscription&to=${new Date(Date.now() - 86_400_000).toISOString()}`,
      headers: await authHeaders(vigie, "viewer"),
    });
    const incidents = listed.json().items as { failingStep: string; startedAt: string }[];
    for (const outage of oldOutages(days)) {
      expect(
        incidents.some(
          (i) =>
            i.failingStep === outage.step &&
            Math.abs(Date.parse(i.startedAt) - outage.start.getTime()) < 600_000,
        ),
        `${outage.step} at ${outage.start.toISOString()}`,
      ).toBe(true);
    }
  });
});

describe("fault control API", () => {
  it("lets an operator inject a fault into the demo bank, list it and lift it", async () => {
    const headers = await authHeaders(vigie, "operator");
    const injected = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/demo/faults",
      headers,
      payload: { kind: "error", step: "contact", errorCode: "CRM_DOWN", share: 0.5, duration: "5m" },
    });
    expect(injected.statusCode).toBe(201);
    const fault = injected.json();
    expect(fault).toMatchObject({ kind: "error", step: "contact", errorCode: "CRM_DOWN", share: 0.5 });
    expect(Date.parse(fault.until) - Date.parse(fault.createdAt)).toBe(300_000);
    expect(bank.faults.list().map((f) => f.id)).toEqual([fault.id]);
    const listed = await vigie.app.inject({ method: "GET", url: "/api/v1/demo/faults", headers });
    expect(listed.json().faults).toHaveLength(1);
    const lifted = await vigie.app.inject({
      method: "DELETE",
      url: `/api/v1/demo/faults/${fault.id}`,
      headers,
    });
    expect(lifted.statusCode).toBe(204);
    expect(bank.faults.list()).toEqual([]);
  });

  it("refuses a fault without the step it needs, as a problem naming the field", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/demo/faults",
      headers: await authHeaders(vigie, "operator"),
      payload: { kind: "slow" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().errors[0].field).toBe("step");
  });

  it("does not let a viewer inject faults", async () => {
    const response = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/demo/faults",
      headers: await authHeaders(vigie, "viewer"),
      payload: { kind: "down" },
    });
    expect(response.statusCode).toBe(403);
    expect(bank.faults.list()).toEqual([]);
  });

  it("answers 503 with a clear problem when the demo bank cannot be reached", async () => {
    const other = await startTestApp(
      testConfig({ demo: { ...demoConfig, bank: { url: "http://127.0.0.1:9" } } }),
    );
    try {
      const response = await other.app.inject({
        method: "GET",
        url: "/api/v1/demo/faults",
        headers: await authHeaders(other, "viewer"),
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe("demo_bank_unavailable");
    } finally {
      await other.close();
    }
  });
});

describe("drills", () => {
  function drillService(clock: { now: number }, traffic = simulator()) {
    return createDrillService({
      repository: vigie.demo.repository,
      journeys: createJourneyCatalogue(testConfig().journeys),
      config: testConfig({ demo: demoConfig }).demo,
      bank: () => createBankControl({ url: bankUrl }),
      burst: () => (count) => traffic.burst(count),
      ingest: (events) => vigie.events.ingest(events),
      now: () => new Date(clock.now),
    });
  }

  it("injects a fault into the bank and stores when the first failing event arrived", async () => {
    const clock = { now: Date.now() };
    const traffic = simulator();
    const drills = drillService(clock, traffic);
    const drill = await drills.start({
      trigger: "manual",
      step: "identity",
      errorCode: "DRILL_BANK",
      faultDurationMs: 60_000,
    });
    expect(drill).toMatchObject({ status: "running", mode: "bank", step: "identity" });
    expect(bank.faults.list()).toMatchObject([{ kind: "error", step: "identity", errorCode: "DRILL_BANK" }]);
    await traffic.idle();
    await bank.sdk.flush();
    const [checked] = await drills.checkRunning();
    expect(checked?.detection.firstFailingEvent?.afterMs).toBeGreaterThanOrEqual(0);
    const stored = await vigie.database.db
      .selectFrom("demo_drills")
      .selectAll()
      .where("id", "=", drill!.id)
      .executeTakeFirstOrThrow();
    expect(stored.first_failing_event_at).not.toBeNull();
    await traffic.stop();
    bank.faults.clear();
  });

  it("stores when the incident was opened, as the analytics pass opens it from the failing events", async () => {
    const clock = { now: Date.now() };
    const traffic = simulator();
    const drills = drillService(clock, traffic);
    const drill = await drills.start({
      trigger: "manual",
      step: "offer",
      errorCode: "DRILL_INCIDENT",
      faultDurationMs: 60_000,
    });
    traffic.burst(3);
    await traffic.idle();
    await bank.sdk.flush();
    await vigie.analytics.pass.run();
    clock.now = Date.now();
    const checked = (await drills.checkRunning()).find((d) => d.id === drill!.id);
    expect(checked?.detection.incidentOpened?.incidentId).toBeTruthy();
    expect(checked?.detection.incidentOpened?.afterMs).toBeGreaterThanOrEqual(0);
    await traffic.stop();
    bank.faults.clear();
  });

  it("stores when the first alert about the journey was delivered, from the notification log", async () => {
    const clock = { now: Date.now() };
    const drills = drillService(clock);
    const drill = await drills.start({
      trigger: "manual",
      mode: "synthetic",
      step: "documents",
      errorCode: "DRILL_ALERT",
    });
    // what the alerting module writes when it notifies an audience (its own tables)
    const alert = await sql<{ id: number }>`
      INSERT INTO alerts (rule_key, group_key, kind, severity, journey, status, state, evaluated_at)
      VALUES ('drill-test', ${`cco-${drill!.id}`}, 'availability', 'critical', 'cco-subscription', 'firing', '{}', now())
      RETURNING id`.execute(vigie.database.db);
    const deliveredAt = new Date(Date.parse(drill!.injectedAt) + 42_000);
    await sql`
      INSERT INTO notifications (alert_id, notice, audience, channel, channel_kind, message, status, created_at, delivered_at)
      VALUES (${alert.rows[0]!.id}, 'firing', 'support', 'webhook-1', 'webhook', '{}', 'delivered', now(), ${deliveredAt})`.execute(
      vigie.database.db,
    );
    const checked = (await drills.checkRunning()).find((d) => d.id === drill!.id);
    expect(checked?.detection.alertSent).toEqual({ at: deliveredAt.toISOString(), afterMs: 42_000 });
  });

  it("closes a drill once its watch is over, noting what was never seen", async () => {
    const clock = { now: Date.now() };
    const drills = drillService(clock);
    const drill = await drills.start({
      trigger: "manual",
      mode: "synthetic",
      step: "offer",
      errorCode: "DRILL_LATE",
    });
    clock.now += 11 * 60_000;
    await drills.checkRunning();
    const finished = await drills.get(drill!.id);
    expect(finished.status).toBe("finished");
    expect(finished.detection.firstFailingEvent).not.toBeNull();
    expect(finished.notes.some((n) => n.startsWith("No alert delivered within"))).toBe(true);
  });

  it("emits failing synthetic events for a drill without the demo bank", async () => {
    const clock = { now: Date.now() };
    const drills = drillService(clock);
    const drill = await drills.start({
      trigger: "manual",
      mode: "synthetic",
      step: "signature",
      errorCode: "DRILL_SYNTH",
    });
    const failing = await vigie.database.db
      .selectFrom("events")
      .select(["synthetic", "step", "source"])
      .where("error_code", "=", "DRILL_SYNTH")
      .execute();
    expect(failing.length).toBe(2);
    expect(failing.every((e) => e.synthetic && e.step === "signature" && e.source === "vigie-drill")).toBe(
      true,
    );
    const [checked] = (await drills.checkRunning()).filter((d) => d.id === drill!.id);
    expect(checked?.detection.firstFailingEvent).not.toBeNull();
  });

  it("runs one scheduled drill per slot, however often it is asked", async () => {
    await sql`UPDATE demo_drills SET status = 'finished' WHERE status = 'running'`.execute(vigie.database.db);
    const slot = Math.ceil(Date.now() / (15 * MINUTE_MS)) * 15 * MINUTE_MS + 15 * MINUTE_MS * 100;
    const clock = { now: slot + 2000 };
    const first = drillService(clock);
    const second = drillService(clock);
    const started = await first.startDue();
    await sql`UPDATE demo_drills SET status = 'finished' WHERE status = 'running'`.execute(vigie.database.db);
    const again = await second.startDue();
    expect(started?.mode).toBe("bank");
    expect(again).toBeUndefined();
    const rows = await vigie.database.db
      .selectFrom("demo_drills")
      .select("id")
      .where("slot", "=", new Date(slot))
      .execute();
    expect(rows).toHaveLength(1);
    bank.faults.clear();
  });

  it("lists drills with their detection times through the API, latest first", async () => {
    const drills = drillService({ now: Date.now() });
    const older = await drills.start({ trigger: "manual", mode: "synthetic", step: "contact" });
    const newer = await drills.start({ trigger: "manual", mode: "synthetic", step: "offer" });
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/demo/drills?limit=100",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(response.statusCode).toBe(200);
    const ids = response.json().drills.map((d: { id: number }) => d.id);
    expect(ids.indexOf(newer!.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(newer!.id)).toBeLessThan(ids.indexOf(older!.id));
    const shown = response.json().drills.find((d: { id: number }) => d.id === newer!.id);
    expect(shown).toMatchObject({ mode: "synthetic", step: "offer", status: "running" });
    expect(shown.detection).toHaveProperty("firstFailingEvent");
  });
});
