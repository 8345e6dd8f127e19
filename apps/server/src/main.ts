import { Command } from "commander";
import { ROLES, type Role } from "./access.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { connectDatabase } from "./db/connect.js";
import { AppError } from "./errors.js";
import { createLogger } from "./logger.js";
import { maskedAlerting } from "./modules/alerts/rule-schema.js";
import { maskedAudiences } from "./modules/audiences/catalogue.js";
import {
  backfillCommand,
  cliDuration,
  faultControl,
  injectFaultCommand,
  listDrillsCommand,
  runDemoCommand,
  runDrillCommand,
} from "./modules/demo/cli.js";
import { listProbesCommand, ProbeFileError, runProbeFileCommand } from "./modules/probes/cli.js";
import { addUserFromCommandLine } from "./modules/users/cli.js";
import { startServer } from "./server.js";

// The one place that reads the environment; everything else receives the validated config.
function config(options: { config?: string }): Config {
  return loadConfig(process.env, options.config);
}

const program = new Command()
  .name("vigie")
  .description("Vigie: quality of service of online subscription journeys")
  .option("-c, --config <path>", "configuration file (default: vigie.config.yaml, or VIGIE_CONFIG)");

program
  .command("start")
  .description("start the server (embedded PostgreSQL unless DATABASE_URL is set)")
  .action(async () => {
    await startServer(config(program.opts()));
  });

program
  .command("migrate")
  .description("apply pending database migrations, then exit")
  .action(async () => {
    const cfg = config(program.opts());
    const logger = createLogger(cfg.log);
    const database = await connectDatabase(cfg, logger);
    await database.shutdown();
    process.stdout.write("Database is up to date.\n");
  });

program
  .command("config")
  .description("validate the configuration and print it (ingest keys masked)")
  .action(() => {
    const cfg = config(program.opts());
    const masked = {
      ...cfg,
      ingest: { ...cfg.ingest, keys: cfg.ingest.keys.map((k) => ({ ...k, key: "********" })) },
      auth: { ...cfg.auth, oidc: cfg.auth.oidc && { ...cfg.auth.oidc, clientSecret: "********" } },
      alerting: maskedAlerting(cfg.alerting),
      audiences: maskedAudiences(cfg.audiences),
      probes: {
        ...cfg.probes,
        secrets: Object.fromEntries(Object.keys(cfg.probes.secrets).map((n) => [n, "********"])),
      },
      demo: {
        ...cfg.demo,
        bank: { ...cfg.demo.bank, adminToken: cfg.demo.bank.adminToken ? "********" : undefined },
      },
    };
    process.stdout.write(`${JSON.stringify(masked, null, 2)}\n`);
  });

const user = program.command("user").description("user accounts");
user
  .command("add <username>")
  .description("create a local account with a one-time password (changed at first sign-in)")
  .requiredOption("--role <role>", "admin, operator, viewer or sales")
  .option("--name <display name>", "name shown in the app")
  .action(async (username: string, options: { role: string; name?: string }) => {
    if (!ROLES.includes(options.role as Role)) {
      throw new ConfigError([`--role must be one of ${ROLES.join(", ")}`]);
    }
    const cfg = config(program.opts());
    const database = await connectDatabase(cfg, createLogger({ ...cfg.log, level: "warn" }));
    try {
      const created = await addUserFromCommandLine(cfg, database, {
        username,
        role: options.role as Role,
        ...(options.name ? { displayName: options.name } : {}),
      });
      process.stdout.write(
        `User ${created.username} (${created.role}) created.\nOne-time password: ${created.oneTimePassword}\n` +
          "It must be changed at first sign-in.\n",
      );
    } finally {
      await database.shutdown();
    }
  });

const probe = program.command("probe").description("probes: synthetic prospects that walk a journey");
probe
  .command("run <file>")
  .description("run one probe file once, here, printing each step and its timing (nothing stored)")
  .action(async (file: string) => {
    const passed = await runProbeFileCommand(config(program.opts()), file, (t) => process.stdout.write(t));
    process.exit(passed ? 0 : 1);
  });
probe
  .command("list")
  .description("list the probes of the configured probes folder")
  .action(async () => {
    const valid = await listProbesCommand(config(program.opts()), (t) => process.stdout.write(t));
    process.exit(valid ? 0 : 1);
  });

const demo = program.command("demo").description("the demo bank: history backfill, fault injection, drills");
const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);
demo
  .command("backfill")
  .description("emit past-dated events of simulated prospects through the ingestion service")
  .option("--days <days>", "days of history before now", "30")
  .action(async (options: { days: string }) => {
    await runDemoCommand(
      () => backfillCommand(config(program.opts()), Number(options.days), out, Boolean(process.stdout.isTTY)),
      err,
    );
  });
const fault = demo.command("fault").description("faults of the demo bank (it must be running)");
fault
  .command("inject")
  .description("make a step fail or slow, take the bank down, or cut its volume, for a while")
  .requiredOption("--kind <kind>", "error | slow | down | under-exposure")
  .option("--step <step>", "step of an error or slow fault (landing, identity, contact, …)")
  .option("--share <share>", "share of requests hit, 0 to 1", "1")
  .option("--code <code>", "error code of an error fault")
  .option("--delay <ms>", "added latency of a slow fault, ms")
  .option("--for <duration>", "lifted after this long, e.g. 5m (default: until lifted)")
  .action(
    async (o: {
      kind: string;
      step?: string;
      share: string;
      code?: string;
      delay?: string;
      for?: string;
    }) => {
      await runDemoCommand(
        () =>
          injectFaultCommand(
            config(program.opts()),
            {
              kind: o.kind as never,
              step: o.step as never,
              share: Number(o.share),
              errorCode: o.code,
              delayMs: o.delay === undefined ? undefined : Number(o.delay),
              durationMs: cliDuration(o.for),
            },
            out,
          ),
        err,
      );
    },
  );
fault
  .command("list")
  .description("faults in force")
  .action(async () => {
    await runDemoCommand(async () => {
      out(`${JSON.stringify(await faultControl(config(program.opts())).list(), null, 2)}\n`);
    }, err);
  });
fault
  .command("lift [id]")
  .description("lift one fault, or all of them without an id")
  .action(async (id?: string) => {
    await runDemoCommand(async () => {
      const control = faultControl(config(program.opts()));
      if (id) await control.lift(id);
      else out(`${await control.clear()} fault(s) lifted\n`);
    }, err);
  });
const drill = demo.command("drill").description("fault drills: how long the detection chain takes to notice");
drill
  .command("run")
  .description("inject a drill's fault now; the running server records its detection times")
  .option("--mode <mode>", "bank (fault in the demo bank) | synthetic (failing synthetic events)")
  .option("--step <step>", "failing step")
  .option("--code <code>", "error code")
  .option("--for <duration>", "how long the fault lasts, e.g. 3m")
  .action(async (o: { mode?: "bank" | "synthetic"; step?: string; code?: string; for?: string }) => {
    await runDemoCommand(
      () =>
        runDrillCommand(
          config(program.opts()),
          { mode: o.mode, step: o.step, errorCode: o.code, faultDurationMs: cliDuration(o.for) },
          out,
        ),
      err,
    );
  });
drill
  .command("list")
  .description("latest drills with their detection times")
  .option("--limit <n>", "how many", "10")
  .action(async (o: { limit: string }) => {
    await runDemoCommand(() => listDrillsCommand(config(program.opts()), Number(o.limit), out), err);
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProbeFileError || error instanceof AppError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`vigie: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
