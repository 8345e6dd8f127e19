import type { Feature } from "../../app/feature.ts";
import { startSession } from "./session-bootstrap.ts";

startSession();

/** Sign-in page (outside the frame); the session check and the 401 → sign-in redirect. */
export const feature: Feature = {
  routes: [],
  bareRoutes: [
    {
      path: "sign-in",
      lazy: async () => ({ Component: (await import("./components/SignInPage.tsx")).SignInPage }),
    },
  ],
};
