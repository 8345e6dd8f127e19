import { randomUUID } from "node:crypto";
import { ingestHeaders } from "../../server/test/harness.ts";

/** Journeys of the end-to-end tests: one healthy, one broken at identity, one without any traffic. */
export const E2E_JOURNEYS = [
  { key: "healthy", name: { fr: "Compte courant", en: "Current account" } },
  { key: "broken", name: { fr: "Carte premium", en: "Premium card" } },
  { key: "quiet", name: { fr: "Livret d'épargne", en: "Savings account" } },
].map((journey) => ({
  ...journey,
  steps: [
    { key: "landing", name: { fr: "Accueil", en: "Landing" } },
    { key: "identity", name: { fr: "Identité", en: "Identity" } },
    { key: "account-opened", name: { fr: "Compte ouvert", en: "Account opened" } },
  ],
}));

function event(
  journey: string,
  runId: string,
  step: string,
  outcome: string,
  at: Date,
  data: Record<string, unknown> = {},
) {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "/e2e/bank",
    type: "vigie.step",
    time: at.toISOString(),
    data: { journey, runId, step, outcome, durationMs: 150, attributes: { channel: "web" }, ...data },
  };
}

/** Events of one real prospect: completed, or failed at identity with an error code. */
export function prospectEvents(
  journey: string,
  outcome: "completed" | "failed",
  at: Date,
  runId = randomUUID(),
) {
  const t = (seconds: number) => new Date(at.getTime() + seconds * 1000);
  const events = [
    event(journey, runId, "landing", "started", t(0)),
    event(journey, runId, "landing", "ok", t(1)),
  ];
  if (outcome === "completed") {
    events.push(
      event(journey, runId, "identity", "ok", t(2)),
      event(journey, runId, "account-opened", "ok", t(3)),
    );
  } else {
    events.push(
      event(journey, runId, "identity", "error", t(2), {
        error: { code: "KYC_TIMEOUT", message: "identity provider timed out" },
      }),
    );
  }
  return events;
}

/** Sends events through the public ingestion API, as the bank's applications do. */
export async function ingest(base: string, events: unknown[]): Promise<void> {
  const response = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: ingestHeaders("application/cloudevents-batch+json"),
    body: JSON.stringify(events),
  });
  if (response.status >= 300)
    throw new Error(`ingestion refused: ${response.status} ${await response.text()}`);
}
