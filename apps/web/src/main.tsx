import "@mantine/core/styles.css";
import "./app/global.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { Providers } from "./app/Providers.tsx";
import { createAppRouter } from "./app/router.tsx";
import { createI18n, missingKeys } from "./lib/i18n.ts";
import { appQueryClient } from "./lib/query-client.ts";

const i18n = createI18n();
// Read by the end-to-end tests: a key asked for but missing in the current language.
(window as unknown as { __vigieMissingKeys: string[] }).__vigieMissingKeys = missingKeys;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Providers i18n={i18n} queryClient={appQueryClient()}>
      <RouterProvider router={createAppRouter()} />
    </Providers>
  </StrictMode>,
);
