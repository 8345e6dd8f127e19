import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { CrossSiteRequestError } from "../../errors.js";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A GET that opens a live-update connection (server-sent events or WebSocket). */
function isLiveUpdate(request: FastifyRequest): boolean {
  return (
    request.headers.upgrade?.toLowerCase() === "websocket" ||
    (request.headers.accept ?? "").includes("text/event-stream")
  );
}

/**
 * Cross-site request forgery defence (ADR 0012): a state-changing request, or a live-update
 * connection, is refused when the browser says it comes from another origin — `Origin` not Vigie's
 * own nor listed in `auth.allowedOrigins`, or, without `Origin`, `Sec-Fetch-Site` other than
 * same-origin/none. Requests with a bearer key are exempt (a browser never adds one by itself), as
 * are clients that send neither header (not a browser: nothing to forge). Session cookies are
 * also SameSite=Lax.
 */
export function refuseCrossSiteRequests(app: FastifyInstance, allowedOrigins: string[]): void {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  app.addHook("onRequest", async (request) => {
    const live = request.method === "GET" && isLiveUpdate(request);
    if (!STATE_CHANGING.has(request.method) && !live) return;
    if (!live && /^Bearer\s/i.test(request.headers.authorization ?? "")) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      const own = `${request.protocol}://${request.host}`;
      if (origin !== own && !allowed.has(origin)) {
        throw new CrossSiteRequestError(`Requests from ${origin.slice(0, 200)} are not accepted.`);
      }
      return;
    }
    const site = request.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      throw new CrossSiteRequestError("Cross-site requests are not accepted.");
    }
  });
}

/**
 * Security headers on every answer: a content security policy with no inline or remote scripts
 * (inline styles are allowed: chart libraries set style attributes), no framing, no sniffing,
 * no referrer to other sites.
 */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
}
