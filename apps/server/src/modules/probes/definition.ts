import { z } from "zod";
import { parseDuration } from "../../duration.js";

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")
  .max(100);

/** A duration written `500ms`, `30s`, `5m`… or a number of milliseconds. */
const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 500ms, 30s or 5m" });
    return z.NEVER;
  }
  return ms;
});

const fn = <T extends (...args: never[]) => unknown>(what: string) =>
  z.custom<T>((value) => typeof value === "function", { message: `must be a function (${what})` });

/** How to compare a value read from a response. Exactly one matcher is expected. */
const matcher = {
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  contains: z.string().optional(),
  matches: z.string().optional(),
  exists: z.boolean().optional(),
};
const oneMatcher = (value: Record<string, unknown>) =>
  ["equals", "contains", "matches", "exists"].filter((name) => value[name] !== undefined).length === 1;

const assertionSchema = z.union([
  z.strictObject({ status: z.union([z.number().int(), z.array(z.number().int()).min(1)]) }),
  z.strictObject({ maxLatency: duration }),
  z.strictObject({
    header: z
      .strictObject({ name: z.string().min(1), ...matcher })
      .refine(oneMatcher, "give exactly one of equals, contains, matches, exists"),
  }),
  z.strictObject({
    jsonPath: z
      .strictObject({ path: z.string().regex(/^\$/, "must start with $"), ...matcher })
      .refine(oneMatcher, "give exactly one of equals, contains, matches, exists"),
  }),
  z.strictObject({
    text: z
      .strictObject({
        equals: z.string().optional(),
        contains: z.string().optional(),
        matches: z.string().optional(),
      })
      .refine(oneMatcher, "give exactly one of equals, contains, matches"),
  }),
]);
export type Assertion = z.infer<typeof assertionSchema>;

const extractionSchema = z.union([
  z.strictObject({ jsonPath: z.string().regex(/^\$/, "must start with $") }),
  z.strictObject({ header: z.string().min(1) }),
  z.strictObject({ cookie: z.string().min(1) }),
  z.strictObject({ regex: z.string().min(1) }),
]);
export type Extraction = z.infer<typeof extractionSchema>;

const requestSchema = z
  .strictObject({
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
    /** Templated: `{{baseUrl}}/ouverture/{{prospectId}}`. */
    url: z.string().min(1),
    headers: z.record(z.string(), z.string()).default({}),
    /** Raw body (templated). */
    body: z.string().optional(),
    /** JSON body; every string inside is templated. */
    json: z.unknown().optional(),
    /** URL-encoded form body; values templated. */
    form: z.record(z.string(), z.string()).optional(),
    /** multipart/form-data body: a text field, or a file given inline (content templated). */
    multipart: z
      .record(
        z.string(),
        z.union([
          z.string(),
          z.strictObject({
            filename: z.string().min(1),
            contentType: z.string().default("application/octet-stream"),
            content: z.string(),
          }),
        ]),
      )
      .optional(),
    /** Follow 3xx answers [true]; set false to assert on or extract from the redirect itself. */
    followRedirects: z.boolean().default(true),
  })
  .refine((r) => [r.body, r.json, r.form, r.multipart].filter((b) => b !== undefined).length <= 1, {
    message: "give at most one of body, json, form, multipart",
  });

/** One HTTP call of a probe, with its checks and the values it hands to later steps. */
const httpStepSchema = z.strictObject({
  /** Display name [the journey step key, or "request N"]. */
  name: z.string().min(1).max(200).optional(),
  /** Journey step this call stands for; its outcome becomes a `vigie.step` event. */
  step: key.optional(),
  request: requestSchema,
  assert: z.array(assertionSchema).default([]),
  extract: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), extractionSchema).default({}),
  /** Limit of this call [what is left of the probe's timeout]. */
  timeout: duration.optional(),
  /** Runs only when this variable is set, e.g. a teardown deleting a prospect only if one was created. */
  skipUnless: z.string().optional(),
});
export type HttpStep = z.infer<typeof httpStepSchema>;

/** Context given to setup/teardown functions and browser runs. */
export interface ProbeContext {
  /** Variables shared by every phase of one attempt (set them to pass values on). */
  vars: Record<string, string>;
  /** Secrets from the configuration; never logged nor returned by the API. */
  secrets: Readonly<Record<string, string>>;
  /** `fetch` through the outbound-address guard. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  runId: string;
  /** Cancelled when the phase times out. */
  signal: AbortSignal;
  log: (message: string) => void;
}

/** A setup or teardown written as code. */
export type PhaseFunction = (context: ProbeContext) => Promise<void> | void;

// Browser types stay loose here: playwright-core is loaded only when a browser probe runs.
/** Context of a browser probe's `run`. */
export interface BrowserProbeContext extends ProbeContext {
  page: import("playwright-core").Page;
  context: import("playwright-core").BrowserContext;
  /** Playwright's `expect` (from @playwright/test), usable outside the test runner. */
  expect: typeof import("@playwright/test").expect;
  /** Times `body` as the journey step `key` (like Playwright's `test.step`). */
  step<T>(key: string, body: () => Promise<T>): Promise<T>;
}
export type BrowserRunFunction = (context: BrowserProbeContext) => Promise<void>;

const phaseSchema = z.union([z.array(httpStepSchema), fn<PhaseFunction>("setup or teardown")]);

const common = {
  /** Unique name [the file name without extension]. */
  name: key.optional(),
  description: z.string().max(1000).optional(),
  journey: key,
  schedule: z.union([
    z.strictObject({ every: duration.refine((ms) => ms >= 1000, "at least 1s") }),
    z.strictObject({ cron: z.string().min(9), timezone: z.string().default("Europe/Paris") }),
  ]),
  /** Limit of one attempt (setup and steps) [30s]; teardown has its own. */
  timeout: duration.default(30_000),
  /** Limit of the teardown [15s]. */
  teardownTimeout: duration.default(15_000),
  /** Extra attempts before a failure counts [none], `delay` apart [1s]. */
  retries: z
    .strictObject({ attempts: z.number().int().min(0).max(5).default(0), delay: duration.default(1000) })
    .prefault({}),
  /** Free labels (team, location…); copied into the events' attributes. */
  labels: z.record(z.string().max(64), z.string().max(200)).default({}),
  /** Initial variables (templated into requests). */
  variables: z.record(z.string(), z.string()).default({}),
  /** A new probe starts paused when false [true]. */
  enabled: z.boolean().default(true),
};

const httpProbeSchema = z.strictObject({
  ...common,
  kind: z.literal("http"),
  setup: phaseSchema.optional(),
  steps: z.array(httpStepSchema).min(1),
  teardown: phaseSchema.optional(),
});

const browserProbeSchema = z.strictObject({
  ...common,
  kind: z.literal("browser"),
  setup: phaseSchema.optional(),
  run: fn<BrowserRunFunction>("run({ page, step, expect, vars })"),
  teardown: phaseSchema.optional(),
});

/** A probe file's content, validated. */
export const probeFileSchema = z.discriminatedUnion("kind", [httpProbeSchema, browserProbeSchema]);

/** Same, with `kind` optional (HTTP by default). */
export const probeSourceSchema = z.preprocess(
  (value) => (value && typeof value === "object" && !("kind" in value) ? { ...value, kind: "http" } : value),
  probeFileSchema,
);

export type ProbeSource = z.infer<typeof probeFileSchema>;
export type HttpProbeSource = Extract<ProbeSource, { kind: "http" }>;
export type BrowserProbeSource = Extract<ProbeSource, { kind: "browser" }>;

/** A loaded probe: its validated source, its name and where it comes from. */
export type ProbeDefinition = ProbeSource & { name: string; file: string };

/** What a probe file may export (input form, before defaults); for `satisfies` in TypeScript probes. */
export type ProbeFile = z.input<typeof probeFileSchema>;

/** Identity helper giving type help in TypeScript probe files. */
export function defineProbe<T extends ProbeFile>(probe: T): T {
  return probe;
}
