import { Command } from "commander";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { connectDatabase } from "./db/connect.js";
import { createLogger } from "./logger.js";
import { listProbesCommand, ProbeFileError, runProbeFileCommand } from "./modules/probes/cli.js";
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
      probes: { ...cfg.probes, secrets: Object.fromEntries(Object.keys(cfg.probes.secrets).map((n) => [n, "********"])) },
    };
    process.stdout.write(`${JSON.stringify(masked, null, 2)}\n`);
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

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProbeFileError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`vigie: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
