import type { FastifyInstance } from "fastify";
import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import { handleCheckedOutClientErrors } from "../../db/client.js";
import type { Database } from "../../db/schema.js";
import { createAudienceCatalogue } from "../audiences/catalogue.js";
import { audienceRoutes } from "../audiences/routes.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { createDeliverer } from "../notifications/deliver.js";
import { createNotificationsRepository } from "../notifications/repository.js";
import { notificationRoutes } from "../notifications/routes.js";
import { createSender, type Sender } from "../notifications/sender.js";
import { createSilencesRepository } from "../silences/repository.js";
import { silenceRoutes } from "../silences/routes.js";
import { createSilencesService } from "../silences/service.js";
import { createAlertEvaluator } from "./evaluate.js";
import { createAlertsRepository } from "./repository.js";
import { alertRoutes } from "./routes.js";
import { createRulesService } from "./rules.js";
import { createSignals } from "./signals.js";

/**
 * Alerting assembled: rules, evaluator, silences, audiences, outbox and deliverer. `buildApp` creates
 * it (rules from the file are seeded then) and registers its routes; `startServer` starts the
 * periodic evaluation and the delivery polling. Event-driven evaluation works from the start.
 */
export async function createAlertingModule(deps: {
  config: Config;
  db: Kysely<Database>;
  /**
   * The application's pool: alerting opens its own small pool to the same database from it, so that
   * evaluations and deliveries never wait behind a burst of ingestion for a connection [db only].
   */
  pool?: pg.Pool;
  journeys: JourneyCatalogue;
  logger?: Logger;
  /** Replaces the real sender (benchmarks measuring the pipeline only); real by default. */
  sender?: Sender;
  now?: () => Date;
}) {
  const { config, journeys } = deps;
  const alerting = config.alerting;
  let ownPool: pg.Pool | null = null;
  let db = deps.db;
  if (deps.pool && alerting.poolSize > 0) {
    const PoolClass = deps.pool.constructor as typeof pg.Pool;
    ownPool = new PoolClass({
      ...deps.pool.options,
      max: alerting.poolSize,
      application_name: "vigie-alerting",
    });
    // an idle connection losing its server must not crash the process; the next query reports it
    ownPool.on("error", (error) => deps.logger?.warn({ err: error }, "alerting database connection lost"));
    handleCheckedOutClientErrors(ownPool);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownPool }) });
  }
  const audiences = createAudienceCatalogue(config.audiences);
  const alerts = createAlertsRepository(db);
  const notifications = createNotificationsRepository(db);
  const silences = createSilencesService({
    repository: createSilencesRepository(db),
    journeys,
    defaultTimeZone: alerting.timeZone,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const rules = createRulesService({ repository: alerts, journeys, audiences, alerting });
  const sender =
    deps.sender ??
    createSender({
      timeoutMs: alerting.delivery.timeout,
      ...(deps.logger ? { log: deps.logger.child({ module: "alerting" }) } : {}),
      allowAddresses: alerting.delivery.allowAddresses,
      smtp: alerting.smtp,
    });
  const log = deps.logger?.child({ module: "alerting" });
  const deliverer = createDeliverer({
    repository: notifications,
    audiences,
    sender,
    options: {
      maxAttempts: alerting.delivery.maxAttempts,
      initialBackoffMs: alerting.delivery.initialBackoff,
      maxBackoffMs: alerting.delivery.maxBackoff,
      timeoutMs: alerting.delivery.timeout,
      pollIntervalMs: alerting.delivery.pollInterval,
      deadAfter: alerting.delivery.deadAfter,
      timeZone: alerting.timeZone,
    },
    ...(deps.now ? { now: deps.now } : {}),
    ...(log ? { log } : {}),
  });
  const evaluator = createAlertEvaluator({
    db,
    alerts,
    notifications,
    rules,
    signals: createSignals(db),
    journeys,
    audiences,
    silences,
    alerting,
    onOutbox: () => deliverer.poke(),
    ...(deps.now ? { now: deps.now } : {}),
    ...(log ? { log } : {}),
  });
  await rules.seed();

  let stopped = false;
  return {
    audiences,
    alerts,
    notifications,
    silences,
    rules,
    evaluator,
    deliverer,
    /** Starts the periodic evaluation and the delivery polling (when `alerting.enabled`). */
    start(): void {
      if (!alerting.enabled) return;
      evaluator.start();
      deliverer.start();
      deliverer.poke(); // what a previous process left in the outbox
    },
    /** Stops evaluating and delivering, waiting for work in progress. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await evaluator.stop();
      await deliverer.stop();
      if (!deps.sender) await sender.close();
      if (ownPool) await db.destroy();
    },
    /** Registers the alerting routes (rules, alerts, silences, audiences, delivery log). */
    async routes(app: FastifyInstance): Promise<void> {
      await app.register(alertRoutes, { rules, alerts, evaluator });
      await app.register(silenceRoutes, { silences });
      await app.register(notificationRoutes, { notifications });
      await app.register(audienceRoutes, { audiences, notifications });
    },
  };
}

export type AlertingModule = Awaited<ReturnType<typeof createAlertingModule>>;
