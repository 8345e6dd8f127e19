import type { FastifyInstance } from "fastify";
import type { Config } from "../../config.js";
import type { DatabaseClient } from "../../db/client.js";
import { createIncidentsRepository } from "../incidents/repository.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { createRunsProjection } from "../runs/projection.js";
import { createRunsRepository } from "../runs/repository.js";
import type { AnalyticsContext } from "./context.js";
import { createAnalyticsPass } from "./pass.js";
import { createAnalyticsRepository } from "./repository.js";
import { analyticsRoutes } from "./routes.js";

/** What journey analytics is built from; defaults in brackets. */
export interface AnalyticsDeps {
  config: Config;
  database: DatabaseClient;
  journeys: JourneyCatalogue;
  /** Clock in ms [Date.now]; tests inject one. */
  now?: () => number;
  /** Maintain rollups in the storing transaction [true]; off only to measure their cost. */
  rollups?: boolean;
  /** Told which journeys a periodic pass changed (live pages refresh them) [nobody]. */
  onPassChange?: (journeys: string[]) => void;
}

/**
 * Journey analytics as one unit: the projection to register with the events service, the periodic
 * pass (abandonment, probe state, incidents), and the read routes.
 */
export function createAnalytics(deps: AnalyticsDeps) {
  const { config, database, journeys } = deps;
  const now = deps.now ?? (() => Date.now());
  const ctx: AnalyticsContext = {
    db: database.db,
    repository: createAnalyticsRepository(database.db, config.timezone),
    journeys,
    timezone: config.timezone,
    now,
    recentWindowMs: config.analytics.recentWindow,
    volumeWeeks: config.analytics.volumeWeeks,
  };
  const runs = createRunsRepository(database.db, journeys);
  const incidents = createIncidentsRepository(database.db);
  const pass = createAnalyticsPass({
    db: database.db,
    journeys,
    timezone: config.timezone,
    incidentMergeGapMs: config.analytics.incidentMergeGap,
    now,
    ...(deps.onPassChange ? { onChange: deps.onPassChange } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    context: ctx,
    projection: createRunsProjection({ journeys, timezone: config.timezone, now, rollups: deps.rollups }),
    pass,
    runs,
    incidents,
    /**
     * Fastify plugin of the read API; it also runs the periodic pass (abandonment, probe state,
     * incidents) every `analytics.passInterval` while the server listens.
     */
    async routes(app: FastifyInstance, options: Parameters<typeof analyticsRoutes>[1]) {
      await analyticsRoutes(app, options);
      app.addHook("onListen", async () => {
        timer ??= setInterval(() => {
          if (running) return; // a slow pass is never overlapped by the next one
          running = pass
            .run()
            .catch((error) => app.log.warn({ err: error }, "analytics pass failed"))
            .finally(() => {
              running = undefined;
            });
        }, config.analytics.passInterval);
        timer.unref();
      });
      app.addHook("onClose", async () => {
        clearInterval(timer);
        await running;
      });
    },
    routeOptions: { ctx, runs, incidents },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
