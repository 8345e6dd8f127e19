import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { usePreferences } from "../../../lib/preferences.tsx";
import type { ChartContext } from "./chart-options.ts";

/** Language, timezone and translator for the chart builders. */
export function useChartContext(): ChartContext {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  return useMemo(
    () => ({
      language,
      timeZone,
      t: (key: string, values?: Record<string, unknown>) => t(key, values ?? {}),
    }),
    [language, timeZone, t],
  );
}
