import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Vigie server serves dist/ (see apps/server/src/app.ts); `npm run dev -w @vigie/web` proxies the
// API to a server started with `npm start` on its default port.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // bench/ui.ts reads it to size each route's JavaScript
    manifest: true,
    // Above this the board would miss its 300 KB gzipped budget; bench/ui.ts checks the real figure.
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
});
