import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { usePreferences } from "./preferences.tsx";
import { RANGE_PRESETS, type RangePreset, rangeFromSearch, type TimeRange } from "./time-range.ts";
import { useMinute } from "./use-time-range.ts";

/** A list's period filter from the address: none unless `range` is set (then as {@link rangeFromSearch}). */
export function useOptionalRange(): TimeRange | null {
  const [params] = useSearchParams();
  const { timeZone } = usePreferences();
  const now = useMinute();
  return useMemo(() => {
    const preset = params.get("range");
    if (!preset || !(RANGE_PRESETS as readonly string[]).includes(preset)) return null;
    return rangeFromSearch(params, now, timeZone);
  }, [params, now, timeZone]);
}

/** Options of a "period" filter: every preset, "custom" only while a custom range is shown. */
export function periodOptions(t: (key: string) => string, current: RangePreset | null) {
  return [
    { value: "", label: t("common.anyTime") },
    ...RANGE_PRESETS.filter((preset) => preset !== "custom" || current === "custom").map((preset) => ({
      value: preset,
      label: t(`timeRange.preset.${preset}`),
    })),
  ];
}
