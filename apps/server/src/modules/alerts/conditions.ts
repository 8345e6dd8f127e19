import { localDate, shiftWallClockDays } from "@vigie/zoned-time";
import type { JourneyConfig } from "../../config.js";
import { burnRate, deriveBurnWindows } from "./burn-rate.js";
import type { RuleDefinition, RuleOf } from "./rule-schema.js";
import type { Signals } from "./signals.js";
import type { Observation } from "./state-machine.js";
import { judgeExposure, usableBaselineWindow } from "./under-exposure.js";

/** What a rule concludes from the data now: its open and close conditions and the figures behind. */
export interface Verdict extends Observation {
  /** Step to name in messages (the failing one), when known. */
  step: string | null;
  facts: Record<string, unknown>;
}

/** What conditions need besides the signals. */
export interface ConditionContext {
  signals: Signals;
  journey: JourneyConfig | undefined;
  now: Date;
  timeZone: string;
  holidays: Set<string>;
  /** Periods of a journey to leave out of volume baselines (incidents, maintenance). */
  excludedPeriods(journey: string, from: Date, to: Date): Promise<{ from: number; to: number }[]>;
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

function probeSettings(journey: JourneyConfig | undefined): { downAfter?: number; upAfter?: number } {
  const probes = (journey as { probes?: { downAfter?: number; upAfter?: number } } | undefined)?.probes;
  return probes ?? {};
}

async function probeDown(rule: RuleOf<"probe-down">, ctx: ConditionContext): Promise<Verdict> {
  const journey = ctx.journey!;
  const n = rule.failuresToOpen ?? probeSettings(journey).downAfter ?? 3;
  const m = rule.successesToClose ?? probeSettings(journey).upAfter ?? 2;
  const lastStep = journey.steps.at(-1)!.key;
  const runs = await ctx.signals.probeRuns(
    journey.key,
    lastStep,
    ago(ctx.now, 86_400_000),
    Math.max(n, m) + 50,
  );
  const settled = runs.filter((r) => r.settled);
  const leading = (failed: boolean) => {
    let count = 0;
    for (const run of settled) {
      if (run.failed !== failed) break;
      count += 1;
    }
    return count;
  };
  const failures = leading(true);
  const successes = leading(false);
  let locationsFailing = 0;
  if (rule.locationsFailing) {
    const latest = new Map<string, boolean>();
    for (const run of settled) {
      if (run.lastAt.getTime() < ctx.now.getTime() - rule.cycle) break;
      const where = run.location ?? "default";
      if (!latest.has(where)) latest.set(where, run.failed);
    }
    locationsFailing = [...latest.values()].filter(Boolean).length;
  }
  const open =
    failures >= n || (rule.locationsFailing !== undefined && locationsFailing >= rule.locationsFailing);
  const failingStep = settled.find((r) => r.failed)?.failingStep ?? null;
  return {
    open,
    close: !open && successes >= m,
    step: failingStep,
    facts: {
      consecutiveFailures: failures,
      consecutiveSuccesses: successes,
      downAfter: n,
      upAfter: m,
      locationsFailing,
    },
  };
}

async function errorRate(rule: RuleOf<"error-rate">, ctx: ConditionContext): Promise<Verdict> {
  const journey = ctx.journey!.key;
  const from = ago(ctx.now, rule.window);
  const counts = await ctx.signals.traffic(journey, rule.step, from, ctx.now);
  const rate = counts.attempts > 0 ? counts.errors / counts.attempts : 0;
  const closeBelow = rule.closeBelow ?? rule.openAbove / 2;
  // counted up to minRuns only: all that matters is whether there is enough traffic to judge
  const runsAtLeast = counts.attempts > 0 ? await ctx.signals.recentRuns(journey, from, rule.minRuns) : 0;
  const enough = runsAtLeast >= rule.minRuns;
  const open = enough && rate >= rule.openAbove;
  const close = counts.attempts === 0 || (enough ? rate < closeBelow : counts.errors === 0);
  let step: string | null = rule.step ?? null;
  if (open && !step)
    step = (await ctx.signals.realErrors(journey, undefined, ago(ctx.now, rule.window), ctx.now)).topStep;
  return {
    open,
    close: !open && close,
    step,
    facts: {
      errorRate: rate,
      ...counts,
      runsAtLeast,
      windowMs: rule.window,
      openAbove: rule.openAbove,
      minRuns: rule.minRuns,
    },
  };
}

async function latency(rule: RuleOf<"latency">, ctx: ConditionContext): Promise<Verdict> {
  const journey = ctx.journey!;
  const stepConfig = journey.steps.find((s) => s.key === rule.step);
  const threshold = rule.p95AboveMs ?? stepConfig?.latencyObjectiveMs ?? journey.objectives.latencyP95Ms;
  const closeBelow = rule.closeBelowMs ?? Math.round(threshold * 0.9);
  const { p95Ms, samples } = await ctx.signals.latency(
    journey.key,
    rule.step,
    ago(ctx.now, rule.window),
    ctx.now,
  );
  const open = samples >= rule.minSamples && p95Ms !== null && p95Ms > threshold;
  const close = samples === 0 || (p95Ms !== null && p95Ms <= closeBelow);
  return {
    open,
    close: !open && close,
    step: rule.step,
    facts: { p95Ms, samples, thresholdMs: threshold, closeBelowMs: closeBelow, windowMs: rule.window },
  };
}

async function burn(rule: RuleOf<"burn-rate">, ctx: ConditionContext): Promise<Verdict> {
  const journey = ctx.journey!;
  const objective = rule.objective ?? journey.objectives.availability;
  const windows = deriveBurnWindows(objective, rule.period).filter((w) => w.severity === rule.severity);
  let open = false;
  let anyShortBurning = false;
  let shown: Record<string, unknown> = {};
  for (const window of windows) {
    if (window.impossible) continue;
    const long = await ctx.signals.traffic(journey.key, undefined, ago(ctx.now, window.longMs), ctx.now);
    const short = await ctx.signals.traffic(journey.key, undefined, ago(ctx.now, window.shortMs), ctx.now);
    const longBurn = burnRate(long.errors, long.attempts, objective);
    const shortBurn = burnRate(short.errors, short.attempts, objective);
    const enough = short.attempts >= rule.minAttempts;
    const fires = enough && longBurn > window.factor && shortBurn > window.factor;
    if (enough && shortBurn > window.factor) anyShortBurning = true;
    if (fires || Object.keys(shown).length === 0) {
      shown = {
        burnRate: longBurn,
        shortBurnRate: shortBurn,
        factor: window.factor,
        longWindowMs: window.longMs,
      };
    }
    if (fires) open = true;
  }
  return {
    open,
    close: !open && !anyShortBurning,
    step: null,
    facts: { ...shown, objective, impossibleWindows: windows.filter((w) => w.impossible).length },
  };
}

async function underExposure(rule: RuleOf<"under-exposure">, ctx: ConditionContext): Promise<Verdict> {
  const journey = ctx.journey!;
  const step = rule.measure === "starts" ? journey.steps[0]!.key : journey.steps.at(-1)!.key;
  const nowMs = ctx.now.getTime();
  const verdicts = [];
  for (const windowMs of rule.windows) {
    const past = Array.from({ length: rule.weeks }, (_, i) => {
      const end = shiftWallClockDays(nowMs, -7 * (i + 1), ctx.timeZone);
      return { from: end - windowMs, to: end };
    });
    const oldest = past.at(-1)!.from;
    const excluded = await ctx.excludedPeriods(journey.key, new Date(oldest), new Date(nowMs));
    const usable = past.filter((w) =>
      usableBaselineWindow(
        { ...w, localDates: [localDate(w.from, ctx.timeZone), localDate(w.to - 1, ctx.timeZone)] },
        excluded,
        ctx.holidays,
      ),
    );
    const counts = await ctx.signals.runsAtStep(journey.key, step, rule.measure === "completions", [
      { from: new Date(nowMs - windowMs), to: ctx.now },
      ...usable.map((w) => ({ from: new Date(w.from), to: new Date(w.to) })),
    ]);
    verdicts.push({ windowMs, ...judgeExposure(counts[0] ?? 0, counts.slice(1), rule) });
  }
  const first = verdicts[0]!;
  const open = verdicts.every((v) => v.underExposed);
  return {
    open,
    close: !open && verdicts.every((v) => !v.underExposed),
    step: null,
    facts: {
      measure: rule.measure,
      observed: first.observed,
      expected: first.expected,
      ratio: first.ratio,
      pValue: first.pValue,
      reason: first.reason,
      windows: verdicts,
    },
  };
}

async function ingestionStalled(rule: RuleOf<"ingestion-stalled">, ctx: ConditionContext): Promise<Verdict> {
  const quietFrom = ago(ctx.now, rule.silentFor);
  // events dated a little ahead (clock skew) still prove that ingestion works
  const recent = await ctx.signals.anyEvent(quietFrom, new Date(ctx.now.getTime() + 300_000));
  const before = recent ? true : await ctx.signals.anyEvent(ago(ctx.now, 86_400_000), quietFrom);
  const open = !recent && before;
  const lastEventAt = open ? await ctx.signals.lastEventAt(ago(ctx.now, 86_400_000), quietFrom) : null;
  return { open, close: recent, step: null, facts: { silentForMs: rule.silentFor, lastEventAt } };
}

/** Evaluates a rule's conditions against the data at `ctx.now`. */
export function evaluateConditions(rule: RuleDefinition, ctx: ConditionContext): Promise<Verdict> {
  switch (rule.kind) {
    case "probe-down":
      return probeDown(rule, ctx);
    case "error-rate":
      return errorRate(rule, ctx);
    case "latency":
      return latency(rule, ctx);
    case "burn-rate":
      return burn(rule, ctx);
    case "under-exposure":
      return underExposure(rule, ctx);
    case "ingestion-stalled":
      return ingestionStalled(rule, ctx);
  }
}
