import { z } from "zod";
import { parseDuration } from "../../duration.js";

/**
 * Alert rules, as declared under `alerting.rules` in the configuration file and as accepted by
 * `POST/PUT /api/v1/alert-rules`. One schema for both, so a rule copied from the API into the file
 * (or back) means the same thing.
 */

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")
  .max(100);

/** A duration written `30s`, `15m`, `24h` or `7d` (or milliseconds), read as milliseconds. */
export const durationMs = z.union([z.number().int().min(0), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 30s, 15m, 24h or 7d" });
    return z.NEVER;
  }
  return ms;
});

const common = {
  key,
  /** Journey the rule watches (every rule but ingestion-stalled). */
  journey: key.optional(),
  /** Audiences told when it fires and resolves [support]. */
  audiences: z.array(key).default(["support"]),
  /** Second audience told when nobody acknowledged after `after` [none]. */
  escalation: z.strictObject({ after: durationMs, audiences: z.array(key).min(1) }).optional(),
  /** Open condition must hold this long before firing [0]. */
  pendingFor: durationMs.default(0),
  /** Close condition must hold this long before resolving [1m]. */
  keepFiringFor: durationMs.default(60_000),
  /** Firing and unacknowledged: told again this often [4h]. */
  repeatInterval: durationMs.default(4 * 3_600_000),
  enabled: z.boolean().default(true),
};

const probeDown = z.strictObject({
  ...common,
  kind: z.literal("probe-down"),
  /** Down after this many consecutive failed probe runs [journey's probes.downAfter, else 3]. */
  failuresToOpen: z.number().int().min(1).optional(),
  /** Up after this many consecutive successful runs [journey's probes.upAfter, else 2]. */
  successesToClose: z.number().int().min(1).optional(),
  /** Also down when this many locations failed their latest run in the same cycle [off]. */
  locationsFailing: z.number().int().min(1).optional(),
  /** Length of one probe cycle, for `locationsFailing` [5m]. */
  cycle: durationMs.default(5 * 60_000),
  severity: z.enum(["page", "ticket"]).default("page"),
});

const errorRate = z.strictObject({
  ...common,
  kind: z.literal("error-rate"),
  step: key.optional(),
  /** Opens when technical errors / step outcomes reaches this [0.2]. */
  openAbove: z.number().gt(0).lte(1).default(0.2),
  /** Closes when it falls below this [half of openAbove]. */
  closeBelow: z.number().gte(0).lte(1).optional(),
  window: durationMs.default(5 * 60_000),
  /** No verdict with fewer distinct runs in the window (1 failure out of 2 is not an outage) [10]. */
  minRuns: z.number().int().min(1).default(10),
  severity: z.enum(["page", "ticket"]).default("page"),
});

const latency = z.strictObject({
  ...common,
  kind: z.literal("latency"),
  step: key,
  /** Opens when the p95 of the step's successful calls exceeds this [the step's objective]. */
  p95AboveMs: z.number().int().positive().optional(),
  /** Closes when the p95 falls to this or below [90 % of p95AboveMs]. */
  closeBelowMs: z.number().int().positive().optional(),
  window: durationMs.default(10 * 60_000),
  minSamples: z.number().int().min(1).default(20),
  severity: z.enum(["page", "ticket"]).default("ticket"),
});

const burnRate = z.strictObject({
  ...common,
  kind: z.literal("burn-rate"),
  /** Availability objective [the journey's objectives.availability]. */
  objective: z.number().gt(0).lt(1).optional(),
  /** SLO period the budget is spent over [30d]. */
  period: durationMs.default(30 * 86_400_000),
  /** page: 1 h/5 min and 6 h/30 min pairs; ticket: 3 d/6 h pair. */
  severity: z.enum(["page", "ticket"]).default("page"),
  /** Fewer step outcomes than this in a short window is no evidence [10]. */
  minAttempts: z.number().int().min(1).default(10),
});

const underExposure = z.strictObject({
  ...common,
  kind: z.literal("under-exposure"),
  measure: z.enum(["starts", "completions"]).default("starts"),
  /** Both windows must be far below their baselines [1h and 3h]. */
  windows: z
    .array(durationMs)
    .min(1)
    .default([3_600_000, 3 * 3_600_000]),
  /** Past weeks compared, same weekday and hour [4]. */
  weeks: z.number().int().min(1).max(26).default(4),
  ratio: z.number().gt(0).lt(1).default(0.5),
  maxPValue: z.number().gt(0).lt(1).default(0.001),
  minExpected: z.number().positive().default(10),
  severity: z.enum(["page", "ticket"]).default("ticket"),
});

const ingestionStalled = z.strictObject({
  ...common,
  kind: z.literal("ingestion-stalled"),
  /** No event at all, from any source, for this long [10m]. */
  silentFor: durationMs.default(10 * 60_000),
  severity: z.enum(["page", "ticket"]).default("page"),
});

/** Any alert rule, told apart by `kind`. */
export const ruleSchema = z.discriminatedUnion("kind", [
  probeDown,
  errorRate,
  latency,
  burnRate,
  underExposure,
  ingestionStalled,
]);

export type RuleDefinition = z.infer<typeof ruleSchema>;
export type RuleKind = RuleDefinition["kind"];
export type RuleOf<K extends RuleKind> = Extract<RuleDefinition, { kind: K }>;

/** Noise control shared by every rule, under `alerting`. */
export const alertingSchema = z
  .strictObject({
    /** Evaluate rules and deliver notifications in this process [true]. */
    enabled: z.boolean().default(true),
    /** Connections of alerting's own pool, apart from ingestion's (0: share the app's pool) [3]. */
    poolSize: z.number().int().min(0).max(20).default(3),
    /** The periodic pass that catches time passing and silent sources [15s]. */
    evaluationInterval: durationMs.default(15_000),
    /** Base URL of Vigie in links sent to audiences [none: links are relative paths]. */
    publicUrl: z.string().url().optional(),
    /** Timezone of times in messages and of under-exposure baselines [Europe/Paris]. */
    timeZone: z.string().default("Europe/Paris"),
    /** Declared holidays (YYYY-MM-DD, local), left out of under-exposure baselines. */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")).default([]),
    /** State changes per hour that make an alert "flapping" [4]. */
    flapThreshold: z.number().int().min(2).default(4),
    flapWindow: durationMs.default(3_600_000),
    /** Add, for every journey, probe-down, error-rate and starts under-exposure rules [true]. */
    defaultRules: z.boolean().default(true),
    rules: z.array(ruleSchema).default([]),
    delivery: z
      .strictObject({
        /** Attempts before a notification is given up and its channel reported [8]. */
        maxAttempts: z.number().int().min(1).default(8),
        /** First retry delay, doubled each time up to maxBackoff [1s, 5m]. */
        initialBackoff: durationMs.default(1000),
        maxBackoff: durationMs.default(5 * 60_000),
        /** One HTTP call or SMTP session at most [10s]. */
        timeout: durationMs.default(10_000),
        /** Polling for due retries and other instances' notifications [1s]. */
        pollInterval: durationMs.default(1000),
        /** Consecutive given-up notifications that mark a channel dead [1]. */
        deadAfter: z.number().int().min(1).default(1),
        /** Webhook targets on the internal network allowed (addresses or CIDR ranges) [none]. */
        allowAddresses: z.array(z.string()).default([]),
      })
      .prefault({}),
    smtp: z
      .strictObject({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(1).max(65535).default(25),
        /** TLS from the start (port 465); otherwise STARTTLS when offered. */
        secure: z.boolean().default(false),
        user: z.string().optional(),
        password: z.string().optional(),
        from: z.string().default("Vigie <vigie@localhost>"),
      })
      .prefault({}),
  })
  .superRefine((alerting, ctx) => {
    const seen = new Set<string>();
    alerting.rules.forEach((rule, index) => {
      if (seen.has(rule.key)) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", index, "key"],
          message: `duplicate rule "${rule.key}"`,
        });
      }
      seen.add(rule.key);
      if (rule.kind !== "ingestion-stalled" && !rule.journey) {
        ctx.addIssue({ code: "custom", path: ["rules", index, "journey"], message: "a journey is required" });
      }
    });
  });

export type AlertingConfig = z.infer<typeof alertingSchema>;

/** The alerting settings with the SMTP password hidden (for `vigie config`). */
export function maskedAlerting(alerting: AlertingConfig): AlertingConfig {
  return {
    ...alerting,
    smtp: { ...alerting.smtp, ...(alerting.smtp.password ? { password: "********" } : {}) },
  };
}
