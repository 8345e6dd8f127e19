import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request a local receiver got. */
export interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/**
 * A local HTTP receiver for alerting tests and benchmarks: answers each request with the next
 * status of `statuses` (then 200), records what it got, and lets a caller await the n-th request.
 */
export async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const queue = [...statuses];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // not JSON: kept as text
      }
      const status = queue.shift() ?? 200;
      response
        .writeHead(status, { "content-type": "application/json" })
        .end(status < 300 ? "{}" : '{"error":"nope"}');
      if (status < 300) {
        received.push({
          at: performance.now(),
          path: request.url ?? "/",
          headers: request.headers,
          body,
          json,
        });
        for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
      }
      attempts += 1;
    });
  });
  let attempts = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Requests answered so far, failed ones included. */
    attempts: () => attempts,
    /** Resolves once `count` requests were answered with a 2xx. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
