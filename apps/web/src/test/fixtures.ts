/**
 * Answers of the analytics API shaped exactly like packages/contracts (the compiler checks them),
 * for component tests, for looking at pages before an API exists, and for the board benchmark.
 */
import type {
  AvailabilityPair,
  Board,
  BoardJourney,
  Funnel,
  Incident,
  IncidentDetail,
  IncidentPage,
  JourneyAvailability,
  JourneyDivergence,
  JourneyState,
  Latency,
  RunPage,
  Volumes,
} from "@vigie/contracts";

export const STEPS = ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"];

const STEP_NAMES: Record<string, { fr: string; en: string }> = {
  landing: { fr: "Accueil", en: "Landing" },
  identity: { fr: "Identité", en: "Identity" },
  contact: { fr: "Coordonnées", en: "Contact details" },
  offer: { fr: "Offre", en: "Offer" },
  documents: { fr: "Justificatifs", en: "Documents" },
  signature: { fr: "Signature", en: "E-signature" },
  "account-opened": { fr: "Compte ouvert", en: "Account opened" },
};

/** `GET /api/v1/journeys` for `count` journeys. */
export function catalogueFixture(count = 3) {
  const names = [
    { fr: "Ouverture de compte courant", en: "Current account opening" },
    { fr: "Souscription carte premium", en: "Premium card subscription" },
    { fr: "Livret d'épargne", en: "Savings account" },
  ];
  return {
    items: Array.from({ length: count }, (_, index) => ({
      key: index === 0 ? "cco-subscription" : `journey-${index}`,
      name: names[index] ?? { fr: `Parcours n° ${index}`, en: `Journey #${index}` },
      steps: STEPS.map((key) => ({ key, name: STEP_NAMES[key]! })),
      objectives: { availability: 0.995, latencyP95Ms: 2000 },
      conversionWindowMs: 86_400_000,
    })),
  };
}

function pair(traffic: number | null, time: number | null): AvailabilityPair {
  const total = 1000;
  const bad = traffic === null ? 0 : Math.round(total * (1 - traffic));
  return {
    traffic: { method: "traffic", ratio: traffic, good: traffic === null ? 0 : total - bad, bad },
    time: {
      method: "time",
      ratio: time,
      upSeconds: time === null ? 0 : Math.round(86_400 * time),
      downSeconds: time === null ? 0 : Math.round(86_400 * (1 - time)),
      unknownSeconds: 0,
      excludedSeconds: 0,
    },
  };
}

const STATES: JourneyState[] = ["up", "up", "up", "degraded", "down", "under_exposed", "up", "no_data"];

/** One journey on the board in a given state. */
export function boardJourneyFixture(
  key: string,
  name: { fr: string; en: string },
  state: JourneyState,
): BoardJourney {
  const down = state === "down";
  const degraded = state === "degraded";
  const noData = state === "no_data";
  return {
    key,
    name,
    state,
    reasons: down ? ["probe down at identity"] : [],
    probe: {
      state: noData ? "unknown" : down ? "down" : "up",
      since: noData ? null : "2026-11-25T08:12:00Z",
      failingStep: down ? "identity" : null,
    },
    availability: {
      today: pair(
        noData ? null : down ? 0.8731 : degraded ? 0.9712 : 0.9993,
        noData ? null : down ? 0.91 : 1,
      ),
      last7Days: pair(noData ? null : down ? 0.9921 : 0.9981, noData ? null : 0.9995),
      objective: 0.995,
    },
    volume: {
      actual: state === "under_exposed" ? 3 : noData ? 0 : 48,
      expected: noData ? null : 52,
      spread: noData ? null : 6,
      underExposed: state === "under_exposed",
    },
    openIncidents: down ? 1 : 0,
    lastHour: {
      started: state === "under_exposed" ? 3 : noData ? 0 : 48,
      completed: noData ? 0 : 31,
      failed: down ? 9 : 1,
      rejected: 4,
    },
    steps: STEPS.map((step) => ({
      key: step,
      probe: noData ? "unknown" : down && step === "identity" ? "down" : "up",
      traffic: {
        method: "traffic",
        ratio: noData
          ? null
          : down && step === "identity"
            ? 0.62
            : degraded && step === "documents"
              ? 0.95
              : 1,
        good: 100,
        bad: (down && step === "identity") || (degraded && step === "documents") ? 12 : 0,
      },
    })),
  };
}

/** A board of `count` journeys, states cycling through every kind. */
export function boardFixture(count = 3, generatedAt = "2026-11-25T13:05:00Z"): Board {
  const catalogue = catalogueFixture(Math.min(count, 3)).items;
  return {
    generatedAt,
    timezone: "Europe/Paris",
    journeys: Array.from({ length: count }, (_, index) => {
      const declared = catalogue[index];
      return boardJourneyFixture(
        declared?.key ?? `journey-${index}`,
        declared?.name ?? { fr: `Parcours n° ${index}`, en: `Journey #${index}` },
        count <= 3 ? (["up", "down", "degraded"] as const)[index]! : STATES[index % STATES.length]!,
      );
    }),
  };
}

function hours(from: Date, to: Date, stepMs = 3_600_000): Date[] {
  const out: Date[] = [];
  for (let at = from.getTime(); at < to.getTime(); at += stepMs) out.push(new Date(at));
  return out;
}

/** Availability with a dip on the third day. */
export function availabilityFixture(
  journey: string,
  from: Date,
  to: Date,
  bucket: "hour" | "day" = "hour",
): JourneyAvailability {
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  const buckets = hours(from, to, step).map((start, index) => {
    const dip = index % 37 === 20;
    const value = pair(dip ? 0.941 : 0.998 + ((index * 7) % 3) / 1000, dip ? 0.9 : 1);
    return { start: start.toISOString(), end: new Date(start.getTime() + step).toISOString(), ...value };
  });
  return {
    journey,
    from: from.toISOString(),
    to: to.toISOString(),
    timezone: "Europe/Paris",
    bucket,
    methods: ["traffic", "time"],
    journeyLevel: { total: pair(0.9968, 0.9991), buckets },
    steps: STEPS.map((s) => ({
      step: s,
      total: pair(s === "identity" ? 0.9812 : s === "documents" ? 0.9941 : 0.9996, 0.9991),
      buckets: [],
    })),
  };
}

/** A funnel with every kind of drop-off. */
export function funnelFixture(journey: string, from: Date, to: Date, scale = 1): Funnel {
  const reached = [1000, 870, 760, 700, 560, 520, 480].map((n) => Math.round(n * scale));
  const started = reached[0]!;
  return {
    journey,
    from: from.toISOString(),
    to: to.toISOString(),
    timezone: "Europe/Paris",
    figures: {
      started,
      completed: reached.at(-1)!,
      conversion: reached.at(-1)! / started,
      recoveredFailures: 12,
      timeToConvertMs: { p50: 14 * 60_000, p90: 2 * 3_600_000 },
      steps: STEPS.map((step, index) => ({
        step,
        reached: reached[index]!,
        conversionFromStart: reached[index]! / started,
        conversionFromPrevious: index === 0 ? null : reached[index]! / reached[index - 1]!,
        dropOff: {
          technicalFailure: index === 1 ? 40 : 5,
          businessRejection: index === 3 ? 30 : 2,
          abandonment: index === 6 ? 0 : 50,
          inProgress: 3,
        },
      })),
    },
  };
}

/** Hourly volumes with a usual band and one under-exposed hour. */
export function volumesFixture(journey: string, from: Date, to: Date): Volumes {
  return {
    journey,
    from: from.toISOString(),
    to: to.toISOString(),
    timezone: "Europe/Paris",
    weeks: 4,
    hours: hours(from, to).map((start, index) => {
      const hour = (index + 1) % 24;
      const usual = hour < 7 ? 4 : hour < 9 ? 25 : 55;
      const starts = index === 50 ? 3 : Math.round(usual * (0.9 + ((index * 13) % 7) / 30));
      return {
        start: start.toISOString(),
        starts,
        completions: Math.round(starts * 0.48),
        baseline: {
          starts: { median: usual, spread: usual * 0.15, samples: [usual, usual, usual, usual] },
          completions: { median: usual * 0.5, spread: usual * 0.1, samples: [] },
        },
        underExposed: index === 50,
      };
    }),
  };
}

export function latencyFixture(
  journey: string,
  from: Date,
  to: Date,
  origin: "real" | "synthetic" = "real",
): Latency {
  return {
    journey,
    from: from.toISOString(),
    to: to.toISOString(),
    origin,
    steps: STEPS.map((step, index) => ({
      step,
      count: 1000 - index * 80,
      p50: 180 + index * 40,
      p95: 600 + index * 150,
      p99: 1200 + index * 300,
      objectiveMs: step === "identity" ? 1500 : 2000,
    })),
  };
}

export function divergenceFixture(journey: string): JourneyDivergence {
  return {
    journey,
    probe: "up",
    traffic: "failing",
    diverges: true,
    summary: "probes up while real prospects fail at identity",
    steps: STEPS.map((step) => ({
      step,
      probe: "up",
      traffic: step === "identity" ? "failing" : "ok",
      trafficErrorRate: step === "identity" ? 0.18 : 0.002,
      diverges: step === "identity",
    })),
  };
}

export function incidentFixture(id: number, journey = "cco-subscription", open = false): Incident {
  const start = Date.parse("2026-11-24T09:12:00Z") - id * 86_400_000;
  return {
    id,
    journey,
    status: open ? "open" : "closed",
    startedAt: new Date(start).toISOString(),
    endedAt: open ? null : new Date(start + 47 * 60_000).toISOString(),
    failingStep: "identity",
    topErrorCodes: [
      { code: "KYC_TIMEOUT", count: 41 },
      { code: "HTTP_502", count: 7 },
    ],
    runsAffected: 48,
    prospectsAffected: 39,
    seenBy: id % 2 ? ["probes", "traffic"] : ["traffic"],
    updatedAt: new Date(start + 47 * 60_000).toISOString(),
    createdAt: new Date(start + 3 * 60_000).toISOString(),
    acknowledged:
      id % 2
        ? { at: new Date(start + 9 * 60_000).toISOString(), by: { id: "u-1", name: "Claire Martin" } }
        : null,
  };
}

/** An incident's detail: opened, changed, acknowledged, a note, closed; two alerts sent; its failed runs. */
export function incidentDetailFixture(id: number, open = false): IncidentDetail {
  const incident = incidentFixture(id, "cco-subscription", open);
  const start = Date.parse(incident.startedAt);
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const claire = { id: "u-1", name: "Claire Martin" };
  return {
    ...incident,
    acknowledged: { at: at(9), by: claire },
    timeline: [
      {
        id: 1,
        kind: "opened",
        at: at(3),
        by: null,
        details: { failingStep: "identity", seenBy: ["traffic"] },
        note: null,
      },
      {
        id: 2,
        kind: "changed",
        at: at(6),
        by: null,
        details: {
          failingStep: "identity",
          seenBy: ["probes", "traffic"],
          previous: { failingStep: "identity", seenBy: ["traffic"] },
        },
        note: null,
      },
      { id: 3, kind: "acknowledged", at: at(9), by: claire, details: {}, note: null },
      {
        id: 4,
        kind: "note",
        at: at(12),
        by: claire,
        details: {},
        note: "KYC vendor called: their API times out.",
      },
      ...(open
        ? []
        : [
            {
              id: 5,
              kind: "closed" as const,
              at: at(50),
              by: null,
              details: { endedAt: at(47) },
              note: null,
            },
          ]),
    ],
    alertsSent: [
      {
        id: 11,
        alertId: 7,
        notice: "firing",
        audience: "support",
        channel: "support-mail",
        channelKind: "email",
        status: "delivered",
        createdAt: at(4),
        deliveredAt: at(4),
      },
      {
        id: 12,
        alertId: 7,
        notice: "resolved",
        audience: "support",
        channel: "support-mail",
        channelKind: "email",
        status: "failed",
        createdAt: at(49),
        deliveredAt: null,
      },
    ],
    runs: (() => {
      const page = runPageFixture(48, 1, 10, "failed");
      return { items: page.items, total: page.total };
    })(),
  };
}

export function incidentPageFixture(total = 3, page = 1, pageSize = 25): IncidentPage {
  const items = Array.from(
    { length: Math.max(0, Math.min(pageSize, total - (page - 1) * pageSize)) },
    (_, i) =>
      incidentFixture((page - 1) * pageSize + i + 1, "cco-subscription", (page - 1) * pageSize + i === 0),
  );
  return { items, total, page, pageSize };
}

export function runPageFixture(total = 3, page = 1, pageSize = 25, outcome?: string): RunPage {
  const outcomes = ["completed", "failed", "rejected", "abandoned", "in_progress"] as const;
  const count = Math.max(0, Math.min(pageSize, total - (page - 1) * pageSize));
  return {
    total,
    page,
    pageSize,
    items: Array.from({ length: count }, (_, i) => {
      const n = (page - 1) * pageSize + i;
      const o = (outcome as (typeof outcomes)[number]) ?? outcomes[n % outcomes.length]!;
      return {
        journey: "cco-subscription",
        runId: `run-${String(n).padStart(5, "0")}`,
        synthetic: n % 7 === 0,
        outcome: o,
        startedAt: new Date(Date.parse("2026-11-25T12:00:00Z") - n * 60_000).toISOString(),
        lastActivityAt: new Date(Date.parse("2026-11-25T12:05:00Z") - n * 60_000).toISOString(),
        furthestStep: o === "completed" ? "account-opened" : "identity",
        stoppedAtStep: o === "failed" || o === "rejected" ? "identity" : null,
        errorCode: o === "failed" ? (n % 3 ? "KYC_TIMEOUT" : "HTTP_502") : null,
        errorCount: o === "failed" ? 1 : 0,
        recoveredFailure: false,
        completedAt:
          o === "completed" ? new Date(Date.parse("2026-11-25T12:05:00Z") - n * 60_000).toISOString() : null,
        attributes: { product: n % 2 ? "premium" : "standard", channel: "web" },
      };
    }),
  };
}
