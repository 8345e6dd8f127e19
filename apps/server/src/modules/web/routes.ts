import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";

/** Paths that belong to the server, never to the web app's client-side routes. */
const SERVER_PREFIXES = ["/api", "/healthz", "/readyz", "/metrics"];

/** Whether a path is one the web app routes on the client (e.g. /journeys/cco-subscription). */
export function isClientRoute(path: string): boolean {
  if (SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  // A path with a file extension is a missing asset, not a page.
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}

/**
 * Serves the built web app (apps/web/dist): hashed assets cached for a year, index.html never cached,
 * and index.html for every client-side route so that a reload or a shared link opens the right page.
 */
export async function webAppRoutes(app: FastifyInstance, { root }: { root: string }) {
  const indexPath = join(root, "index.html");
  if (!existsSync(indexPath)) {
    app.log.warn({ root }, "web app not built: run `npm run build` (npm start builds it when missing)");
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: false,
    index: false,
    setHeaders(reply, path) {
      reply.header(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });

  const page = async (request: { url: string }, reply: import("fastify").FastifyReply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (!isClientRoute(path)) throw new NotFoundError(`No route GET ${path}.`);
    let html: string;
    try {
      html = await readFile(indexPath, "utf8");
    } catch {
      throw new NotFoundError("The web app is not built: run `npm run build`.");
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
  };
  app.get("/", { schema: { hide: true } }, page);
  app.get("/*", { schema: { hide: true } }, page);
}
