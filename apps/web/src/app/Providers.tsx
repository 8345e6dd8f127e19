import { MantineProvider } from "@mantine/core";
import { DatesProvider } from "@mantine/dates";
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { i18n as I18n } from "i18next";
import { type ReactNode, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { LiveProvider } from "../lib/live.tsx";
import { PreferencesProvider, usePreferences } from "../lib/preferences.tsx";
import { createQueryClient } from "../lib/query-client.ts";
import { cssVariablesResolver, theme } from "./theme.ts";
import "dayjs/locale/fr";
import "dayjs/locale/en-gb";

function Dates({ children }: { children: ReactNode }) {
  const { language } = usePreferences();
  return (
    <DatesProvider settings={{ locale: language === "fr" ? "fr" : "en-gb", firstDayOfWeek: 1 }}>
      {children}
    </DatesProvider>
  );
}

function WithPreferences({ children, timeZone }: { children: ReactNode; timeZone?: string }) {
  useTranslation();
  return (
    <PreferencesProvider timeZone={timeZone}>
      <Dates>{children}</Dates>
    </PreferencesProvider>
  );
}

/** Everything a page needs around it; tests use it too, with their own i18n, client and no live stream. */
export function Providers({
  children,
  i18n,
  queryClient,
  live = true,
  timeZone,
}: {
  children: ReactNode;
  i18n: I18n;
  queryClient?: QueryClient;
  live?: boolean;
  timeZone?: string;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const inner = (
    <WithPreferences timeZone={timeZone}>
      {live ? <LiveProvider>{children}</LiveProvider> : children}
    </WithPreferences>
  );
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
          {inner}
        </MantineProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
