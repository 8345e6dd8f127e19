import { useCallback, useEffect, useMemo, useState } from "react";
import { usePreferences } from "./preferences.tsx";
import {
  previousPeriod,
  type RangePreset,
  rangeFromSearch,
  rangeToSearch,
  type TimeRange,
} from "./time-range.ts";
import { useAddressParams } from "./use-address-params.ts";

function nextMinute(): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
}

/** The end of the current minute; ranges ending "now" move once a minute, not at every render. */
export function useMinute(): Date {
  const [now, setNow] = useState(nextMinute);
  useEffect(() => {
    const timer = setInterval(() => {
      const next = nextMinute();
      setNow((current) => (current.getTime() === next.getTime() ? current : next));
    }, 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The page's time range and comparison switch, kept in the address (`range`, `from`, `to`, `compare`)
 * so that every chart and table of the page follows the same one and a link reproduces the view.
 */
export function useTimeRange(fallback: Exclude<RangePreset, "custom"> = "7d") {
  const [params, setParams] = useAddressParams();
  const { timeZone } = usePreferences();
  const now = useMinute();
  const range = useMemo(
    () => rangeFromSearch(params, now, timeZone, fallback),
    [params, now, timeZone, fallback],
  );
  const compare = params.get("compare") === "1";
  const previous = useMemo(
    () => (compare ? previousPeriod(range, timeZone) : null),
    [compare, range, timeZone],
  );
  const setRange = useCallback(
    (next: TimeRange) => setParams((current) => rangeToSearch(next, current)),
    [setParams],
  );
  const setCompare = useCallback(
    (on: boolean) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (on) next.set("compare", "1");
        else next.delete("compare");
        return next;
      }),
    [setParams],
  );
  return { range, setRange, compare, setCompare, previous, timeZone, now };
}
