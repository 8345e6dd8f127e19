import type { FastifyRequest } from "fastify";
import type { AuditContext } from "./service.js";

/** The audit context of an HTTP request: its principal and its client address (through trusted proxies only). */
export function requestContext(request: FastifyRequest): AuditContext {
  const principal = request.principal;
  const actor = !principal
    ? ({ kind: "anonymous" } as const)
    : principal.kind === "session"
      ? ({ kind: "user", id: principal.userId } as const)
      : ({ kind: "key", id: principal.keyId } as const);
  return { actor, address: request.ip };
}
