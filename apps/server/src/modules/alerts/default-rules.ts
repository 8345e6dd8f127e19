import type { JourneyConfig } from "../../config.js";
import type { AlertingConfig } from "./rule-schema.js";
import { type RuleDefinition, ruleSchema } from "./rule-schema.js";

/**
 * The rules every journey gets unless `alerting.defaultRules` is false: journey down from probes,
 * real-traffic error rate, page burn rate and fewer starts than usual — plus one "ingestion
 * stalled" rule. A rule declared with the same key in the file replaces the default one.
 */
export function defaultRules(journeys: JourneyConfig[]): RuleDefinition[] {
  const raw: unknown[] = [{ key: "ingestion-stalled", kind: "ingestion-stalled" }];
  for (const journey of journeys) {
    raw.push(
      { key: `${journey.key}.probe-down`, kind: "probe-down", journey: journey.key },
      { key: `${journey.key}.error-rate`, kind: "error-rate", journey: journey.key },
      { key: `${journey.key}.burn-rate`, kind: "burn-rate", journey: journey.key },
      { key: `${journey.key}.under-exposure`, kind: "under-exposure", journey: journey.key },
    );
  }
  return raw.map((rule) => ruleSchema.parse(rule));
}

/** The rules the configuration file declares, defaults included. */
export function configuredRules(alerting: AlertingConfig, journeys: JourneyConfig[]): RuleDefinition[] {
  const declared = new Map(alerting.rules.map((rule) => [rule.key, rule]));
  const all = alerting.defaultRules ? defaultRules(journeys).filter((rule) => !declared.has(rule.key)) : [];
  return [...all, ...alerting.rules];
}
