/**
 * Test support: weeks of journey events with a known ground truth (outages on given steps, business
 * rejections, abandonment, retries, late and duplicated deliveries, a daylight-saving change, a week at
 * half volume). The truth is recorded as the data is made, never computed by the code under test.
 */

export const STEPS = ["landing", "identity", "contact", "offer", "documents", "signature", "account-opened"];
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Europe/Paris offset written out for 2026 (CEST until 25 Oct 01:00 UTC, CET after): independent of Intl. */
export function parisOffset(utc: number): number {
  return utc < Date.UTC(2026, 9, 25, 1) && utc >= Date.UTC(2026, 2, 29, 1) ? 2 * HOUR : HOUR;
}

/** The instant of Paris wall-clock midnight of a calendar date in Oct–Nov 2026. */
export function parisMidnight(year: number, month: number, day: number): number {
  const wall = Date.UTC(year, month - 1, day);
  return wall - parisOffset(wall - 2 * HOUR);
}

/** Start of the Paris local hour holding an instant. */
export function parisHour(utc: number): number {
  const off = parisOffset(utc);
  return Math.floor((utc + off) / HOUR) * HOUR - off;
}

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Outage {
  step: string;
  start: number;
  end: number;
}

export interface TruthEvent {
  id: string;
  time: number;
  runId: string;
  step: string;
  outcome: "started" | "ok" | "error" | "rejected";
  synthetic: boolean;
  errorCode?: string;
  durationMs: number;
  attributes?: Record<string, string>;
}

export interface TruthRun {
  runId: string;
  synthetic: boolean;
  start: number;
  /** Index of the furthest step with an event. */
  furthest: number;
  outcome: "completed" | "failed" | "rejected" | "abandoned";
  completedAt: number | null;
  channel: string;
  errorTimes: number[];
}

export interface GroundTruth {
  from: number;
  to: number;
  outages: Outage[];
  maintenance: { start: number; end: number };
  probeEveryMs: number;
  events: TruthEvent[];
  runs: TruthRun[];
  /** Deliveries in order: each a batch of CloudEvents (with duplicates and late events). */
  batches: Record<string, unknown>[][];
}

/** Generates the data set: 5 weeks from Monday 12 Oct 2026 (Paris), DST change on Sunday 25 Oct. */
export function generateGroundTruth(options: { seed?: number; probeEveryMin?: number } = {}): GroundTruth {
  const random = mulberry32(options.seed ?? 42);
  const from = parisMidnight(2026, 10, 12);
  const to = parisMidnight(2026, 11, 16);
  const halfWeek = { start: parisMidnight(2026, 10, 26), end: parisMidnight(2026, 11, 2) };
  const outages: Outage[] = [
    {
      step: "identity",
      start: parisMidnight(2026, 10, 14) + 10 * HOUR + 3 * MIN,
      end: parisMidnight(2026, 10, 14) + 11 * HOUR + 31 * MIN,
    },
    // across the daylight-saving change (02:00–03:00 local happens twice that night)
    { step: "documents", start: Date.UTC(2026, 9, 24, 23, 20), end: Date.UTC(2026, 9, 25, 2, 40) },
    {
      step: "signature",
      start: parisMidnight(2026, 11, 5) + 14 * HOUR + 7 * MIN,
      end: parisMidnight(2026, 11, 5) + 14 * HOUR + 52 * MIN,
    },
  ];
  const maintenance = {
    start: parisMidnight(2026, 11, 10) + 2 * HOUR,
    end: parisMidnight(2026, 11, 10) + 3 * HOUR,
  };
  const down = (step: string, at: number) =>
    outages.some((o) => o.step === step && at >= o.start && at < o.end);
  const events: TruthEvent[] = [];
  const runs: TruthRun[] = [];
  let eventNo = 0;
  const emit = (e: Omit<TruthEvent, "id" | "durationMs">) => {
    eventNo += 1;
    events.push({ ...e, id: `gt-${eventNo}`, durationMs: Math.round(50 + random() * 900) });
  };

  // Probes: one synthetic run every `probeEveryMs`, steps 10 s apart; stops at the first failing step.
  const probeEveryMs = (options.probeEveryMin ?? 15) * MIN;
  for (let t = from, k = 0; t < to; t += probeEveryMs, k++) {
    const runId = `probe-${k}`;
    let failedAt = -1;
    for (let i = 0; i < STEPS.length; i++) {
      const at = t + i * 10_000;
      if (down(STEPS[i]!, at)) {
        emit({
          time: at,
          runId,
          step: STEPS[i]!,
          outcome: "error",
          synthetic: true,
          errorCode: "PROBE_TIMEOUT",
        });
        failedAt = i;
        break;
      }
      emit({ time: at, runId, step: STEPS[i]!, outcome: "ok", synthetic: true });
    }
    runs.push({
      runId,
      synthetic: true,
      start: t,
      furthest: failedAt >= 0 ? failedAt : STEPS.length - 1,
      outcome: failedAt >= 0 ? "failed" : "completed",
      completedAt: failedAt >= 0 ? null : t + (STEPS.length - 1) * 10_000,
      channel: "",
      errorTimes: [],
    });
  }

  // Real prospects: a few per daytime hour, fewer at night, half as many in the half-volume week.
  let runNo = 0;
  for (let hour = from; hour < to; hour += HOUR) {
    const localHour = Math.floor(((hour + parisOffset(hour)) % DAY) / HOUR);
    let rate = localHour >= 8 && localHour < 20 ? 6 : 1;
    if (hour >= halfWeek.start && hour < halfWeek.end) rate /= 2;
    const count = Math.floor(rate + random() * rate);
    for (let n = 0; n < count; n++) {
      runNo += 1;
      const runId = `real-${runNo}`;
      const start = hour + Math.floor(random() * (HOUR - MIN));
      const channel = random() < 0.6 ? "web" : "mobile";
      const attributes = { product: "cco", channel };
      const run: TruthRun = {
        runId,
        synthetic: false,
        start,
        furthest: 0,
        outcome: "abandoned",
        completedAt: null,
        channel,
        errorTimes: [],
      };
      runs.push(run);
      emit({ time: start, runId, step: "landing", outcome: "started", synthetic: false, attributes });
      let at = start;
      for (let i = 0; i < STEPS.length; i++) {
        const step = STEPS[i]!;
        if (i > 0) at += 60_000 + Math.floor(random() * 60_000);
        if (i > 0 && random() < 0.04) break; // abandons after the previous step
        run.furthest = i;
        if (down(step, at)) {
          emit({
            time: at,
            runId,
            step,
            outcome: "error",
            synthetic: false,
            errorCode: `${step.toUpperCase()}_503`,
            attributes,
          });
          run.errorTimes.push(at);
          if (random() < 0.5) {
            run.outcome = "failed";
            break;
          }
          at += 120_000; // retries two minutes later
          if (down(step, at)) {
            emit({
              time: at,
              runId,
              step,
              outcome: "error",
              synthetic: false,
              errorCode: `${step.toUpperCase()}_503`,
              attributes,
            });
            run.errorTimes.push(at);
            run.outcome = "failed";
            break;
          }
        }
        if (step === "identity" && random() < 0.1) {
          emit({ time: at, runId, step, outcome: "rejected", synthetic: false, attributes });
          run.outcome = "rejected";
          break;
        }
        emit({ time: at, runId, step, outcome: "ok", synthetic: false, attributes });
        if (i === STEPS.length - 1) {
          run.outcome = "completed";
          run.completedAt = at;
        }
      }
    }
  }

  // Deliveries: mostly in time order; 5 % arrive up to 6 h late; 3 % are sent twice.
  const deliveries = events.map((e) => ({ e, at: e.time + (random() < 0.05 ? random() * 6 * HOUR : 0) }));
  for (const e of events) if (random() < 0.03) deliveries.push({ e, at: e.time + random() * 2 * HOUR });
  deliveries.sort((a, b) => a.at - b.at);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < deliveries.length; i += 1000) {
    batches.push(
      deliveries.slice(i, i + 1000).map(({ e }) => ({
        specversion: "1.0",
        id: e.id,
        source: e.synthetic ? "/probes/cco" : "/apps/cco",
        type: "vigie.step",
        time: new Date(e.time).toISOString(),
        data: {
          journey: "cco-subscription",
          runId: e.runId,
          step: e.step,
          outcome: e.outcome,
          durationMs: e.durationMs,
          ...(e.errorCode ? { error: { code: e.errorCode } } : {}),
          ...(e.synthetic ? { synthetic: true } : {}),
          ...(e.attributes ? { attributes: e.attributes } : {}),
        },
      })),
    );
  }
  return { from, to, outages, maintenance, probeEveryMs, events, runs, batches };
}
