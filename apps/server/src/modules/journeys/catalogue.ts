import type { JourneyConfig } from "../../config.js";

/** The declared journeys, looked up by key. */
export interface JourneyCatalogue {
  list(): JourneyConfig[];
  get(key: string): JourneyConfig | undefined;
  /** Whether `step` is one of the journey's steps. */
  hasStep(journey: string, step: string): boolean;
}

/** Builds the catalogue of journeys declared in the configuration. */
export function createJourneyCatalogue(journeys: JourneyConfig[]): JourneyCatalogue {
  const byKey = new Map(journeys.map((journey) => [journey.key, journey]));
  const steps = new Map(journeys.map((journey) => [journey.key, new Set(journey.steps.map((s) => s.key))]));
  return {
    list: () => journeys,
    get: (key) => byKey.get(key),
    hasStep: (journey, step) => steps.get(journey)?.has(step) ?? false,
  };
}
