import { defineConfig } from "vitest/config";

// Integration tests (*.int.test.ts) run once per PostgreSQL engine: always the embedded one, and
// also the external server named by TEST_DATABASE_URL when set (as CI does).
const engines = ["embedded", ...(process.env.TEST_DATABASE_URL ? ["external"] : [])];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // The web app's component tests (jsdom, Testing Library): apps/web/vitest.config.ts.
      "apps/web/vitest.config.ts",
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{apps,packages}/**/src/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.int.test.ts", "apps/web/**"],
        },
      },
      ...engines.map((engine) => ({
        extends: true as const,
        test: {
          name: `int-${engine}`,
          include: ["{apps,packages}/**/*.int.test.ts"],
          // The browser end-to-end tests exercise the web app, not the engine: once is enough.
          exclude: ["**/node_modules/**", ...(engine === "embedded" ? [] : ["apps/web/e2e/**"])],
          globalSetup: [`./apps/server/test/setup-${engine}-postgres.ts`],
        },
      })),
    ],
  },
});
