/**
 * Inhibition: while a broader alert fires, narrower ones it explains are held (evaluated, not
 * notified), so that one outage makes one message.
 * - a journey down (probe-down) holds its error-rate, burn-rate, latency and under-exposure alerts;
 * - a page burn-rate alert holds the ticket burn-rate alert of the same journey;
 * - "ingestion stalled" holds every under-exposure alert (fewer events is not fewer prospects).
 */

/** The parts of an alert that inhibition looks at. */
export interface AlertIdentity {
  ruleKey: string;
  kind: string;
  severity: string;
  journey: string | null;
}

/** Which firing alert, if any, inhibits `target`; returns a reason such as `inhibited by cco.probe-down`. */
export function inhibitedBy(target: AlertIdentity, firing: AlertIdentity[]): string | null {
  for (const source of firing) {
    if (source.ruleKey === target.ruleKey) continue;
    const sameJourney = source.journey !== null && source.journey === target.journey;
    if (
      source.kind === "probe-down" &&
      sameJourney &&
      ["error-rate", "burn-rate", "latency", "under-exposure"].includes(target.kind)
    ) {
      return `inhibited by ${source.ruleKey}`;
    }
    if (
      source.kind === "burn-rate" &&
      target.kind === "burn-rate" &&
      sameJourney &&
      source.severity === "page" &&
      target.severity === "ticket"
    ) {
      return `inhibited by ${source.ruleKey}`;
    }
    if (source.kind === "ingestion-stalled" && target.kind === "under-exposure") {
      return `inhibited by ${source.ruleKey}`;
    }
  }
  return null;
}
