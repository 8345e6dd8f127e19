#!/usr/bin/env node
// Builds the web app when apps/web/dist is missing or older than its sources, so that `npm start`
// right after `npm ci` serves the real app, and a second start costs only a directory walk.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(WEB, "dist", ".built");
// Test workers (one per database engine) may ask at the same time: one builds, the others wait.
const LOCK = join(WEB, ".build.lock");
const STALE_LOCK_MS = 5 * 60_000;
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist/ is missing or older than a source file. */
export function webBuildIsStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(WEB, source)) > built);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock() {
  for (;;) {
    try {
      closeSync(openSync(LOCK, "wx"));
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // a build killed half-way leaves its lock behind
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS)
        rmSync(LOCK, { force: true });
      sleep(200);
    }
  }
}

/** Runs `vite build` when the build is stale; returns whether it built. Throws when the build fails. */
export function ensureWebBuilt({ quiet = false } = {}) {
  if (!webBuildIsStale()) return false;
  acquireLock();
  try {
    return buildIfStale(quiet);
  } finally {
    rmSync(LOCK, { force: true });
  }
}

function buildIfStale(quiet) {
  if (!webBuildIsStale()) return false;
  if (!quiet) process.stdout.write("Building the web app (apps/web/dist)…\n");
  const vite = join(WEB, "node_modules", ".bin", "vite");
  const bin = existsSync(vite) ? vite : join(WEB, "..", "..", "node_modules", ".bin", "vite");
  const result = spawnSync(bin, ["build", "--logLevel", quiet ? "error" : "warn"], {
    cwd: WEB,
    stdio: "inherit",
    // a test runner's NODE_ENV=test would otherwise give React's development build
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`web app build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureWebBuilt();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
