import { z } from "zod";
import { parseDuration } from "../../duration.js";

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: "must be a duration such as 30s, 3m or 15m" });
    return z.NEVER;
  }
  return ms;
});
const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")
  .max(100);

/**
 * The `demo` section: the demo bank, its simulated prospects, history backfill and fault drills.
 * Everything is off unless `enabled`; each part can then be switched off on its own.
 */
export const demoConfigSchema = z
  .strictObject({
    /** Runs the demo with the server (bank, simulated prospects, drills) [false]. */
    enabled: z.boolean().default(false),
    /** Journey the demo bank implements; must be declared in `journeys` [cco-subscription]. */
    journey: key.default("cco-subscription"),
    /** Seed of the simulated prospects: the same seed gives the same prospects [1]. */
    seed: z.number().int().default(1),
    bank: z
      .strictObject({
        /** Runs the demo bank inside Vigie's process [true]. */
        enabled: z.boolean().default(true),
        host: z.string().default("127.0.0.1"),
        /** Port of the demo bank (0: any free port) [8081]. */
        port: z.number().int().min(0).max(65535).default(8081),
        /** URL of a demo bank running elsewhere (staging); when set, none is started here. */
        url: z.string().url().optional(),
        /** When set, the bank's admin API needs `Authorization: Bearer <adminToken>` [none]. */
        adminToken: z.string().min(16).optional(),
      })
      .prefault({}),
    traffic: z
      .strictObject({
        /** Simulated prospects walk the demo bank's pages [true]. */
        enabled: z.boolean().default(true),
        /** Mean prospects per hour over a week; Monday noon sees about 2.5× this, 4 am about 0.05× [60]. */
        prospectsPerHour: z.number().min(0).max(100_000).default(60),
        /** Multiplies the prospects' think time between steps (0.1: ten times quicker) [1]. */
        thinkTimeScale: z.number().positive().max(100).default(1),
        /** Prospects walking at once at most; arrivals beyond are turned away [200]. */
        maxConcurrent: z.number().int().min(1).max(10_000).default(200),
        /** How often arrivals are drawn [5s]. */
        tick: duration.default(5_000),
      })
      .prefault({}),
    backfill: z
      .strictObject({
        /** Days of history generated in the background at the first start (0: none) [30]. */
        daysOnFirstStart: z.number().int().min(0).max(365).default(30),
        /** Events per ingestion call [2000]. */
        batchSize: z.number().int().min(1).max(5000).default(2000),
      })
      .prefault({}),
    drills: z
      .strictObject({
        /** Scheduled drills [true]; drills can be run on demand either way. */
        enabled: z.boolean().default(true),
        /** One drill per slot of this length, aligned on the clock (:00, :15, :30, :45) [15m]. */
        every: duration.default(15 * 60_000),
        /**
         * `bank`: the fault is injected into the demo bank; `synthetic`: failing synthetic events
         * are emitted for the journey, for a staging environment without the demo bank [bank].
         */
        mode: z.enum(["bank", "synthetic"]).default("bank"),
        /** Step that fails during a drill [documents]. */
        step: key.default("documents"),
        errorCode: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,100}$/)
          .default("DRILL_INJECTED_FAULT"),
        /** How long the injected fault lasts [3m]. */
        faultDuration: duration.default(3 * 60_000),
        /** How long detection is awaited after the injection before the drill is closed [10m]. */
        watchFor: duration.default(10 * 60_000),
        /** Simulated prospects sent into the fault at once, so that a quiet night still exercises it [3]. */
        burst: z.number().int().min(0).max(100).default(3),
        /** How often running drills look for their detection [5s]. */
        pollEvery: duration.default(5_000),
      })
      .prefault({}),
  })
  .prefault({});

export type DemoConfig = z.infer<typeof demoConfigSchema>;
