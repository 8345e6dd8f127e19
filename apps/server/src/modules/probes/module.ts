import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Database } from "../../db/schema.js";
import { createOutboundGuard, type OutboundGuard } from "../../net/outbound-guard.js";
import type { EventsService } from "../events/service.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { type BrowserPool, createBrowserPool } from "./browser-runner.js";
import type { ProbesConfig } from "./config-schema.js";
import { createProbesRepository } from "./repository.js";
import { createProbeScheduler, type ProbeScheduler } from "./scheduler.js";
import { createProbesService, type ProbesService } from "./service.js";

/** The probes module as the app holds it. */
export interface ProbesModule {
  service: ProbesService;
  scheduler: ProbeScheduler;
  guard: OutboundGuard;
  browsers: BrowserPool;
  /** Loads the probes folder and starts the scheduler when the configuration says so. */
  start(): Promise<void>;
  /** Stops the scheduler (waiting for runs in flight), closes Chromium and the guard's connections. */
  close(): Promise<void>;
}

/** Builds the probes module from the configuration; nothing runs until `start()`. */
export function createProbesModule(deps: {
  config: ProbesConfig;
  journeys: JourneyCatalogue;
  events: EventsService;
  db: Kysely<Database>;
  registry?: Registry;
  logger?: Logger;
}): ProbesModule {
  const guard = createOutboundGuard({ allow: deps.config.outbound.allow });
  const browsers = createBrowserPool({ executablePath: deps.config.chromiumPath });
  const repository = createProbesRepository(deps.db);
  const log = (level: "info" | "warn" | "error", message: string, details: Record<string, unknown> = {}) =>
    deps.logger?.[level](details, message);
  const service = createProbesService({
    config: deps.config,
    journeys: deps.journeys,
    events: deps.events,
    repository,
    guard,
    browsers,
    log,
  });
  const scheduler = createProbeScheduler(service, repository, {
    tickMs: deps.config.tick,
    concurrency: { http: deps.config.concurrency, browser: deps.config.browserConcurrency },
    ...(deps.registry ? { registry: deps.registry } : {}),
    log,
  });
  return {
    service,
    scheduler,
    guard,
    browsers,
    async start() {
      await service.loadFolder();
      log("info", "probes loaded", {
        probes: service.probes().length,
        invalid: service.invalidFiles().length,
      });
      if (deps.config.scheduler) scheduler.start();
    },
    async close() {
      await scheduler.stop();
      await service.drain();
      await browsers.close();
      await guard.close();
    },
  };
}
