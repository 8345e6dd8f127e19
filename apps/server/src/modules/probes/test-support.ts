import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ProbeDefinition, type ProbeFile, probeSourceSchema } from "./definition.js";

/** A validated probe from an inline definition, as if loaded from `name.yaml` (tests and benchmarks). */
export function probeFrom(source: Record<string, unknown> | ProbeFile, name = "test-probe"): ProbeDefinition {
  const parsed = probeSourceSchema.parse({ name, ...source });
  return { ...parsed, name: parsed.name ?? name, file: `${name}.yaml` } as ProbeDefinition;
}

/** A local HTTP server for tests and benchmarks; `handler` answers every request. */
export async function startLocalServer(
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => unknown,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      Promise.resolve(handler(request, response, Buffer.concat(chunks).toString("utf8"))).catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
