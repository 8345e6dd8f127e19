import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isTimeZone } from "@vigie/zoned-time";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { alertingSchema } from "./modules/alerts/rule-schema.js";
import { audiencesSchema } from "./modules/audiences/schema.js";
import { demoConfigSchema } from "./modules/demo/config-schema.js";
import { probeSecretsFromEnv, probesConfigSchema } from "./modules/probes/config-schema.js";

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")
  .max(100);
const localized = z.strictObject({ fr: z.string().min(1), en: z.string().min(1) });
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 30s, 15m, 24h or 7d" });
    return z.NEVER;
  }
  return ms;
});

const stepSchema = z.strictObject({
  key,
  name: localized,
  /** p95 latency objective of this step in milliseconds; none by default. */
  latencyObjectiveMs: z.number().int().positive().optional(),
});

const journeySchema = z
  .strictObject({
    key,
    name: localized,
    steps: z.array(stepSchema).min(1),
    objectives: z
      .strictObject({
        /** Target availability as a fraction, e.g. 0.995. */
        availability: z.number().gt(0).lt(1).default(0.995),
        /** p95 latency objective of the whole journey step calls, in milliseconds. */
        latencyP95Ms: z.number().int().positive().default(2000),
      })
      .prefault({}),
    /** A run with no activity for this long is abandoned. */
    conversionWindow: duration.default(86_400_000),
    /** Confirmed probe state: down after `downAfter` consecutive failed probe runs, up after `upAfter` successes. */
    probes: z
      .strictObject({
        downAfter: z.number().int().min(1).default(3),
        upAfter: z.number().int().min(1).default(2),
        /** Without a judged probe run for this long the probe state is unknown. */
        staleAfter: duration.default(15 * 60_000),
      })
      .prefault({}),
    /**
     * Real-traffic incident signal: a minute with errors at a step whose error share reaches
     * `threshold` over at least `minAttempts` step outcomes — that minute's own, or, when traffic is
     * thin, the fewest minutes before it that hold them, up to `window` back.
     */
    errorRate: z
      .strictObject({
        threshold: z.number().gt(0).lte(1).default(0.5),
        minAttempts: z.number().int().min(1).default(5),
        window: duration.default(15 * 60_000),
      })
      .prefault({}),
    /** Business hours in the configured timezone (days 1 = Monday … 7 = Sunday); none by default. */
    businessHours: z
      .strictObject({
        days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
        from: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
          .default("08:00"),
        to: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM")
          .default("20:00"),
        /** Time-based availability counts only business hours when true. */
        availabilityOnly: z.boolean().default(false),
      })
      .optional(),
    /** Planned maintenance windows, excluded from time-based availability. */
    maintenance: z
      .array(
        z.strictObject({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }),
      )
      .default([]),
  })
  .superRefine((journey, ctx) => {
    const seen = new Set<string>();
    journey.steps.forEach((step, index) => {
      if (seen.has(step.key)) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", index, "key"],
          message: `duplicate step "${step.key}"`,
        });
      }
      seen.add(step.key);
    });
  });

const ingestKeySchema = z.strictObject({
  name: z.string().min(1),
  /** The bearer token itself (at least 16 characters). */
  key: z.string().min(16, "an ingest key needs at least 16 characters"),
});

const roleSchema = z.enum(["admin", "operator", "viewer", "sales"]);

/** Single sign-on settings (also editable by admins, see modules/auth/sso-settings.ts). */
export const oidcSchema = z.strictObject({
  /** Issuer URL of the OpenID provider (its discovery document is read at start). */
  issuer: z.string().url(),
  clientId: z.string().min(1),
  /** Client secret; absent for a public client (PKCE only). */
  clientSecret: z.string().min(1).optional(),
  /** The callback URL registered at the provider: `<public URL>/api/v1/auth/oidc/callback`. */
  redirectUri: z.string().url(),
  scopes: z.string().default("openid profile email"),
  /** Claim holding the user's groups or roles (a string or an array of strings). */
  roleClaim: z.string().default("groups"),
  /** Claim value → Vigie role; the most powerful match wins; no match refuses the sign-in. */
  roleMapping: z.record(z.string(), roleSchema).default({}),
  /** Name shown on the sign-in button. */
  label: z.string().default("SSO"),
  /** Allows an http:// issuer (local testing only); https is required otherwise. */
  allowHttpIssuer: z.boolean().default(false),
});

const authSchema = z
  .strictObject({
    /** A session unused for this long ends. */
    sessionIdleTimeout: duration.default(2 * 3_600_000),
    /** A session ends this long after sign-in, used or not. */
    sessionAbsoluteTimeout: duration.default(12 * 3_600_000),
    /** When true, admin and sales accounts must enrol a TOTP authenticator before doing anything. */
    totpRequired: z.boolean().default(false),
    /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto is believed; none by default. */
    trustedProxies: z.array(z.string()).default([]),
    /** Origins (scheme://host[:port]) allowed to send state-changing requests besides Vigie's own. */
    allowedOrigins: z.array(z.string().url()).default([]),
    signInLimits: z
      .strictObject({
        /** Failed sign-ins allowed per account within `window`. */
        perAccount: z.number().int().positive().default(10),
        /** Failed sign-ins allowed per client address within `window`. */
        perAddress: z.number().int().positive().default(30),
        window: duration.default(15 * 60_000),
      })
      .prefault({}),
    /** Single sign-on with an OpenID Connect provider; off when absent. */
    oidc: oidcSchema.optional(),
  })
  .prefault({});

/** The whole configuration; every default is stated here. */
export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Largest accepted request body in bytes. */
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024),
        /** Grace period for in-flight requests on shutdown. */
        shutdownTimeout: duration.default(10_000),
      })
      .prefault({}),
    database: z
      .strictObject({
        /** postgres:// URL of an external PostgreSQL 15+; embedded PostgreSQL when absent. */
        url: z.string().url().optional(),
        poolMax: z.number().int().positive().default(10),
        embedded: z
          .strictObject({
            dataDir: z.string().default("./data/postgres"),
            port: z.number().int().min(1).max(65535).default(54329),
          })
          .prefault({}),
      })
      .prefault({}),
    ingest: z
      .strictObject({
        /** Bearer keys accepted by POST /api/v1/events; one is generated under data/ when none is set. */
        keys: z.array(ingestKeySchema).default([]),
        maxBatchEvents: z.number().int().positive().default(5000),
        /** Events older than this are refused (their partition may already be dropped). */
        maxEventAge: duration.default(400 * 86_400_000),
        /** Events dated further in the future than this are refused. */
        maxClockSkew: duration.default(300_000),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
        pretty: z.boolean().default(false),
      })
      .prefault({}),
    auth: authSchema,
    dataDir: z.string().default("./data"),
    /** Timezone of days, weeks and months in figures and reports (IANA name). */
    timezone: z
      .string()
      .refine((tz) => isTimeZone(tz), "must be an IANA timezone such as Europe/Paris")
      .default("Europe/Paris"),
    analytics: z
      .strictObject({
        /** How often abandonment, probe state and incidents are brought up to date. */
        passInterval: duration.default(15_000),
        /** Past weeks compared for volumes (same weekday and hour). */
        volumeWeeks: z.number().int().min(1).max(52).default(4),
        /** Signals of one journey closer than this make one incident. */
        incidentMergeGap: duration.default(15 * 60_000),
        /** Recent window of real traffic for the board and divergence. */
        recentWindow: duration.default(15 * 60_000),
      })
      .prefault({}),
    journeys: z.array(journeySchema).default([]),
    probes: probesConfigSchema,
    /** Alert rules and noise control (see modules/alerts/rule-schema.ts). */
    alerting: alertingSchema.prefault({}),
    /** Who is told, in which language, through which channels. */
    audiences: audiencesSchema,
    /** The demo bank, simulated prospects, backfill and drills (see modules/demo/config-schema.ts). */
    demo: demoConfigSchema,
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.journeys.forEach((journey, index) => {
      if (seen.has(journey.key)) {
        ctx.addIssue({
          code: "custom",
          path: ["journeys", index, "key"],
          message: `duplicate journey "${journey.key}"`,
        });
      }
      seen.add(journey.key);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type JourneyConfig = Config["journeys"][number];

/** Raised when the configuration is invalid; `problems` lists every error at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node[part] = next && typeof next === "object" ? next : {};
    node = node[part] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

const number = (text: string) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
const boolean = (text: string) => (text === "true" ? true : text === "false" ? false : text);

/** Environment variables that override the file, with where they land. */
const ENV_OVERRIDES: { name: string; path: string[]; convert?: (text: string) => unknown }[] = [
  { name: "DATABASE_URL", path: ["database", "url"] },
  { name: "VIGIE_HOST", path: ["server", "host"] },
  { name: "PORT", path: ["server", "port"], convert: number },
  { name: "VIGIE_PORT", path: ["server", "port"], convert: number },
  { name: "VIGIE_DATA_DIR", path: ["dataDir"] },
  { name: "VIGIE_LOG_LEVEL", path: ["log", "level"] },
  { name: "VIGIE_LOG_PRETTY", path: ["log", "pretty"], convert: boolean },
  // comma-separated addresses or CIDR ranges, e.g. 10.0.0.0/8,127.0.0.1
  {
    name: "VIGIE_TRUSTED_PROXIES",
    path: ["auth", "trustedProxies"],
    convert: (text) => text.split(",").filter(Boolean),
  },
  {
    name: "VIGIE_ALLOWED_ORIGINS",
    path: ["auth", "allowedOrigins"],
    convert: (text) => text.split(",").filter(Boolean),
  },
  {
    name: "VIGIE_INGEST_KEYS",
    path: ["ingest", "keys"],
    // name:key pairs separated by commas
    convert: (text) =>
      text
        .split(",")
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf(":");
          return at < 0 ? { name: "env", key: pair } : { name: pair.slice(0, at), key: pair.slice(at + 1) };
        }),
  },
];

/** Validates a raw configuration object (file content with env overrides applied). */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
  );
}

/**
 * Reads the YAML file (`VIGIE_CONFIG`, else `vigie.config.yaml` in the working directory; absent is
 * fine unless named explicitly), applies environment overrides and validates the whole once.
 */
export function loadConfig(env: Env, explicitPath?: string): Config {
  const path = resolve(explicitPath ?? env.VIGIE_CONFIG ?? "vigie.config.yaml");
  let raw: Record<string, unknown> = {};
  if (existsSync(path)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(path, "utf8"));
    } catch (error) {
      throw new ConfigError([`${path}: not valid YAML (${(error as Error).message.split("\n")[0]})`]);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ConfigError([`${path}: must be a mapping of settings`]);
      }
      raw = parsed as Record<string, unknown>;
    }
  } else if (explicitPath ?? env.VIGIE_CONFIG) {
    throw new ConfigError([`${path}: file not found`]);
  }
  for (const override of ENV_OVERRIDES) {
    const value = env[override.name];
    if (value !== undefined && value !== "") {
      setPath(raw, override.path, override.convert ? override.convert(value) : value);
    }
  }
  const probeSecrets = probeSecretsFromEnv(env);
  if (Object.keys(probeSecrets).length > 0) {
    const probes = (raw.probes ?? {}) as Record<string, unknown>;
    raw.probes = { ...probes, secrets: { ...(probes.secrets as object), ...probeSecrets } };
  }
  return parseConfig(raw);
}
