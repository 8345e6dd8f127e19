import type { FastifyReply, FastifyRequest } from "fastify";
import { technicalErrorPage } from "./pages.js";

/** Answers a problem+json body (JSON clients) or a French error page (browsers). */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  if (!(request.headers.accept ?? "").includes("application/json") && status >= 500) {
    return reply.code(status).type("text/html; charset=utf-8").send(technicalErrorPage(code));
  }
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://vigie.dev/demo-bank/problems/${code}`,
      title: code,
      status,
      detail,
      code,
      ...extra,
    });
}
