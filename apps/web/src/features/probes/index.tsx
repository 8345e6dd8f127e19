import { IconRobot } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";

/** Probes: list, detail with runs, run detail. */
export const feature: Feature = {
  routes: [
    {
      path: "probes",
      lazy: async () => ({ Component: (await import("./components/ProbesPage.tsx")).ProbesPage }),
    },
    {
      path: "probes/runs/:runId",
      lazy: async () => ({ Component: (await import("./components/ProbeRunPage.tsx")).ProbeRunPage }),
    },
    {
      path: "probes/:name",
      lazy: async () => ({ Component: (await import("./components/ProbePage.tsx")).ProbePage }),
    },
  ],
  nav: [{ to: "/probes", labelKey: "probes.nav", icon: IconRobot, order: 40 }],
};
