import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, TEST_INGEST_KEY, type TestApp } from "../../server/test/harness.js";
import { createDemoBank, type DemoBank } from "./index.js";

// The demo bank on one side, a real Vigie on a real PostgreSQL on the other: every assertion on
// events reads what Vigie stored.
let vigie: TestApp;
let bank: DemoBank;
let clock = Date.parse("2026-03-02T09:00:00Z");

beforeAll(async () => {
  vigie = await startTestApp();
  const url = await vigie.listen();
  bank = await createDemoBank({
    vigie: { url, apiKey: TEST_INGEST_KEY, flushIntervalMs: 60_000, flushOnExit: false },
    now: () => new Date(clock),
  });
});

afterAll(async () => {
  await bank?.close();
  await vigie?.close();
});

const JSON_HEADERS = { accept: "application/json" };
const PDF = Buffer.from("%PDF-1.4\n% demo\n");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function multipart(files: Record<string, { name: string; type: string; content: Buffer }>) {
  const boundary = "----vigie-test-boundary";
  const chunks: Buffer[] = [];
  for (const [field, file] of Object.entries(files)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.content,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

const IDENTITY = { civilite: "Mme", prenom: "Léa", nom: "Martin", dateNaissance: "1990-04-12" };
const CONTACT = {
  email: "lea.martin@example.fr",
  telephone: "06 12 34 56 78",
  adresse: "12 rue de la Paix",
  codePostal: "75002",
  ville: "Paris",
  rappel: "on",
};
const DOCUMENTS = {
  pieceIdentite: { name: "cni.pdf", type: "application/pdf", content: PDF },
  justificatifDomicile: { name: "facture.png", type: "image/png", content: PNG },
};

async function start(headers: Record<string, string> = {}): Promise<string> {
  const response = await bank.app.inject({
    method: "POST",
    url: "/ouverture",
    headers: { ...JSON_HEADERS, ...headers },
  });
  expect(response.statusCode).toBe(201);
  return response.json().prospectId;
}

async function postJson(id: string, page: string, body: Record<string, unknown>) {
  return bank.app.inject({
    method: "POST",
    url: `/ouverture/${id}/${page}`,
    headers: JSON_HEADERS,
    payload: body,
  });
}

async function eventsOf(runId: string) {
  await bank.sdk.flush();
  return vigie.database.db
    .selectFrom("events")
    .select(["step", "outcome", "error_code", "synthetic", "duration_ms", "attributes"])
    .where("run_id", "=", runId)
    .orderBy("time")
    .orderBy("received_at")
    .execute();
}

describe("demo bank subscription", () => {
  it("walks a prospect through every page in a browser-like way and opens the account", async () => {
    const landing = await bank.app.inject({ method: "GET", url: "/" });
    expect(landing.body).toContain('data-testid="start"');
    const started = await bank.app.inject({ method: "POST", url: "/ouverture" });
    expect(started.statusCode).toBe(303);
    const identityPath = started.headers.location as string;
    const id = /\/ouverture\/([^/]+)\/identite$/.exec(identityPath)?.[1] as string;

    const identityPage = await bank.app.inject({ method: "GET", url: identityPath });
    expect(identityPage.body).toContain(`data-testid="prospect-id">${id}<`);
    let response = await bank.app.inject({ method: "POST", url: identityPath, ...form(IDENTITY) });
    expect(response.headers.location).toBe(`/ouverture/${id}/coordonnees`);
    await bank.app.inject({ method: "GET", url: `/ouverture/${id}/coordonnees` });
    response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/coordonnees`,
      ...form(CONTACT),
    });
    expect(response.headers.location).toBe(`/ouverture/${id}/offre`);
    await bank.app.inject({ method: "GET", url: `/ouverture/${id}/offre` });
    response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/offre`,
      ...form({ offre: "plus", revenus: "2100" }),
    });
    expect(response.headers.location).toBe(`/ouverture/${id}/pieces`);
    await bank.app.inject({ method: "GET", url: `/ouverture/${id}/pieces` });
    response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/pieces`,
      ...multipart(DOCUMENTS),
    });
    expect(response.headers.location).toBe(`/ouverture/${id}/signature`);
    const signaturePage = await bank.app.inject({ method: "GET", url: `/ouverture/${id}/signature` });
    const otp = /data-testid="otp">(\d{6})</.exec(signaturePage.body)?.[1] as string;
    response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/signature`,
      ...form({ accepteConditions: "on", code: otp }),
    });
    expect(response.headers.location).toBe(`/ouverture/${id}/compte-ouvert`);
    const opened = await bank.app.inject({ method: "GET", url: `/ouverture/${id}/compte-ouvert` });
    expect(opened.body).toMatch(/data-testid="iban">FR\d{2}/);

    const events = await eventsOf(id);
    const steps = ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"];
    expect(events.map((e) => `${e.step}:${e.outcome}`)).toEqual(
      steps.flatMap((s) => [`${s}:started`, `${s}:ok`]),
    );
    expect(events.every((e) => e.synthetic === false)).toBe(true);
    expect(events.at(-1)?.attributes).toMatchObject({ channel: "web", product: "plus" });
    const prospect = await vigie.database.db
      .selectFrom("prospects")
      .select("details")
      .where("run_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(prospect.details).toEqual({
      firstName: "Léa",
      lastName: "Martin",
      email: "lea.martin@example.fr",
      phone: "06 12 34 56 78",
      consentToCall: true,
    });
  });

  it("refuses a prospect under 18 at the identity step as a business rejection", async () => {
    const id = await start();
    const response = await postJson(id, "identite", { ...IDENTITY, dateNaissance: "2010-01-01" });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ outcome: "rejected", code: "AGE_INELIGIBLE" });
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      step: "identity",
      outcome: "rejected",
      error_code: "AGE_INELIGIBLE",
    });
    expect((await postJson(id, "coordonnees", CONTACT)).statusCode).toBe(409);
  });

  it("refuses the Premium offer below its income threshold", async () => {
    const id = await start();
    await postJson(id, "identite", IDENTITY);
    await postJson(id, "coordonnees", CONTACT);
    const response = await postJson(id, "offre", { offre: "premium", revenus: 1800 });
    expect(response.json()).toMatchObject({ outcome: "rejected", code: "INCOME_TOO_LOW" });
    expect((await eventsOf(id)).at(-1)).toMatchObject({ step: "offer", outcome: "rejected" });
  });

  it("shows invalid fields again without emitting an outcome", async () => {
    const id = await start();
    const response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/identite`,
      ...form({ ...IDENTITY, dateNaissance: "12/04/1990" }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('data-field="dateNaissance"');
    expect((await eventsOf(id)).map((e) => `${e.step}:${e.outcome}`)).toEqual([
      "landing:started",
      "landing:ok",
      "identity:started",
    ]);
  });

  it("refuses a supporting document that is neither PDF, JPEG nor PNG", async () => {
    const id = await start();
    await postJson(id, "identite", IDENTITY);
    await postJson(id, "coordonnees", CONTACT);
    await postJson(id, "offre", { offre: "essentiel", revenus: 0 });
    const response = await bank.app.inject({
      method: "POST",
      url: `/ouverture/${id}/pieces`,
      headers: {
        ...JSON_HEADERS,
        ...multipart({
          ...DOCUMENTS,
          pieceIdentite: { name: "x.pdf", type: "application/pdf", content: Buffer.from("MZ binary") },
        }).headers,
      },
      payload: multipart({
        ...DOCUMENTS,
        pieceIdentite: { name: "x.pdf", type: "application/pdf", content: Buffer.from("MZ binary") },
      }).payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { field: "pieceIdentite", reason: "Format accepté : PDF, JPEG ou PNG." },
    ]);
  });

  it("sends a prospect back to their current step when they skip ahead", async () => {
    const id = await start();
    const html = await bank.app.inject({ method: "GET", url: `/ouverture/${id}/signature` });
    expect(html.statusCode).toBe(303);
    expect(html.headers.location).toBe(`/ouverture/${id}/identite`);
    const json = await bank.app.inject({
      method: "GET",
      url: `/ouverture/${id}/signature`,
      headers: JSON_HEADERS,
    });
    expect(json.statusCode).toBe(409);
    expect(json.json()).toMatchObject({ code: "step_out_of_order", expected: "identity" });
  });

  it("flags a probe's prospect and all its events as synthetic", async () => {
    const id = await start({ "x-vigie-synthetic": "true", "x-vigie-probe": "http-cco" });
    await postJson(id, "identite", IDENTITY);
    const events = await eventsOf(id);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.synthetic === true && e.attributes?.probe === "http-cco")).toBe(true);
  });

  it("deletes a test prospect through the teardown endpoint", async () => {
    const id = await start({ "x-vigie-synthetic": "true" });
    expect((await bank.app.inject({ method: "GET", url: `/admin/prospects/${id}` })).json()).toMatchObject({
      id,
      synthetic: true,
    });
    expect((await bank.app.inject({ method: "DELETE", url: `/admin/prospects/${id}` })).statusCode).toBe(204);
    expect((await bank.app.inject({ method: "GET", url: `/admin/prospects/${id}` })).statusCode).toBe(404);
    expect((await bank.app.inject({ method: "DELETE", url: `/admin/prospects/${id}` })).statusCode).toBe(404);
  });
});

describe("demo bank faults", () => {
  async function inject(fault: Record<string, unknown>) {
    const response = await bank.app.inject({ method: "POST", url: "/admin/faults", payload: fault });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string };
  }
  const liftAll = () => bank.app.inject({ method: "DELETE", url: "/admin/faults" });

  it("fails a step with the injected error code and emits an error event", async () => {
    const id = await start();
    await inject({ kind: "error", step: "identity", errorCode: "KYC_DOWN" });
    const response = await postJson(id, "identite", IDENTITY);
    await liftAll();
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe("KYC_DOWN");
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      step: "identity",
      outcome: "error",
      error_code: "KYC_DOWN",
    });
    expect((await postJson(id, "identite", IDENTITY)).statusCode).toBe(200);
  });

  it("slows a step down by the injected delay, visible in the event's duration", async () => {
    const id = await start();
    await inject({ kind: "slow", step: "identity", delayMs: 60 });
    await postJson(id, "identite", IDENTITY);
    await liftAll();
    const ok = (await eventsOf(id)).at(-1);
    expect(ok).toMatchObject({ step: "identity", outcome: "ok" });
    expect(ok?.duration_ms).toBeGreaterThanOrEqual(60);
  });

  it("takes the whole bank down without emitting anything, health and admin staying up", async () => {
    await inject({ kind: "down" });
    const landing = await bank.app.inject({ method: "POST", url: "/ouverture", headers: JSON_HEADERS });
    const page = await bank.app.inject({ method: "GET", url: "/" });
    const health = await bank.app.inject({ method: "GET", url: "/health" });
    await liftAll();
    expect(landing.statusCode).toBe(503);
    expect(page.body).toContain('data-testid="technical-error"');
    expect(health.statusCode).toBe(200);
    expect(bank.sdk.stats().buffered).toBe(0);
  });

  it("hides the start button from visitors under an under-exposure fault", async () => {
    await inject({ kind: "under-exposure", share: 1 });
    const page = await bank.app.inject({ method: "GET", url: "/" });
    await liftAll();
    expect(page.body).not.toContain('data-testid="start"');
    expect(page.body).toContain('data-testid="unavailable"');
  });

  it("lifts a fault by itself once its duration is over", async () => {
    await inject({ kind: "down", durationMs: 60_000 });
    expect((await bank.app.inject({ method: "GET", url: "/" })).statusCode).toBe(503);
    clock += 61_000;
    expect((await bank.app.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
    expect((await bank.app.inject({ method: "GET", url: "/admin/faults" })).json()).toEqual({ faults: [] });
  });

  it("refuses a fault that makes no sense with a problem naming the field", async () => {
    const response = await bank.app.inject({
      method: "POST",
      url: "/admin/faults",
      payload: { kind: "error" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json().errors[0].field).toBe("step");
  });
});
