import type { Kysely } from "kysely";
import type { JourneyConfig } from "../../config.js";
import type { Database } from "../../db/schema.js";
import { NotFoundError } from "../../errors.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import type { AnalyticsRepository } from "./repository.js";

/** What every analytics read needs. */
export interface AnalyticsContext {
  db: Kysely<Database>;
  repository: AnalyticsRepository;
  journeys: JourneyCatalogue;
  /** Configured timezone (default of every answer, and of the daily rollups). */
  timezone: string;
  now: () => number;
  /** Recent window of real traffic for the board and divergence. */
  recentWindowMs: number;
  /** Past weeks compared for volumes. */
  volumeWeeks: number;
}

/** The declared journey, or a 404 problem. */
export function journeyOrThrow(ctx: AnalyticsContext, key: string): JourneyConfig {
  const journey = ctx.journeys.get(key);
  if (!journey) throw new NotFoundError(`No journey "${key}" is declared.`);
  return journey;
}
