import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { replayProbeState } from "../availability/probe-state.js";
import { detectIncidents } from "../incidents/detect.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { abandonIdleRuns } from "../runs/abandon.js";

/** What the periodic analytics pass needs; defaults in brackets. */
export interface AnalyticsPassDeps {
  db: Kysely<Database>;
  journeys: JourneyCatalogue;
  timezone: string;
  incidentMergeGapMs: number;
  /** Clock [Date.now]. */
  now?: () => number;
  /**
   * Told which journeys a pass changed (runs abandoned, probe state replayed, incidents opened,
   * changed or closed), so that live pages refresh them [nobody].
   */
  onChange?: (journeys: string[]) => void;
}

/**
 * The time-driven part of analytics: abandons idle runs, replays probe state where judgements
 * changed, then opens/updates/closes incidents. Idempotent; safe to run from several instances.
 */
export function createAnalyticsPass(deps: AnalyticsPassDeps) {
  const clock = deps.now ?? (() => Date.now());
  return {
    /** One pass at `now` [the clock]; incidents are recomputed from `since` [24 h before now]. */
    async run(options: { now?: number; since?: number } = {}) {
      const now = options.now ?? clock();
      const touched = new Set<string>();
      const abandoned = await abandonIdleRuns(deps.db, deps.journeys, deps.timezone, now, touched);
      const replayed = await replayProbeState(deps.db, deps.journeys, touched);
      for (const journey of deps.journeys.list()) {
        const changed = await detectIncidents(deps.db, journey, {
          now,
          since: options.since,
          mergeGapMs: deps.incidentMergeGapMs,
        });
        if (changed) touched.add(journey.key);
      }
      if (touched.size > 0) deps.onChange?.([...touched]);
      return { abandoned, replayed, changed: [...touched] };
    },
  };
}

export type AnalyticsPass = ReturnType<typeof createAnalyticsPass>;
