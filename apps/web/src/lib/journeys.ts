import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiGet } from "./api.ts";
import type { Language } from "./format.ts";
import { usePreferences } from "./preferences.tsx";

/** A declared journey as `GET /api/v1/journeys` describes it. */
export interface DeclaredJourney {
  key: string;
  name: { fr: string; en: string };
  steps: { key: string; name: { fr: string; en: string }; latencyObjectiveMs?: number }[];
  objectives: { availability: number; latencyP95Ms: number };
  conversionWindowMs: number;
}

/** The journeys declared in the configuration (they change only on restart: cached for long). */
export function useJourneyCatalogue() {
  return useQuery({
    queryKey: ["journeys", "catalogue"],
    queryFn: ({ signal }) => apiGet<{ items: DeclaredJourney[] }>("/api/v1/journeys", undefined, signal),
    staleTime: 5 * 60_000,
    select: (answer) => answer.items,
  });
}

/** Localised names of journeys and steps, falling back to the key while the catalogue loads. */
export function useJourneyNames() {
  const { language } = usePreferences();
  const catalogue = useJourneyCatalogue();
  const journeys = catalogue.data;
  const journeyName = useCallback(
    (key: string) => journeys?.find((journey) => journey.key === key)?.name[language] ?? key,
    [journeys, language],
  );
  const stepName = useCallback(
    (journey: string, step: string | null | undefined) => {
      if (!step) return "";
      const found = journeys?.find((j) => j.key === journey)?.steps.find((s) => s.key === step);
      return found?.name[language] ?? step;
    },
    [journeys, language],
  );
  return { journeys, journeyName, stepName, isPending: catalogue.isPending };
}

/** The name of something named in both languages. */
export function localName(name: { fr: string; en: string }, language: Language): string {
  return name[language];
}
