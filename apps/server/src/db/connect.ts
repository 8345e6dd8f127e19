import type { Logger } from "pino";
import type { Config } from "../config.js";
import { type DatabaseClient, openDatabase } from "./client.js";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "./embedded.js";
import { migrate } from "./migrate.js";

export interface ConnectedDatabase extends DatabaseClient {
  /** The embedded server, when Vigie runs its own. */
  embedded?: EmbeddedPostgresHandle;
  /** Closes the pool, then stops the embedded server if any. */
  shutdown(): Promise<void>;
}

/** Opens the configured database (starting the embedded one without DATABASE_URL) and migrates it. */
export async function connectDatabase(config: Config, logger: Logger): Promise<ConnectedDatabase> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = config.database.url;
  if (!url) {
    logger.info({ dataDir: config.database.embedded.dataDir }, "starting embedded PostgreSQL");
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.embedded.dataDir,
      port: config.database.embedded.port,
      log: (message) => logger.debug({ postgres: message }),
    });
    url = embedded.url;
  }
  const client = openDatabase({
    url,
    poolMax: config.database.poolMax,
    onPoolError: (error) =>
      logger.warn(
        { error: error.message, code: (error as { code?: string }).code },
        "database connection lost",
      ),
  });
  try {
    const applied = await migrate(client.pool);
    if (applied.length) logger.info({ applied }, "migrations applied");
    const version = await client.pool.query<{ server_version_num: string }>("SHOW server_version_num");
    if (Number(version.rows[0]?.server_version_num) < 150000) {
      throw new Error("Vigie needs PostgreSQL 15 or newer.");
    }
  } catch (error) {
    await client.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
  return {
    ...client,
    embedded,
    async shutdown() {
      await client.close();
      await embedded?.stop();
    },
  };
}
