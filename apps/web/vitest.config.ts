import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

// Component tests of the web app: jsdom, Testing Library. The end-to-end tests in e2e/ run with the
// server's integration tests (real server, real PostgreSQL, Debian's Chromium).
export default defineProject({
  plugins: [react()],
  test: {
    name: "web",
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./src/test/setup.ts"],
  },
});
