import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { freePort } from "./ports.js";
import { createTemplateDatabase, withDatabase } from "./template-database.js";

export { freePort };

/** Starts a real embedded PostgreSQL for this test run, in a temporary folder removed afterwards. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "vigie-test-pg-"));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, "data"), port: await freePort() });
  const adminUrl = withDatabase(postgres.url, "postgres");
  const template = await createTemplateDatabase(adminUrl);
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", template.name);
  project.provide("engine", "embedded");
  return async () => {
    await template.drop().catch(() => undefined);
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
