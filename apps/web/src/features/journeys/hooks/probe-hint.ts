import type { TimeAvailability } from "@vigie/contracts";
import { formatDuration, type Language } from "../../../lib/format.ts";

/**
 * The hint under the probes' availability: down time over the period and, when the probes did not
 * cover it all (they started during it, or fell silent), how long they actually measured.
 */
export function probeHint(
  time: TimeAvailability,
  t: (key: string, values?: Record<string, unknown>) => string,
  language: Language,
): string {
  const down =
    time.downSeconds === 0
      ? t("journey.figures.neverDown")
      : t("journey.figures.downFor", { duration: formatDuration(time.downSeconds * 1000, language) });
  const measured = time.upSeconds + time.downSeconds;
  if (time.unknownSeconds <= 0.01 * (measured + time.unknownSeconds)) return down;
  return `${down} · ${t("journey.figures.measuredFor", { duration: formatDuration(measured * 1000, language) })}`;
}
