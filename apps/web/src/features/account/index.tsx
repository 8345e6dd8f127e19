import { IconUserCircle } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";

/** "My account": password, TOTP, sign-out. */
export const feature: Feature = {
  routes: [
    {
      path: "account",
      lazy: async () => ({ Component: (await import("./components/AccountPage.tsx")).AccountPage }),
    },
  ],
  nav: [{ to: "/account", labelKey: "account.nav", icon: IconUserCircle, order: 95 }],
};
