import type { JourneyDivergence, ProbeState, StepDivergence } from "@vigie/contracts";
import type { JourneyConfig } from "../../config.js";
import type { AnalyticsContext } from "./context.js";
import type { StepCell } from "./repository.js";

/** Current probe state of every series of some journeys (`journey\0step`, step "" = journey level). */
export async function currentProbeStates(ctx: AnalyticsContext, journeys: string[]) {
  const now = ctx.now();
  const { series } = await ctx.repository.probeTimeline(journeys, now, now + 1);
  const states = new Map<string, { state: ProbeState; since: string | null }>();
  for (const s of series) {
    const journey = ctx.journeys.get(s.journey);
    if (!journey) continue;
    const stale = now - s.last_at.getTime() > journey.probes.staleAfter;
    states.set(`${s.journey}\u0000${s.step}`, {
      state: stale ? "unknown" : s.down ? "down" : "up",
      since: s.down && !stale ? (s.down_since?.toISOString() ?? null) : null,
    });
  }
  return states;
}

/** Real traffic state of one step over the recent window. */
export function trafficState(
  journey: JourneyConfig,
  cells: StepCell[],
): { state: "ok" | "failing" | "no_traffic"; errorRate: number | null } {
  let errors = 0;
  let attempts = 0;
  for (const c of cells) {
    if (c.synthetic || c.outcome === "started") continue;
    attempts += c.events;
    if (c.outcome === "error") errors += c.events;
  }
  if (attempts === 0) return { state: "no_traffic", errorRate: null };
  const rate = errors / attempts;
  const failing = attempts >= journey.errorRate.minAttempts && rate >= journey.errorRate.threshold;
  return { state: failing ? "failing" : "ok", errorRate: rate };
}

/**
 * Probe state against real traffic, per step and for the journey: they diverge when probes are up
 * while real prospects fail at a step, or probes are down while real prospects get through.
 */
export async function journeyDivergences(
  ctx: AnalyticsContext,
  keys: string[],
): Promise<JourneyDivergence[]> {
  const now = ctx.now();
  const [states, cells] = await Promise.all([
    currentProbeStates(ctx, keys),
    ctx.repository.stepCells({
      journeys: keys,
      from: now - ctx.recentWindowMs,
      to: now,
      tz: ctx.timezone,
      synthetic: false,
      hourly: true,
    }),
  ]);
  return keys.map((key) => {
    const journey = ctx.journeys.get(key)!;
    const steps: StepDivergence[] = journey.steps.map((step) => {
      const probe = states.get(`${key}\u0000${step.key}`)?.state ?? "unknown";
      const traffic = trafficState(
        journey,
        cells.filter((c) => c.journey === key && c.step === step.key),
      );
      return {
        step: step.key,
        probe,
        traffic: traffic.state,
        trafficErrorRate: traffic.errorRate,
        diverges:
          (probe === "up" && traffic.state === "failing") || (probe === "down" && traffic.state === "ok"),
      };
    });
    const probe = states.get(`${key}\u0000`)?.state ?? "unknown";
    const failingSteps = steps.filter((s) => s.traffic === "failing").map((s) => s.step);
    const anyTraffic = steps.some((s) => s.traffic !== "no_traffic");
    const traffic = failingSteps.length > 0 ? "failing" : anyTraffic ? "ok" : "no_traffic";
    const diverging = steps.filter((s) => s.diverges);
    let summary: string | null = null;
    if (probe === "up" && failingSteps.length > 0) {
      summary = `probes up while real prospects fail at ${failingSteps.join(", ")}`;
    } else if (diverging.some((s) => s.probe === "down")) {
      const at = diverging.filter((s) => s.probe === "down").map((s) => s.step);
      summary = `probes down at ${at.join(", ")} while real prospects get through`;
    } else if (probe === "down" && traffic === "ok") {
      summary = "probes down while real prospects get through";
    }
    return {
      journey: key,
      probe,
      traffic,
      diverges: summary !== null,
      summary,
      steps,
    };
  });
}
