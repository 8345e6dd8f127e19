import { z } from "zod";
import { parseDuration } from "../../duration.js";

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 250ms, 30s or 5m" });
    return z.NEVER;
  }
  return ms;
});

/** The `probes` section of the configuration; every default is stated here. */
export const probesConfigSchema = z
  .strictObject({
    /** Folder of probe files (*.yaml, *.yml, *.ts), relative to the working directory [./probes]. */
    folder: z.string().default("./probes"),
    /** Whether this instance runs scheduled probes [true]; the API and CLI work either way. */
    scheduler: z.boolean().default(true),
    /** HTTP probe runs in flight at once on this instance [20]. */
    concurrency: z.number().int().min(1).max(1000).default(20),
    /** Browser probe runs in flight at once on this instance, each in its own context [1]. */
    browserConcurrency: z.number().int().min(1).max(32).default(1),
    /** Chromium executable used by browser probes [/usr/bin/chromium, Debian's chromium package]. */
    chromiumPath: z.string().default("/usr/bin/chromium"),
    /** Label of where this instance runs probes, copied into events [local]. */
    location: z.string().min(1).max(100).default("local"),
    /** How often the scheduler claims the probes starting before its next look [250ms]. */
    tick: duration.default(250),
    outbound: z
      .strictObject({
        /**
         * Addresses or CIDR ranges probes may reach although internal (loopback, private, link-local);
         * none by default. The demo configuration allows 127.0.0.1 for the demo bank.
         */
        allow: z.array(z.string()).default([]),
      })
      .prefault({}),
    /**
     * Secrets used by probes as `{{secrets.NAME}}` or `secrets.NAME`; also read from environment
     * variables `VIGIE_PROBE_SECRET_<NAME>`. Never logged nor returned by the API.
     */
    secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  })
  .prefault({});

export type ProbesConfig = z.infer<typeof probesConfigSchema>;

const SECRET_PREFIX = "VIGIE_PROBE_SECRET_";

/** Probe secrets given as environment variables (`VIGIE_PROBE_SECRET_BANK_TOKEN` → `BANK_TOKEN`). */
export function probeSecretsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(SECRET_PREFIX) && value !== undefined && name.length > SECRET_PREFIX.length) {
      secrets[name.slice(SECRET_PREFIX.length)] = value;
    }
  }
  return secrets;
}
