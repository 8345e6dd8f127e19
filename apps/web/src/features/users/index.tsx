import { IconShieldLock } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";

/** Administration: users, API keys, audit log (admins only; others see the API's refusal). */
export const feature: Feature = {
  routes: [
    {
      path: "admin/users",
      lazy: async () => ({ Component: (await import("./components/UsersPage.tsx")).UsersPage }),
    },
    {
      path: "admin/keys",
      lazy: async () => ({ Component: (await import("./components/KeysPage.tsx")).KeysPage }),
    },
    {
      path: "admin/audit",
      lazy: async () => ({ Component: (await import("./components/AuditPage.tsx")).AuditPage }),
    },
  ],
  nav: [{ to: "/admin/users", labelKey: "admin.nav", icon: IconShieldLock, order: 90 }],
};
