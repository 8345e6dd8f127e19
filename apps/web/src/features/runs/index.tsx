import { IconListSearch } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";

/** Runs explorer and run detail. */
export const feature: Feature = {
  routes: [
    { path: "runs", lazy: async () => ({ Component: (await import("./components/RunsPage.tsx")).RunsPage }) },
    {
      path: "runs/:journey/:runId",
      lazy: async () => ({ Component: (await import("./components/RunPage.tsx")).RunPage }),
    },
  ],
  nav: [{ to: "/runs", labelKey: "runs.nav", icon: IconListSearch, order: 30 }],
};
