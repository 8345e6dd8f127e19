import { createBrowserRouter, type RouteObject } from "react-router";
import { FEATURES } from "./features.ts";
import { Layout } from "./Layout.tsx";
import { NotFoundPage, RouteErrorPage } from "./pages.tsx";

/** Every route: each feature's pages inside the frame, bare pages (sign-in) outside it. */
export function appRoutes(): RouteObject[] {
  return [
    ...FEATURES.flatMap((feature) => feature.bareRoutes ?? []),
    {
      element: <Layout />,
      errorElement: <RouteErrorPage />,
      children: [...FEATURES.flatMap((feature) => feature.routes), { path: "*", element: <NotFoundPage /> }],
    },
  ];
}

/** The browser router of the app. */
export function createAppRouter() {
  return createBrowserRouter(appRoutes());
}
