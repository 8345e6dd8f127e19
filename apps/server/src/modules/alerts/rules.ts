import { z } from "zod";
import type { JourneyConfig } from "../../config.js";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.js";
import type { AudienceCatalogue } from "../audiences/catalogue.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { burnRateWarnings } from "./burn-rate.js";
import { configuredRules } from "./default-rules.js";
import type { AlertsRepository } from "./repository.js";
import { type AlertingConfig, type RuleDefinition, ruleSchema } from "./rule-schema.js";

/** A rule as the API shows it: its definition, where it comes from, and warnings about it. */
export interface RuleView {
  rule: RuleDefinition;
  origin: "config" | "api";
  updatedAt: Date;
  updatedBy: string | null;
  warnings: string[];
}

/** Problems with a rule that its schema cannot see (unknown journey, step or audience). */
export function ruleProblems(
  rule: RuleDefinition,
  journeys: JourneyCatalogue,
  audiences: AudienceCatalogue,
): string[] {
  const problems: string[] = [];
  if (rule.kind !== "ingestion-stalled" && !rule.journey) problems.push("journey: a journey is required");
  if (rule.journey && !journeys.get(rule.journey))
    problems.push(`journey: no journey "${rule.journey}" is declared`);
  const step = "step" in rule ? rule.step : undefined;
  if (step && rule.journey && !journeys.hasStep(rule.journey, step)) {
    problems.push(`step: "${step}" is not a step of journey "${rule.journey}"`);
  }
  for (const key of [...rule.audiences, ...(rule.escalation?.audiences ?? [])]) {
    if (!audiences.get(key) && key !== "support")
      problems.push(`audiences: no audience "${key}" is declared`);
  }
  return problems;
}

/** Warnings about a valid rule: a burn-rate page its objective makes impossible. */
export function ruleWarnings(rule: RuleDefinition, journey: JourneyConfig | undefined): string[] {
  if (rule.kind !== "burn-rate") return [];
  const objective = rule.objective ?? journey?.objectives.availability ?? 0.995;
  return burnRateWarnings(objective, rule.period);
}

/**
 * Alert rules: those of the configuration file (seeded at start) and those created or edited
 * through the API, cached in memory and reloaded at every periodic pass (other instances' edits).
 */
export function createRulesService(deps: {
  repository: AlertsRepository;
  journeys: JourneyCatalogue;
  audiences: AudienceCatalogue;
  alerting: AlertingConfig;
}) {
  let rules: RuleDefinition[] = [];
  let views: RuleView[] = [];

  function parse(input: unknown): RuleDefinition {
    const result = ruleSchema.safeParse(input);
    if (!result.success) {
      throw new ValidationError(
        "The rule is not valid.",
        result.error.issues.map((issue, index) => ({
          index,
          field: issue.path.join("."),
          reason: issue.message,
        })),
      );
    }
    const problems = ruleProblems(result.data, deps.journeys, deps.audiences);
    if (problems.length) {
      throw new ValidationError(
        `The rule is not valid: ${problems.join("; ")}.`,
        problems.map((p, index) => ({ index, field: p.split(":")[0]!, reason: p })),
      );
    }
    return result.data;
  }

  async function reload(): Promise<void> {
    const rows = await deps.repository.listRules();
    const next: RuleView[] = [];
    for (const row of rows) {
      const parsed = ruleSchema.safeParse(row.definition);
      if (!parsed.success) continue; // a definition from an older version that no longer parses
      const rule = parsed.data;
      next.push({
        rule,
        origin: row.origin,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
        warnings: ruleWarnings(rule, rule.journey ? deps.journeys.get(rule.journey) : undefined),
      });
    }
    views = next;
    rules = next.map((v) => v.rule);
  }

  return {
    /** Writes the file's rules to the database, then loads every rule. Fails on an invalid file rule. */
    async seed(): Promise<void> {
      const fromFile = configuredRules(deps.alerting, deps.journeys.list());
      const problems = fromFile.flatMap((rule) =>
        ruleProblems(rule, deps.journeys, deps.audiences).map((p) => `alerting.rules ${rule.key}: ${p}`),
      );
      if (problems.length) throw new Error(`Invalid alert rules:\n  - ${problems.join("\n  - ")}`);
      await deps.repository.seedRules(fromFile);
      await reload();
    },
    reload,
    /** Rules in force (enabled or not). */
    all: (): RuleDefinition[] => rules,
    views: (): RuleView[] => views,
    get(key: string): RuleView {
      const view = views.find((v) => v.rule.key === key);
      if (!view) throw new NotFoundError(`No alert rule "${key}".`);
      return view;
    },
    /** Creates a rule; refuses a key already in use. */
    async create(input: unknown, by: string | null): Promise<RuleView> {
      const rule = parse(input);
      if (views.some((v) => v.rule.key === rule.key))
        throw new ConflictError("alert_rule_exists", `Alert rule "${rule.key}" already exists.`);
      await deps.repository.saveRule(rule, by);
      await reload();
      return this.get(rule.key);
    },
    /** Replaces a rule (its key comes from the path). */
    async replace(key: string, input: unknown, by: string | null): Promise<RuleView> {
      this.get(key);
      const rule = parse({ ...(z.record(z.string(), z.unknown()).safeParse(input).data ?? {}), key });
      await deps.repository.saveRule(rule, by);
      await reload();
      return this.get(key);
    },
    async remove(key: string, by: string | null): Promise<void> {
      if (!(await deps.repository.deleteRule(key, by))) throw new NotFoundError(`No alert rule "${key}".`);
      await reload();
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
