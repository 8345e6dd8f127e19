import type { TestProject } from "vitest/node";
import { createTemplateDatabase } from "./template-database.js";

/** Uses the external PostgreSQL named by TEST_DATABASE_URL (CI: the machine's own server). */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const template = await createTemplateDatabase(adminUrl);
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", template.name);
  project.provide("engine", "external");
  return () => template.drop();
}
