import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one Vigie instance (own registry, so several apps can live in one process). */
export function createMetrics(pool: pg.Pool) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vigie_" });
  const events = new Counter({
    name: "vigie_ingest_events_total",
    help: "Events received by POST /api/v1/events, by result (accepted, duplicate, rejected)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "vigie_http_request_duration_seconds",
    help: "HTTP request duration by route and status code",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "vigie_db_pool_connections",
    help: "PostgreSQL pool connections by state",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });
  return {
    registry,
    recordIngest(result: { accepted: number; duplicates: number; rejected: number }) {
      if (result.accepted) events.inc({ result: "accepted" }, result.accepted);
      if (result.duplicates) events.inc({ result: "duplicate" }, result.duplicates);
      if (result.rejected) events.inc({ result: "rejected" }, result.rejected);
    },
    observeRequest(method: string, route: string, status: number, seconds: number) {
      requestDuration.observe({ method, route, status: String(status) }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
