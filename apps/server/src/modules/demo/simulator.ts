import type { Logger } from "pino";
import { type WalkOutcome, walkProspect } from "./bank-walker.js";
import { type ProspectPlan, planProspect } from "./prospect-plan.js";
import { type ArrivalOptions, arrivalsBetween, MINUTE_MS } from "./traffic-shape.js";

/** Options of the live traffic; defaults in brackets. */
export interface SimulatorOptions extends ArrivalOptions {
  bankUrl: string;
  thinkTimeScale: number;
  maxConcurrent: number;
  /** How often arrivals are drawn, ms. */
  tickMs: number;
  /** Clock [() => new Date()]. */
  now?: () => Date;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** Counters of the simulated prospects since start. */
export interface SimulatorStats {
  active: number;
  launched: number;
  /** Arrivals not launched because `maxConcurrent` prospects were already walking. */
  turnedAway: number;
  outcomes: Partial<Record<WalkOutcome, number>>;
}

/**
 * Simulated prospects walking the demo bank's real pages, arriving with the daily and weekly shape
 * of `traffic-shape.ts`. Stopping cancels every think time and waits for the requests in flight.
 */
export function createTrafficSimulator(options: SimulatorOptions) {
  const now = options.now ?? (() => new Date());
  const active = new Set<Promise<void>>();
  const waits = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: (go: boolean) => void }>();
  const stats: SimulatorStats = { active: 0, launched: 0, turnedAway: 0, outcomes: {} };
  let timer: ReturnType<typeof setInterval> | undefined;
  let cursor: Date | undefined;
  let stopping = false;
  let extra = 0;

  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopping) return resolve(false);
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve(!stopping);
        }, ms),
        resolve,
      };
      waits.add(entry);
    });

  /** Starts one prospect's walk unless too many are walking already. */
  function launch(plan: ProspectPlan, thinkTimeScale = options.thinkTimeScale): boolean {
    if (stopping) return false;
    if (active.size >= options.maxConcurrent) {
      stats.turnedAway += 1;
      return false;
    }
    stats.launched += 1;
    const walk = walkProspect(plan, { bankUrl: options.bankUrl, wait, thinkTimeScale, fetch: options.fetch })
      .then((result) => {
        stats.outcomes[result.outcome] = (stats.outcomes[result.outcome] ?? 0) + 1;
      })
      .catch((error) => options.logger?.warn({ err: error }, "simulated prospect failed"))
      .finally(() => {
        active.delete(walk);
      });
    active.add(walk);
    return true;
  }

  /** Launches the prospects who arrived since the last tick. */
  function tick(): number {
    const until = now();
    const from = cursor ?? until;
    cursor = until;
    let launched = 0;
    for (const arrival of arrivalsBetween(from, until, options)) {
      if (launch(planProspect(arrival, options.seed))) launched += 1;
    }
    return launched;
  }

  /** Plans for prospects outside the arrival process (warm-up, drill bursts), still seeded. */
  function extraPlans(count: number, overrides: Partial<ProspectPlan> = {}): ProspectPlan[] {
    const at = now();
    return Array.from({ length: count }, () => {
      extra += 1;
      const minute = Math.floor(at.getTime() / MINUTE_MS);
      return { ...planProspect({ minute, index: 100_000 + extra, at }, options.seed), ...overrides };
    });
  }

  return {
    tick,
    launch,
    /** Starts the arrivals, with one quick prospect at once so that the demo is alive from the first seconds. */
    start(): void {
      if (timer || stopping) return;
      cursor = now();
      // a quick one: its completed run shows within seconds
      launch(extraPlans(1, { abandonAt: undefined })[0]!, Math.min(options.thinkTimeScale, 0.05));
      timer = setInterval(() => {
        try {
          tick();
        } catch (error) {
          options.logger?.warn({ err: error }, "simulated traffic tick failed");
        }
      }, options.tickMs);
      timer.unref();
    },
    /**
     * Sends `count` prospects who go all the way at once, with almost no think time: a drill uses
     * them so that a quiet night still exercises the fault.
     */
    burst(count: number): number {
      let launched = 0;
      for (const plan of extraPlans(count, { abandonAt: undefined, retriesOnError: false })) {
        if (launch(plan, 0.01)) launched += 1;
      }
      return launched;
    },
    /** Stops arrivals, cancels think times and waits (at most `timeoutMs`) for requests in flight. */
    async stop(timeoutMs = 5000): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      for (const entry of waits) {
        clearTimeout(entry.timer);
        entry.resolve(false);
      }
      waits.clear();
      let deadline: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...active]),
        new Promise((resolve) => {
          deadline = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(deadline);
    },
    stats: (): SimulatorStats => ({ ...stats, active: active.size, outcomes: { ...stats.outcomes } }),
    /** Resolves once no prospect is walking (tests). */
    async idle(): Promise<void> {
      while (active.size > 0) await Promise.allSettled([...active]);
    },
  };
}

export type TrafficSimulator = ReturnType<typeof createTrafficSimulator>;
