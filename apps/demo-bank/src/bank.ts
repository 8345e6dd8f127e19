import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import fastifyFormbody from "@fastify/formbody";
import fastifyMultipart from "@fastify/multipart";
import { createVigieClient, type VigieClient, type VigieClientOptions } from "@vigie/sdk";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { adminRoutes } from "./admin-routes.js";
import { createFaultRegistry, type FaultRegistry, InvalidFaultError } from "./faults.js";
import { DEMO_JOURNEY, DEMO_SOURCE } from "./journey.js";
import { type BankContext, journeyRoutes } from "./journey-routes.js";
import { sendProblem } from "./problems.js";
import { createProspectStore, type ProspectStore } from "./prospects.js";

/** Options of the demo bank; defaults in brackets. */
export interface DemoBankOptions {
  /** Where and how the bank sends its events (an ingest key of that Vigie). */
  vigie: Pick<VigieClientOptions, "url" | "apiKey"> & Partial<VigieClientOptions>;
  /** When set, the admin API needs `Authorization: Bearer <adminToken>` [none]. */
  adminToken?: string;
  /** Prospect records kept in memory at most; the oldest are forgotten [10000]. */
  maxProspects?: number;
  /** Logger (pino-compatible) [none]. */
  logger?: FastifyBaseLogger;
  /** Clock [() => new Date()]. */
  now?: () => Date;
  /** Random numbers in [0, 1) deciding which requests a partial fault hits [Math.random]. */
  random?: () => number;
}

/** A running (or ready to run) demo bank. */
export interface DemoBank {
  app: FastifyInstance;
  prospects: ProspectStore;
  faults: FaultRegistry;
  sdk: VigieClient;
  /** Listens on host:port (0 = any free port) and resolves to the base URL. */
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting requests, then flushes the events still buffered. */
  close(): Promise<void>;
}

/** Builds the demo bank: a current-account subscription instrumented with @vigie/sdk. */
export async function createDemoBank(options: DemoBankOptions): Promise<DemoBank> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const logger = options.logger;
  const sdk = createVigieClient({
    source: DEMO_SOURCE,
    attributes: { channel: "web", appVersion: "demo-1.0" },
    onError: (problem) => logger?.warn({ sdk: problem.kind, detail: problem.message }, "vigie sdk"),
    ...options.vigie,
  });
  const prospects = createProspectStore({ max: options.maxProspects ?? 10_000, now });
  const faults = createFaultRegistry({ now, random });
  const app = Fastify({
    loggerInstance: logger,
    // simulated prospects make many requests: only problems are worth a log line
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    limits: { fileSize: 5 * 1024 * 1024, files: 2, fields: 10 },
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof InvalidFaultError) {
      return sendProblem(request, reply, 400, "invalid_fault", error.message, {
        errors: [{ field: error.field, reason: error.message }],
      });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendProblem(request, reply, status, "bad_request", (error as Error).message);
    }
    request.log.error({ err: error }, "demo bank request failed");
    return sendProblem(request, reply, 500, "INTERNAL_ERROR", "Unexpected error.");
  });

  // A bank that is down answers nothing useful and emits nothing: only probes and the missing
  // traffic can tell. Health and admin stay reachable, so the fault can be lifted.
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/health" || path.startsWith("/admin")) return;
    if (faults.effectOn(null).down) {
      return sendProblem(request, reply, 503, "BANK_DOWN", "La banque est momentanément indisponible.");
    }
  });

  const context: BankContext = {
    prospects,
    faults,
    now,
    journey: (record) =>
      sdk.run(DEMO_JOURNEY, record.id, {
        synthetic: record.synthetic,
        attributes: {
          ...(record.offer ? { product: record.offer.offre } : {}),
          ...(record.probe ? { probe: record.probe } : {}),
        },
      }),
    sleep: (ms) => sleep(ms),
  };
  await app.register(journeyRoutes, { context });
  await app.register(adminRoutes, { prospects, faults, adminToken: options.adminToken });

  let closed: Promise<void> | undefined;
  return {
    app,
    prospects,
    faults,
    sdk,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      return `http://${host === "0.0.0.0" ? "localhost" : host}:${address.port}`;
    },
    close() {
      closed ??= (async () => {
        await app.close();
        await sdk.shutdown({ timeoutMs: 3000 });
      })();
      return closed;
    },
  };
}
