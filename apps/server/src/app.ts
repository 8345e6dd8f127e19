import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCompress from "@fastify/compress";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from "fastify";
import type { Logger } from "pino";
import { publicRoutes, requireAccessDeclarations } from "./access.js";
import type { Config } from "./config.js";
import type { DatabaseClient } from "./db/client.js";
import { NotFoundError } from "./errors.js";
import { type AlertingModule, createAlertingModule } from "./modules/alerts/module.js";
import { type Analytics, createAnalytics } from "./modules/analytics/module.js";
import { type AuthModule, createAuthModule, registerAuth } from "./modules/auth/module.js";
import { createDemoModule, type DemoModule } from "./modules/demo/module.js";
import { demoRoutes } from "./modules/demo/routes.js";
import { createEventsRepository } from "./modules/events/repository.js";
import { eventRoutes } from "./modules/events/routes.js";
import { createEventsService, type EventsService } from "./modules/events/service.js";
import { createIncidentsModule } from "./modules/incidents/module.js";
import { createJourneyCatalogue } from "./modules/journeys/catalogue.js";
import { journeyRoutes } from "./modules/journeys/routes.js";
import type { IngestKey } from "./modules/keys/service.js";
import { createLiveModule, type LiveModule } from "./modules/live/module.js";
import { createMetrics, type Metrics } from "./modules/ops/metrics.js";
import { opsRoutes } from "./modules/ops/routes.js";
import { createProbesModule, type ProbesModule } from "./modules/probes/module.js";
import { probeRoutes } from "./modules/probes/routes.js";
import { webAppRoutes } from "./modules/web/routes.js";
import { problemErrorHandler } from "./problem.js";

const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/** Everything the HTTP app is built from; tests pass their own. */
export interface AppDeps {
  config: Config;
  database: DatabaseClient;
  ingestKeys: IngestKey[];
  logger?: Logger | false;
}

export interface VigieApp {
  app: FastifyInstance;
  /** Every route, with its access declaration (for the route × role matrix). */
  routes: RouteOptions[];
  events: EventsService;
  /** Journey analytics: runs, rollups, availability, incidents, funnel, volumes; `analytics.pass.run()`. */
  analytics: Analytics;
  metrics: Metrics;
  /** Live board updates, heard by every instance (SSE); `live.disconnect(...)` ends a user's streams. */
  live: LiveModule;
  /** Probes: service (list, run, pause), scheduler, outbound guard (reuse it for any outbound call). */
  probes: ProbesModule;
  /** Users, sessions, API keys and the audit log (`auth.audit.record(...)` for audited actions). */
  auth: AuthModule;
  /** Alert rules, evaluator, silences, audiences and the notification outbox. */
  alerting: AlertingModule;
  /** The demo bank, simulated prospects, backfill, faults and drills; `demo.start(...)` once listening. */
  demo: DemoModule;
}

/** Builds the Fastify instance with every route; it does not listen. */
export async function buildApp(deps: AppDeps): Promise<VigieApp> {
  const { config, database } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: (deps.logger || undefined) as FastifyBaseLogger | undefined,
    logger: deps.logger === false ? false : undefined,
    bodyLimit: config.server.bodyLimitBytes,
    // Prototype pollution: a body with __proto__ or constructor.prototype is refused, not cleaned.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // X-Forwarded-For/-Proto/-Host are believed only from the configured reverse proxies.
    trustProxy: config.auth.trustedProxies.length > 0 ? config.auth.trustedProxies : false,
  });
  const metrics = createMetrics(database.pool);
  const journeys = createJourneyCatalogue(config.journeys);
  const live = createLiveModule({
    pool: database.pool,
    journeys,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const alerting = await createAlertingModule({
    config,
    db: database.db,
    pool: database.pool,
    journeys,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const analytics = createAnalytics({
    config,
    database,
    journeys,
    // probe state and incidents change in the pass, not when events are stored
    onPassChange: (changed) => live.journeysChanged(changed),
  });
  const events = createEventsService({
    repository: createEventsRepository(database.db),
    journeys,
    projections: [analytics.projection],
    limits: { maxEventAgeMs: config.ingest.maxEventAge, maxClockSkewMs: config.ingest.maxClockSkew },
    onIngested: (result) => metrics.recordIngest(result),
    afterCommit: [
      (stored) => live.journeysChanged(stored.map((accepted) => accepted.event.data.journey)),
      // a decisive event is evaluated at once, not at the next periodic pass
      (stored) => alerting.evaluator.onEventsStored(stored),
    ],
  });

  const routes = requireAccessDeclarations(app);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`No route ${request.method} ${request.url.split("?")[0]}.`);
  });
  // Answers over 1 KB travel gzipped to whoever accepts it (a 1,000-journey board: 1.4 MB → ~0.1 MB).
  // Only JSON, problems and the web app's files: the live stream must flush each message as it is.
  await app.register(fastifyCompress, {
    encodings: ["gzip", "deflate"],
    threshold: 1024,
    customTypes:
      /^(application\/(json|problem\+json|javascript)|text\/(html|css|javascript)|image\/svg\+xml)\b/,
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  // After the error handler (its routes inherit it), before every other route (the access check must cover them).
  const auth = createAuthModule({ config, db: database.db, ingestKeys: deps.ingestKeys });
  await registerAuth(app, auth, config);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Vigie API",
        version: "1.0.0",
        description: "Quality of service of online subscription journeys: ingestion, journeys, operations.",
      },
      components: {
        securitySchemes: {
          ingestKey: { type: "http", scheme: "bearer", description: "Ingest key" },
          readKey: { type: "http", scheme: "bearer", description: "Read key (GET only, as its role)" },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "__Host-vigie_session",
            description: "Signed-in user",
          },
        },
      },
    },
  });
  await publicRoutes(app, async (docs) => {
    await docs.register(fastifySwaggerUi, { routePrefix: "/api/docs" });
    docs.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  });

  await app.register(opsRoutes, { pool: database.pool, metrics });
  await app.register(journeyRoutes, { journeys });
  const probes = createProbesModule({
    config: config.probes,
    journeys,
    events,
    db: database.db,
    registry: metrics.registry,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  app.addHook("onClose", () => probes.close());
  await app.register(probeRoutes, { probes: probes.service });
  await app.register(eventRoutes, {
    events,
    maxBatchEvents: config.ingest.maxBatchEvents,
  });
  await live.routes(app);
  const demo = createDemoModule({
    config,
    db: database.db,
    journeys,
    events,
    analyseSince: (since) => analytics.pass.run({ since: since.getTime() }),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  app.addHook("onClose", () => demo.stop());
  await app.register(demoRoutes, { demo });
  await app.register(analytics.routes, analytics.routeOptions);
  const incidents = createIncidentsModule({
    ...analytics.routeOptions,
    alerting,
    onChange: (changed) => live.journeysChanged(changed),
    audit: auth.audit,
  });
  await incidents.routes(app);
  app.addHook("onClose", () => alerting.stop());
  await alerting.routes(app);
  await publicRoutes(app, async (web) => {
    await web.register(webAppRoutes, { root: WEB_ROOT });
  });

  return { app, events, analytics, metrics, live, routes, auth, probes, alerting, demo };
}
