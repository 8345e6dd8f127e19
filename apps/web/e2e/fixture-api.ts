import {
  availabilityFixture,
  boardFixture,
  catalogueFixture,
  divergenceFixture,
  funnelFixture,
  incidentDetailFixture,
  incidentPageFixture,
  latencyFixture,
  runPageFixture,
  volumesFixture,
} from "../src/test/fixtures.ts";

/** Options of the fixture API; defaults in brackets. */
export interface FixtureApiOptions {
  /** Journeys on the board [3]. */
  journeys?: number;
}

/**
 * Answers API calls with contract-shaped fixtures (only for looking at pages and for the board's
 * render benchmark: the end-to-end tests use the real server and database).
 */
export function fixtureAnswer(url: URL, options: FixtureApiOptions = {}): unknown | undefined {
  const path = url.pathname;
  const q = url.searchParams;
  const from = new Date(q.get("from") ?? Date.now() - 7 * 86_400_000);
  const to = new Date(q.get("to") ?? Date.now());
  const journey = /^\/api\/v1\/journeys\/([^/]+)/.exec(path)?.[1] ?? "cco-subscription";
  if (path === "/api/v1/board") return boardFixture(options.journeys ?? 3, new Date().toISOString());
  if (path === "/api/v1/journeys") return catalogueFixture(Math.min(options.journeys ?? 3, 3));
  if (path.endsWith("/availability"))
    return availabilityFixture(journey, from, to, q.get("bucket") === "day" ? "day" : "hour");
  if (path.endsWith("/funnel")) return funnelFixture(journey, from, to);
  if (path.endsWith("/volumes")) return volumesFixture(journey, from, to);
  if (path.endsWith("/latency"))
    return latencyFixture(journey, from, to, q.get("origin") === "synthetic" ? "synthetic" : "real");
  if (path.endsWith("/divergence")) return divergenceFixture(journey);
  if (path === "/api/v1/incidents")
    return incidentPageFixture(37, Number(q.get("page") ?? 1), Number(q.get("pageSize") ?? 25));
  if (/^\/api\/v1\/incidents\/\d+$/.test(path))
    return incidentDetailFixture(Number(path.split("/").pop()), true);
  if (path === "/api/v1/runs")
    return runPageFixture(
      1234,
      Number(q.get("page") ?? 1),
      Number(q.get("pageSize") ?? 25),
      q.get("outcome") ?? undefined,
    );
  return undefined;
}
