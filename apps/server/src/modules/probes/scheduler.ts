import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ProbeDefinition } from "./definition.js";
import type { ProbesRepository } from "./repository.js";
import { leaseDurationMs, nextRunAfter } from "./schedule.js";
import type { ProbesService } from "./service.js";

type Kind = "http" | "browser";

/** Options of the scheduler; defaults in brackets. */
export interface ProbeSchedulerOptions {
  /** Pause between two looks for due probes, each claiming what starts before the next one [250 ms]. */
  tickMs?: number;
  /** Runs in flight at once, per kind [http 20, browser 1]. */
  concurrency?: Partial<Record<Kind, number>>;
  /** Prometheus registry for the scheduler's metrics [none]. */
  registry?: Registry;
  /** Clock [Date.now]. */
  now?: () => Date;
  log?: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
  /** Called after each scheduled run with its start delay (for benchmarks and tests). */
  onRun?: (run: {
    probe: string;
    scheduledAt: Date;
    startedAt: Date;
    jitterMs: number;
    outcome: string;
  }) => void;
}

function schedulerMetrics(registry: Registry | undefined) {
  if (!registry) return undefined;
  return {
    jitter: new Histogram({
      name: "vigie_probe_schedule_jitter_seconds",
      help: "Delay between a probe run's planned start and its actual start",
      labelNames: ["kind"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    runs: new Counter({
      name: "vigie_probe_runs_total",
      help: "Scheduled probe runs by kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    missed: new Counter({
      name: "vigie_probe_missed_runs_total",
      help: "Planned probe starts skipped because the scheduler was late or the previous run still ran",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "vigie_probe_runs_in_flight",
      help: "Probe runs in flight on this instance",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
  };
}

/**
 * Starts due probes: the plan lives in PostgreSQL (it survives restarts and is shared by instances),
 * a lease per probe keeps it from running twice at once, and runs are limited per kind.
 */
export function createProbeScheduler(
  service: ProbesService,
  repository: ProbesRepository,
  options: ProbeSchedulerOptions = {},
) {
  const now = options.now ?? (() => new Date());
  const tickMs = options.tickMs ?? 250;
  const limits: Record<Kind, number> = {
    http: options.concurrency?.http ?? 20,
    browser: options.concurrency?.browser ?? 1,
  };
  const inFlight: Record<Kind, number> = { http: 0, browser: 0 };
  const running = new Set<Promise<void>>();
  const metrics = schedulerMetrics(options.registry);
  const log = options.log ?? (() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking: Promise<void> | undefined;
  let wakeSoon = false;
  // Leases are given back in batches, one statement for all the runs that ended meanwhile.
  let releases: { probe: string; runId: string | null; at: Date; done: () => void }[] = [];
  let releaseTimer: ReturnType<typeof setTimeout> | undefined;

  function release(probe: string, runId: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      releases.push({ probe, runId: runId ?? null, at: now(), done: resolve });
      if (releaseTimer) return;
      releaseTimer = setTimeout(() => {
        releaseTimer = undefined;
        const batch = releases;
        releases = [];
        repository
          .releaseMany(service.instanceId, batch)
          .catch((error) => log("warn", "probe leases not released (they will expire)", { err: error }))
          .finally(() => {
            for (const item of batch) item.done();
          });
      }, 20);
    });
  }

  function launch(probe: ProbeDefinition, scheduledAt: Date): void {
    const kind = probe.kind;
    inFlight[kind] += 1;
    metrics?.inFlight.set({ kind }, inFlight[kind]);
    const task = (async () => {
      // Claimed up to one tick ahead: wait for the planned start, so the tick does not add to jitter.
      const wait = scheduledAt.getTime() - now().getTime();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const startedAt = now();
      const jitterMs = Math.max(0, startedAt.getTime() - scheduledAt.getTime());
      metrics?.jitter.observe({ kind }, jitterMs / 1000);
      let runId: string | undefined;
      try {
        const result = await service.execute(probe, {
          trigger: "schedule",
          scheduledAt,
          waitUntilStored: false,
        });
        runId = result.runId;
        metrics?.runs.inc({ kind, outcome: result.outcome });
        options.onRun?.({ probe: probe.name, scheduledAt, startedAt, jitterMs, outcome: result.outcome });
      } catch (error) {
        log("error", "probe run crashed", { probe: probe.name, err: error });
      } finally {
        await release(probe.name, runId);
        inFlight[kind] -= 1;
        metrics?.inFlight.set({ kind }, inFlight[kind]);
      }
    })();
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      // A freed slot may let a waiting due probe start now rather than at the next tick.
      if (!stopped && wakeSoon) schedule(0);
    });
  }

  async function claim(kind: Kind, at: Date): Promise<number> {
    const free = limits[kind] - inFlight[kind];
    const candidates = service.probes().filter((p) => p.kind === kind);
    if (free <= 0) {
      wakeSoon = true;
      return 0;
    }
    if (candidates.length === 0) return 0;
    const byName = new Map(candidates.map((p) => [p.name, p]));
    const claimed = await repository.claimDue({
      kind,
      probes: [...byName.keys()],
      owner: service.instanceId,
      now: at,
      dueBefore: new Date(at.getTime() + tickMs),
      limit: free,
      leaseUntil: (name) => new Date(at.getTime() + leaseDurationMs(byName.get(name)!)),
      nextRunAt: (name, scheduled) => {
        const probe = byName.get(name)!;
        const next = nextRunAfter(probe, at.getTime() > scheduled.getTime() ? at : scheduled);
        if ("every" in probe.schedule) {
          const skipped = Math.floor((at.getTime() - scheduled.getTime()) / probe.schedule.every);
          if (skipped > 0) metrics?.missed.inc({ kind }, skipped);
        }
        return next;
      },
    });
    for (const { probe, scheduledAt } of claimed) launch(byName.get(probe)!, scheduledAt);
    if (claimed.length === free) wakeSoon = true;
    return claimed.length;
  }

  async function tick(): Promise<void> {
    wakeSoon = false;
    const at = now();
    try {
      await claim("http", at);
      await claim("browser", at);
    } catch (error) {
      log("warn", "probe scheduler tick failed", { err: error });
    }
    // Every claim looks one tick ahead, so one look per tick keeps every start on time.
    if (!stopped) schedule(tickMs);
  }

  function schedule(delay: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (ticking) {
        schedule(5);
        return;
      }
      ticking = tick().finally(() => {
        ticking = undefined;
      });
    }, delay);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    /** Stops claiming and waits for the runs in flight to finish. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await ticking;
      await Promise.allSettled([...running]);
    },
    /** Runs in flight, per kind. */
    inFlight: () => ({ ...inFlight }),
    /** Resolves when no run is in flight (tests). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

export type ProbeScheduler = ReturnType<typeof createProbeScheduler>;
