import { createDemoBank, type DemoBank, type Fault, type FaultRequest } from "@vigie/demo-bank";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Database } from "../../db/schema.js";
import { ConflictError } from "../../errors.js";
import type { EventsService } from "../events/service.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { type BackfillResult, backfillHistory } from "./backfill.js";
import { type BankControl, createBankControl } from "./bank-control.js";
import { createDrillService, type DrillService } from "./drills.js";
import { createDemoRepository } from "./repository.js";
import { createTrafficSimulator, type SimulatorStats, type TrafficSimulator } from "./simulator.js";

/** What the demo module needs. */
export interface DemoModuleDeps {
  config: Config;
  db: Kysely<Database>;
  journeys: JourneyCatalogue;
  events: EventsService;
  logger?: Logger;
  /** Clock [() => new Date()]. */
  now?: () => Date;
  /**
   * Derives incidents (and probe state) back to `since` once history is backfilled; the periodic
   * pass only looks back 24 h, so the backfilled outages would otherwise never become incidents
   * [nothing].
   */
  analyseSince?: (since: Date) => Promise<unknown>;
}

/** Where the running demo can be reached, for the start-up banner and the status route. */
export interface DemoStatus {
  enabled: boolean;
  bankUrl: string | null;
  traffic: SimulatorStats | null;
  backfill: { running: boolean; done: number | null };
  drills: { scheduled: boolean; every: number; mode: "bank" | "synthetic" };
}

/**
 * The demo: the demo bank, simulated prospects, history backfill, fault control and drills. The
 * service parts work whenever a bank is reachable (or, for synthetic drills, without one);
 * `start()` brings the living system up with the server and `stop()` takes it down.
 */
export function createDemoModule(deps: DemoModuleDeps) {
  const demo = deps.config.demo;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger?.child({ module: "demo" });
  const repository = createDemoRepository(deps.db);
  let bankControl: BankControl | undefined = demo.bank.url
    ? createBankControl({ url: demo.bank.url.replace(/\/+$/, ""), adminToken: demo.bank.adminToken })
    : undefined;
  let bank: DemoBank | undefined;
  let simulator: TrafficSimulator | undefined;
  let drillTimer: ReturnType<typeof setInterval> | undefined;
  let drillTick: Promise<void> | undefined;
  let backfillTask: Promise<unknown> | undefined;
  let backfillProgress: number | null = null;
  let stopped = false;
  let started = false;

  const ingest = (events: unknown[]) => deps.events.ingest(events);
  const drills: DrillService = createDrillService({
    repository,
    journeys: deps.journeys,
    config: demo,
    bank: () => bankControl,
    burst: () => (simulator ? (count: number) => simulator!.burst(count) : undefined),
    ingest,
    now,
    logger,
  });

  const requireBank = (): BankControl => {
    if (!bankControl) {
      throw new ConflictError(
        "demo_bank_absent",
        "No demo bank: enable demo.bank (or set demo.bank.url to a bank running elsewhere).",
      );
    }
    return bankControl;
  };

  /** Fills [now - days, now) with history through the ingestion service. */
  async function backfill(
    days: number,
    options: {
      onProgress?: (done: number, totals: BackfillResult) => void;
      cancelled?: () => boolean;
      throttle?: boolean;
    } = {},
  ): Promise<BackfillResult> {
    const to = now();
    const from = new Date(to.getTime() - days * 86_400_000);
    const id = await repository.startBackfill(demo.journey, from, to);
    const totals = await backfillHistory({
      journey: demo.journey,
      from,
      to,
      seed: demo.seed,
      prospectsPerHour: demo.traffic.prospectsPerHour,
      timeZone: deps.config.timezone,
      batchSize: demo.backfill.batchSize,
      emit: (events) => deps.events.ingest(events),
      onProgress: options.onProgress,
      cancelled: options.cancelled,
      throttle: options.throttle,
    });
    if (!options.cancelled?.()) {
      await repository.finishBackfill(id, totals, now());
      await deps.analyseSince?.(from);
    }
    return totals;
  }

  async function tickDrills(): Promise<void> {
    try {
      await drills.checkRunning();
      if (demo.drills.enabled && !stopped) await drills.startDue();
    } catch (error) {
      logger?.warn({ err: error }, "drill tick failed");
    }
  }

  return {
    repository,
    drills,
    backfill,

    faults: {
      /** Injects a fault into the demo bank. */
      inject: (request: FaultRequest): Promise<Fault> => requireBank().inject(request),
      list: (): Promise<Fault[]> => requireBank().list(),
      lift: (id: string): Promise<void> => requireBank().lift(id),
      clear: (): Promise<number> => requireBank().clear(),
    },

    /** Controls the demo bank at `url` (one running elsewhere, e.g. in the server, for the CLI). */
    useBankAt(url: string): void {
      bankControl ??= createBankControl({ url, adminToken: demo.bank.adminToken });
    },

    status(): DemoStatus {
      return {
        enabled: demo.enabled,
        bankUrl: bankControl?.url ?? null,
        traffic: simulator?.stats() ?? null,
        backfill: { running: backfillTask !== undefined, done: backfillProgress },
        drills: {
          scheduled: demo.enabled && demo.drills.enabled,
          every: demo.drills.every,
          mode: demo.drills.mode === "bank" && !bankControl ? "synthetic" : demo.drills.mode,
        },
      };
    },

    /**
     * Brings the demo up once Vigie listens at `vigieUrl`: the bank (sending its events with
     * `ingestKey`), the simulated prospects, the first-start backfill and the drill schedule. A part
     * that cannot start is logged and skipped: Vigie itself keeps running.
     */
    async start(options: { vigieUrl: string; ingestKey: string }): Promise<DemoStatus> {
      if (!demo.enabled || started || stopped) return this.status();
      started = true;
      if (!deps.journeys.get(demo.journey)) {
        logger?.error({ journey: demo.journey }, "demo journey not declared in journeys: demo not started");
        return this.status();
      }
      if (demo.bank.enabled && !demo.bank.url) {
        const candidate = await createDemoBank({
          vigie: { url: options.vigieUrl, apiKey: options.ingestKey },
          adminToken: demo.bank.adminToken,
          logger: logger?.child({ module: "demo-bank" }),
        });
        try {
          const url = await candidate.listen(demo.bank.host, demo.bank.port);
          bank = candidate;
          bankControl = createBankControl({ url, adminToken: demo.bank.adminToken });
        } catch (error) {
          await candidate.close().catch(() => undefined);
          logger?.error(
            { err: error, port: demo.bank.port },
            "demo bank not started (port in use? set demo.bank.port); Vigie runs without it",
          );
        }
      }
      if (demo.traffic.enabled && bankControl && demo.traffic.prospectsPerHour > 0) {
        simulator = createTrafficSimulator({
          bankUrl: bankControl.url,
          prospectsPerHour: demo.traffic.prospectsPerHour,
          timeZone: deps.config.timezone,
          seed: demo.seed,
          thinkTimeScale: demo.traffic.thinkTimeScale,
          maxConcurrent: demo.traffic.maxConcurrent,
          tickMs: demo.traffic.tick,
          now,
          logger,
        });
        simulator.start();
      }
      if (demo.backfill.daysOnFirstStart > 0 && !(await repository.backfillDone(demo.journey))) {
        let reported = 0;
        backfillProgress = 0;
        logger?.info({ days: demo.backfill.daysOnFirstStart }, "demo history backfill started (first start)");
        backfillTask = backfill(demo.backfill.daysOnFirstStart, {
          // in the background of a live system: half the database at most
          throttle: true,
          cancelled: () => stopped,
          onProgress: (done, totals) => {
            backfillProgress = done;
            if (done - reported >= 0.1 || done === 1) {
              reported = done;
              logger?.info({ done: Math.round(done * 100), events: totals.events }, "demo history backfill");
            }
          },
        })
          .catch((error) => logger?.warn({ err: error }, "demo history backfill failed"))
          .finally(() => {
            backfillTask = undefined;
          });
      }
      drillTimer = setInterval(() => {
        drillTick ??= tickDrills().finally(() => {
          drillTick = undefined;
        });
      }, demo.drills.pollEvery);
      drillTimer.unref();
      return this.status();
    },

    /** Takes the demo down: drills, backfill and prospects stop, then the bank flushes its events. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (drillTimer) clearInterval(drillTimer);
      await drillTick;
      await backfillTask;
      await simulator?.stop();
      await bank?.close();
    },
  };
}

export type DemoModule = ReturnType<typeof createDemoModule>;
