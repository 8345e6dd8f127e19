import { BENCH_JOURNEY } from "./vigie-process.js";

/** A `vigie.step` CloudEvent in structured JSON form, as an application sends it. */
export interface BenchStepEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: "vigie.step";
  time: string;
  data: {
    journey: string;
    runId: string;
    step: string;
    outcome: "started" | "ok" | "error" | "rejected";
    durationMs: number;
    synthetic?: boolean;
    error?: { code: string; message: string };
    attributes: Record<string, string>;
    prospect?: { firstName: string; lastName: string; email: string; phone: string; consentToCall: boolean };
  };
}

const STEPS = BENCH_JOURNEY.steps.map((s) => s.key);
const CHANNELS = ["web", "ios", "android"];

/**
 * Deterministic, realistic step events: event `n` of a run prefix is always the same. Runs walk the
 * journey's seven steps; about 2% are technical errors, 4% business rejections, 10% synthetic
 * (probes), and the contact step carries the prospect's personal data.
 */
export function createStepEventFactory(options: { prefix: string; baseTime: number; spreadMs?: number }) {
  const spread = options.spreadMs ?? 3_600_000;
  return (n: number): BenchStepEvent => {
    const run = Math.floor(n / STEPS.length);
    const stepIndex = n % STEPS.length;
    const outcome = n % 50 === 7 ? "error" : n % 25 === 3 ? "rejected" : stepIndex === 0 ? "started" : "ok";
    const event: BenchStepEvent = {
      specversion: "1.0",
      id: `${options.prefix}-${n}`,
      source: `/apps/${CHANNELS[run % 3]}-front`,
      type: "vigie.step",
      time: new Date(options.baseTime - ((n * 7919) % spread)).toISOString(),
      data: {
        journey: BENCH_JOURNEY.key,
        runId: `${options.prefix}-run-${run}`,
        step: STEPS[stepIndex]!,
        outcome,
        durationMs: 40 + ((n * 37) % 1500),
        attributes: { channel: CHANNELS[run % 3]!, product: "cco-essentiel", appVersion: "4.12.0" },
      },
    };
    if (run % 10 === 0) event.data.synthetic = true;
    if (outcome === "error") {
      event.data.error = { code: "IDV-503", message: "identity provider unavailable (upstream timeout)" };
    }
    if (STEPS[stepIndex] === "contact") {
      event.data.prospect = {
        firstName: "Camille",
        lastName: `Martin-${run}`,
        email: `camille.martin.${run}@example.fr`,
        phone: `+3361234${String(run % 10000).padStart(4, "0")}`,
        consentToCall: run % 3 !== 0,
      };
    }
    return event;
  };
}

/** A request body: events `from` to `from + count - 1` as a CloudEvents batch. */
export function batchBody(factory: (n: number) => BenchStepEvent, from: number, count: number): string {
  const events = new Array<BenchStepEvent>(count);
  for (let i = 0; i < count; i++) events[i] = factory(from + i);
  return JSON.stringify(events);
}
