import type { FastifyInstance } from "fastify";
import type pg from "pg";
import type { Logger } from "pino";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { type ChangeListenerOptions, createChangeListener } from "./listener.js";
import { createChangePublisher } from "./publisher.js";
import { liveRoutes } from "./routes.js";
import { createLiveHub } from "./service.js";

/** The PostgreSQL channel every instance of one database listens on. */
export const LIVE_CHANNEL = "vigie_live";

/** What the live module is built from; defaults in brackets. */
export interface LiveModuleDeps {
  /** The app's pool: notices are sent through it, and the listener copies its connection settings. */
  pool: pg.Pool;
  journeys: JourneyCatalogue;
  logger?: Logger;
  /** Reconnection and health check of the listening connection [listener.ts defaults]. */
  listener?: Pick<ChangeListenerOptions, "retryMs" | "maxRetryMs" | "checkEveryMs">;
}

/**
 * Live board updates across every instance sharing the database (ADR 0063): after a commit the
 * journeys that changed go out as a PostgreSQL NOTIFY; each instance LISTENs and pushes what it
 * hears to its own browsers. The sending instance hears its own notice like the others do, so its
 * browsers get one message, not two.
 */
export function createLiveModule(deps: LiveModuleDeps) {
  const hub = createLiveHub({ everyJourney: () => deps.journeys.list().map((journey) => journey.key) });
  const publisher = createChangePublisher({
    notify: (payload) => deps.pool.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, payload]),
    onFailed: (journeys, error) => {
      deps.logger?.warn(
        { err: error },
        "live updates notice not sent; only this instance's browsers hear it",
      );
      hub.journeysChanged(journeys);
    },
  });
  const listener = createChangeListener({
    ...deps.listener,
    connection: deps.pool.options,
    channel: LIVE_CHANNEL,
    onNotice: (notice) => ("all" in notice ? hub.everythingChanged() : hub.journeysChanged(notice.journeys)),
    // notices sent while the connection was down are lost: every page fetches its figures again
    onResumed: () => hub.everythingChanged(),
    log: (level, message, details) => deps.logger?.[level](details ?? {}, message),
  });

  return {
    hub,
    listener,
    /** Tells the browsers of every instance that these journeys changed; call it after the commit. */
    journeysChanged: (journeys: Iterable<string>) => publisher.journeysChanged(journeys),
    /** Ends this instance's streams whose owner matches (sign-out); returns how many were ended. */
    disconnect: (matches: (owner: unknown) => boolean) => hub.disconnect(matches),
    /** Registers `GET /api/v1/live`; listening starts when the app is ready and stops when it closes. */
    async routes(app: FastifyInstance): Promise<void> {
      await app.register(liveRoutes, { hub });
      app.addHook("onReady", () => listener.start());
      app.addHook("onClose", async () => {
        // the last commits' notice still leaves: other instances' boards catch up before this one is gone
        await publisher.close();
        await listener.close();
      });
    },
  };
}

export type LiveModule = ReturnType<typeof createLiveModule>;
