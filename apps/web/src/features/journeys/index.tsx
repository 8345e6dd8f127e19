import type { Feature } from "../../app/feature.ts";

/** A journey's page: charts and tables over a chosen period (loaded on demand: ECharts lives here). */
export const feature: Feature = {
  routes: [
    {
      path: "journeys/:key",
      lazy: async () => ({ Component: (await import("./components/JourneyPage.tsx")).JourneyPage }),
    },
  ],
};
