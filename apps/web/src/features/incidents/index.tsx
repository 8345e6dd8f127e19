import { IconAlertTriangle } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";

/** Incidents: list and detail. */
export const feature: Feature = {
  routes: [
    {
      path: "incidents",
      lazy: async () => ({ Component: (await import("./components/IncidentsPage.tsx")).IncidentsPage }),
    },
    {
      path: "incidents/:id",
      lazy: async () => ({ Component: (await import("./components/IncidentPage.tsx")).IncidentPage }),
    },
  ],
  nav: [{ to: "/incidents", labelKey: "incidents.nav", icon: IconAlertTriangle, order: 20 }],
};
