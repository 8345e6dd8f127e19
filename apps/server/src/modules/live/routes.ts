import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../errors.js";
import type { LiveChange, LiveHub } from "./service.js";

/** A live-update connection opened from another site's page: refused (it would read the board). */
export class ForeignOriginError extends AppError {
  constructor(origin: string) {
    super("cross_site_request", 403, `Live updates are not served to pages of another origin (${origin}).`);
  }
}

/** Options of the live routes; defaults in brackets. */
export interface LiveRoutesOptions {
  hub: LiveHub;
  /** A comment line keeps proxies from closing an idle stream [25 s]. */
  heartbeatMs?: number;
}

/** Whether the request's Origin (when the browser sent one) is this server's own. */
export function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

function frame(change: LiveChange): string {
  return `event: change\ndata: ${JSON.stringify(change)}\n\n`;
}

/** `GET /api/v1/live`: server-sent events telling the web app which journeys changed. */
export async function liveRoutes(app: FastifyInstance, options: LiveRoutesOptions) {
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  app.addHook("preClose", async () => {
    // Streams never end by themselves: without this, shutdown would wait for every open board.
    options.hub.close();
  });

  app.get(
    "/api/v1/live",
    {
      config: { access: ["admin", "operator", "viewer", "sales"] },
      schema: {
        tags: ["live"],
        summary: "Live board changes as server-sent events (text/event-stream)",
        description:
          'Each message is `event: change` with data `{"journeys": [...], "at": "..."}`: the figures of ' +
          'these journeys changed, fetch them again; with `"all": true`, changes may have been missed ' +
          "and every journey is listed. A page of another origin is refused (403).",
        response: {
          200: {
            description: "An endless event stream",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
        },
      },
    },
    async (request, reply) => {
      if (!isSameOrigin(request)) throw new ForeignOriginError(String(request.headers.origin));
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // nginx would otherwise buffer the stream and deliver changes late
        "x-accel-buffering": "no",
      });
      stream.write("retry: 3000\n: connected\n\n");
      let closed = false;
      const heartbeat = setInterval(() => stream.write(": heartbeat\n\n"), heartbeatMs);
      heartbeat.unref();
      const end = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        stream.end();
      };
      const unsubscribe = options.hub.subscribe({
        owner: request,
        send: (change) => {
          if (!closed) stream.write(frame(change));
        },
        close: end,
      });
      request.raw.on("close", end);
    },
  );
}
