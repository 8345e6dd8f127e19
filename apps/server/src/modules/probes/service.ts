import { randomUUID } from "node:crypto";
import { NotFoundError, ProbeBusyError } from "../../errors.js";
import type { OutboundGuard } from "../../net/outbound-guard.js";
import type { PageRequest } from "../analytics/paging.js";
import type { EventsService } from "../events/service.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import type { BrowserPool } from "./browser-runner.js";
import type { ProbesConfig } from "./config-schema.js";
import type { ProbeDefinition } from "./definition.js";
import { type ProbeEntry, type ProbeFilter, type ProbeSort, pageProbes } from "./list-probes.js";
import type { ProbeFileError } from "./loader.js";
import { loadProbeFolder } from "./loader.js";
import { createRunRecorder } from "./recorder.js";
import type { ProbesRepository, RunFilter, RunSort } from "./repository.js";
import type { ProbeRunResult } from "./results.js";
import { runProbe } from "./run-probe.js";
import { leaseDurationMs, nextRunAfter, scheduleFingerprint } from "./schedule.js";

/** What the probes service needs; defaults in brackets. */
export interface ProbesServiceDeps {
  config: ProbesConfig;
  journeys: JourneyCatalogue;
  events: Pick<EventsService, "ingest">;
  repository: ProbesRepository;
  guard: OutboundGuard;
  browsers: BrowserPool;
  /** Identifies this instance in leases [random]. */
  instanceId?: string;
  /** Clock [Date.now]. */
  now?: () => Date;
  /** Where failures to record a run, and probe logs, go [nowhere]. */
  log?: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
}

/**
 * The probes of the configured folder: listing, pausing, running (now or on schedule) and reading
 * their runs. Every run is stored and turned into synthetic `vigie.step` events.
 */
export function createProbesService(deps: ProbesServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const instanceId = deps.instanceId ?? `vigie-${randomUUID()}`;
  const log = deps.log ?? (() => undefined);
  let probes = new Map<string, ProbeDefinition>();
  let invalid: ProbeFileError[] = [];

  const runnerDeps = {
    guard: deps.guard,
    browsers: deps.browsers,
    secrets: deps.config.secrets,
    location: deps.config.location,
    journeySteps: (journey: string) => new Set(deps.journeys.get(journey)?.steps.map((s) => s.key) ?? []),
    log: (probe: string, message: string) => log("info", message, { probe }),
  };

  function probeNamed(name: string): ProbeDefinition {
    const probe = probes.get(name);
    if (!probe) throw new NotFoundError(`No probe named "${name}".`);
    return probe;
  }

  const recorder = createRunRecorder({ repository: deps.repository, events: deps.events, log });

  return {
    instanceId,

    /** Replaces the known probes (loaded from files) and plans schedules for new ones. */
    async setProbes(definitions: ProbeDefinition[], problems: ProbeFileError[] = []): Promise<void> {
      probes = new Map(definitions.map((probe) => [probe.name, probe]));
      invalid = problems;
      const at = now();
      await deps.repository.syncSchedules(
        definitions.map((probe) => ({
          probe: probe.name,
          kind: probe.kind,
          schedule: scheduleFingerprint(probe),
          firstRunAt: nextRunAfter(probe, at),
          paused: !probe.enabled,
        })),
      );
      for (const problem of problems)
        log("warn", "probe file ignored", { file: problem.file, problems: problem.problems });
    },

    /** Loads the configured probes folder. */
    async loadFolder(): Promise<void> {
      const { probes: loaded, invalid: problems } = await loadProbeFolder(deps.config.folder, deps.journeys);
      await this.setProbes(loaded, problems);
    },

    probe: probeNamed,
    probes: () => [...probes.values()],
    invalidFiles: () => invalid,

    /** Probes with their schedule state and last outcome. */
    async list(): Promise<ProbeEntry[]> {
      const rows = new Map((await deps.repository.schedules([...probes.keys()])).map((r) => [r.probe, r]));
      return [...probes.values()].map((probe) => ({ probe, schedule: rows.get(probe.name) }));
    },

    /** One page of probes matching the filter. */
    async page(filter: ProbeFilter, page: PageRequest<ProbeSort>) {
      return pageProbes(await this.list(), filter, page);
    },

    /** One probe with its schedule state. */
    async entry(name: string): Promise<ProbeEntry> {
      const probe = probeNamed(name);
      const [schedule] = await deps.repository.schedules([name]);
      return { probe, schedule };
    },

    /** Runs a probe now, outside its schedule; refused while it runs anywhere. */
    async runNow(name: string): Promise<ProbeRunResult> {
      const probe = probeNamed(name);
      const at = now();
      const leased = await deps.repository.acquire(
        name,
        instanceId,
        at,
        new Date(at.getTime() + leaseDurationMs(probe)),
      );
      if (!leased) throw new ProbeBusyError(`Probe "${name}" is running; try again when it has finished.`);
      let result: ProbeRunResult | undefined;
      try {
        result = await this.execute(probe, { trigger: "manual" });
        return result;
      } finally {
        // A manual run is the probe's last run too: the probe list shows its outcome.
        const last = result ? { runId: result.runId, at: now() } : undefined;
        await deps.repository.release(name, instanceId, last).catch(() => undefined);
      }
    },

    /** Runs a probe whose lease is held, then records it. */
    async execute(
      probe: ProbeDefinition,
      options: {
        trigger: "schedule" | "manual";
        scheduledAt?: Date;
        /** Resolve once the run is stored [true]; the scheduler does not wait, so a slow database never holds a run slot. */
        waitUntilStored?: boolean;
      },
    ): Promise<ProbeRunResult & { trigger: "schedule" | "manual" }> {
      const result = (await runProbe(probe, runnerDeps, options)) as ProbeRunResult & {
        trigger: "schedule" | "manual";
      };
      const stored = recorder.record(result, probe.labels);
      if (options.waitUntilStored !== false) await stored;
      return result;
    },

    /** Pauses or resumes a probe's schedule. */
    async setPaused(name: string, paused: boolean): Promise<void> {
      probeNamed(name);
      if (!(await deps.repository.setPaused(name, paused)))
        throw new NotFoundError(`No schedule for probe "${name}".`);
    },

    /** One page of a probe's runs. */
    runs(filter: RunFilter & { probe: string }, page: PageRequest<RunSort>) {
      probeNamed(filter.probe);
      return deps.repository.pageRuns(filter, page);
    },

    async run(runId: string) {
      const run = await deps.repository.getRun(runId);
      if (!run) throw new NotFoundError(`No probe run "${runId}".`);
      return run;
    },

    async screenshot(runId: string): Promise<Buffer> {
      const image = await deps.repository.getScreenshot(runId);
      if (!image) throw new NotFoundError(`Probe run "${runId}" has no screenshot.`);
      return image;
    },

    /** Writes the runs still queued (shutdown). */
    drain: () => recorder.drain(),
  };
}

export type ProbesService = ReturnType<typeof createProbesService>;
