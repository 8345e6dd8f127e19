import type { BoardJourney, JourneyState } from "@vigie/contracts";

/** Board order: worst state first, so that what needs attention is at the top-left of the wall. */
export const STATE_ORDER: JourneyState[] = ["down", "degraded", "under_exposed", "up", "no_data"];

/** Journeys sorted worst state first, then by name in the reader's language. */
export function sortForBoard(journeys: BoardJourney[], language: "fr" | "en"): BoardJourney[] {
  // one collator for the whole sort: `localeCompare(…, language)` builds one per comparison
  const collator = new Intl.Collator(language);
  return [...journeys].sort(
    (a, b) =>
      STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
      collator.compare(a.name[language], b.name[language]),
  );
}

/** How many journeys are in each state. */
export function countByState(journeys: BoardJourney[]): Record<JourneyState, number> {
  const counts = { down: 0, degraded: 0, under_exposed: 0, up: 0, no_data: 0 } as Record<
    JourneyState,
    number
  >;
  for (const journey of journeys) counts[journey.state] += 1;
  return counts;
}

/** Journeys whose name or key contains the search text (accents and case ignored). */
export function filterJourneys(journeys: BoardJourney[], search: string, state: JourneyState | null) {
  const fold = (text: string) =>
    text
      .normalize("NFD")
      .replace(/\p{Diacritic}/gu, "")
      .toLowerCase();
  const needle = fold(search.trim());
  return journeys.filter(
    (journey) =>
      (!state || journey.state === state) &&
      (!needle ||
        [journey.key, journey.name.fr, journey.name.en].some((text) => fold(text).includes(needle))),
  );
}

/** The step state shown in a tile's strip: the probe's when it judged, else real traffic's. */
export function stepState(step: BoardJourney["steps"][number]): "up" | "down" | "degraded" | "no_data" {
  if (step.probe === "down") return "down";
  const ratio = step.traffic.ratio;
  if (ratio !== null && step.traffic.bad > 0 && ratio < 0.9) return "down";
  if (ratio !== null && step.traffic.bad > 0 && ratio < 0.99) return "degraded";
  if (step.probe === "up" || ratio !== null) return "up";
  return "no_data";
}
