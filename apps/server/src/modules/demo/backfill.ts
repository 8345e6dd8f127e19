import { setTimeout as sleep } from "node:timers/promises";
import type { StepEvent } from "@vigie/contracts";
import { DEMO_SOURCE, OFFERS, REJECTION_CODES, type StepKey } from "@vigie/demo-bank";
import { FORM_STEPS, type ProspectPlan, planProspect } from "./prospect-plan.js";
import { type ArrivalOptions, arrivalsBetween, MINUTE_MS, seededRandom } from "./traffic-shape.js";

const DAY_MS = 86_400_000;

/** Typical server time of each step, ms (the history's latency). */
const LATENCY_MS: Record<StepKey, number> = {
  landing: 120,
  identity: 350,
  contact: 200,
  offer: 150,
  documents: 1400,
  signature: 600,
  "account-opened": 900,
};

/** Share of step submissions failing technically outside incidents (background noise). */
export const BASELINE_ERROR_SHARE = 0.003;

const ERROR_CODES: Record<StepKey, string> = {
  landing: "CDN_TIMEOUT",
  identity: "KYC_TIMEOUT",
  contact: "CRM_UNAVAILABLE",
  offer: "PRICING_5XX",
  documents: "UPLOAD_STORAGE_DOWN",
  signature: "SIGNATURE_PROVIDER_5XX",
  "account-opened": "CORE_BANKING_TIMEOUT",
};

/** A past outage of one step, as the history shows it. */
export interface HistoricalIncident {
  step: StepKey;
  start: Date;
  end: Date;
  errorCode: string;
  /** Share of submissions failing during it. */
  share: number;
}

/** The outages the history contains: about one day in five has one, 15 to 75 minutes long. */
export function historicalIncidents(from: Date, to: Date, seed: number): HistoricalIncident[] {
  const incidents: HistoricalIncident[] = [];
  const firstDay = Math.floor(from.getTime() / 86_400_000);
  const lastDay = Math.floor(to.getTime() / 86_400_000);
  for (let day = firstDay; day <= lastDay; day += 1) {
    const random = seededRandom(seed, day, 99);
    if (random() >= 0.2) continue;
    const steps: StepKey[] = [...FORM_STEPS, "account-opened"];
    const step = steps[Math.floor(random() * steps.length)]!;
    const start = new Date(day * 86_400_000 + (7 + random() * 12) * 3_600_000);
    const end = new Date(start.getTime() + (15 + random() * 60) * MINUTE_MS);
    if (end <= from || start >= to) continue;
    incidents.push({ step, start, end, errorCode: ERROR_CODES[step], share: 0.6 + random() * 0.4 });
  }
  return incidents;
}

/**
 * The events the demo bank would have emitted for one planned prospect, dated in the past. Ids are
 * derived from the plan, so backfilling the same period twice stores nothing new.
 */
export function historyEventsOf(
  plan: ProspectPlan,
  journey: string,
  incidents: HistoricalIncident[],
): StepEvent[] {
  const random = seededRandom(plan.arrival.getTime(), plan.key.length, 3);
  const runId = `bf-${plan.key}`;
  const events: StepEvent[] = [];
  const attributes: Record<string, string> = { channel: "web", appVersion: "demo-1.0" };
  let t = plan.arrival.getTime();
  const emit = (
    step: StepKey,
    outcome: StepEvent["data"]["outcome"],
    extra: Partial<StepEvent["data"]> = {},
  ) => {
    events.push({
      specversion: "1.0",
      id: `${runId}:${events.length}`,
      source: DEMO_SOURCE,
      type: "vigie.step",
      time: new Date(t).toISOString(),
      data: { journey, runId, step, outcome, attributes: { ...attributes }, ...extra },
    });
  };
  const latency = (step: StepKey) => Math.round(LATENCY_MS[step] * (0.6 + random() * 0.9));
  const failure = (step: StepKey): string | undefined => {
    const incident = incidents.find((i) => i.step === step && t >= i.start.getTime() && t < i.end.getTime());
    if (incident && random() < incident.share) return incident.errorCode;
    return random() < BASELINE_ERROR_SHARE ? ERROR_CODES[step] : undefined;
  };

  emit("landing", "started");
  t += latency("landing");
  emit("landing", "ok", { durationMs: latency("landing") });
  for (const step of [...FORM_STEPS, "account-opened"] as StepKey[]) {
    t += 800 + Math.round(random() * 1500);
    emit(step, "started");
    if (plan.abandonAt === step) return events;
    t += plan.thinkMs[step];
    let error = failure(step);
    if (error) {
      emit(step, "error", { durationMs: latency(step), error: { code: error, message: `${step} failed` } });
      if (!plan.retriesOnError) return events;
      t += 15_000 + Math.round(random() * 30_000);
      error = failure(step);
      if (error) {
        emit(step, "error", { durationMs: latency(step), error: { code: error, message: `${step} failed` } });
        return events;
      }
    }
    const durationMs = latency(step);
    if (step === "identity" && ageAt(plan.identity.dateNaissance, new Date(t)) < 18) {
      emit(step, "rejected", { durationMs, error: { code: REJECTION_CODES.underage } });
      return events;
    }
    if (step === "offer") {
      attributes.product = plan.offer.offre;
      if (plan.offer.revenus < OFFERS[plan.offer.offre].minIncome) {
        emit(step, "rejected", { durationMs, error: { code: REJECTION_CODES.income } });
        return events;
      }
    }
    if (step === "contact") {
      emit(step, "ok", {
        durationMs,
        prospect: {
          firstName: plan.identity.prenom,
          lastName: plan.identity.nom,
          email: plan.contact.email,
          phone: plan.contact.telephone,
          consentToCall: plan.contact.rappel,
        },
      });
    } else {
      emit(step, "ok", { durationMs });
    }
  }
  return events;
}

function ageAt(birth: string, at: Date): number {
  const [y, m, d] = birth.split("-").map(Number) as [number, number, number];
  const birthday = at.getUTCMonth() + 1 > m || (at.getUTCMonth() + 1 === m && at.getUTCDate() >= d);
  return at.getUTCFullYear() - y - (birthday ? 0 : 1);
}

/** What a backfill needs; `emit` is the events service's ingestion. */
export interface BackfillOptions extends ArrivalOptions {
  journey: string;
  from: Date;
  to: Date;
  batchSize: number;
  emit: (events: StepEvent[]) => Promise<{ accepted: number; duplicates: number }>;
  /** Told after each batch: fraction of the period done (0 to 1). */
  onProgress?: (done: number, totals: BackfillResult) => void;
  /** Stops early when it returns true (shutdown). */
  cancelled?: () => boolean;
  /** Pauses after each batch as long as it took, so that live work keeps half the database [false]. */
  throttle?: boolean;
}

export interface BackfillResult {
  runs: number;
  events: number;
  accepted: number;
  duplicates: number;
}

/**
 * Emits the history of [from, to) through the ingestion service, in batches, as the demo bank
 * would have: same prospects' shape, abandonments, refusals and a few past outages. Days go from
 * the newest to the oldest.
 */
export async function backfillHistory(options: BackfillOptions): Promise<BackfillResult> {
  const incidents = historicalIncidents(options.from, options.to, options.seed);
  const totals: BackfillResult = { runs: 0, events: 0, accepted: 0, duplicates: 0 };
  const span = Math.max(1, options.to.getTime() - options.from.getTime());
  const limit = options.to.getTime();
  let batch: StepEvent[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length > 0) {
      const began = Date.now();
      const result = await options.emit(batch);
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
      totals.events += batch.length;
      batch = [];
      // leave the database as much time to the live work as this batch took
      if (options.throttle) await sleep(Date.now() - began);
    }
    options.onProgress?.(Math.min(1, done / span), totals);
  };
  // newest day first: the recent past, which live figures and alerts compare with, is there at once
  for (let end = limit; end > options.from.getTime(); end -= DAY_MS) {
    const dayStart = Math.max(options.from.getTime(), end - DAY_MS);
    for (const arrival of arrivalsBetween(new Date(dayStart), new Date(end), options)) {
      if (options.cancelled?.()) {
        await flush();
        return totals;
      }
      const plan = planProspect(arrival, options.seed);
      // events after `to` belong to the live traffic
      const events = historyEventsOf(plan, options.journey, incidents).filter(
        (e) => Date.parse(e.time!) < limit,
      );
      totals.runs += 1;
      batch.push(...events);
      if (batch.length >= options.batchSize) {
        done = limit - end + (arrival.at.getTime() - dayStart);
        await flush();
      }
    }
    done = limit - dayStart;
  }
  await flush();
  return totals;
}
