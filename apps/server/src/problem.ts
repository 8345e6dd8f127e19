import type { ProblemDetails } from "@vigie/contracts";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import {
  AppError,
  isDatabaseUnavailable,
  isTransientConflict,
  ServiceUnavailableError,
  statusTitle,
  TooManyRequestsError,
} from "./errors.js";

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid_content_length",
  FST_ERR_CTP_EMPTY_JSON_BODY: "empty_body",
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_VALIDATION: "validation_failed",
};

/** What the request tells about a refusal, to make its detail precise. */
export interface ProblemContext {
  /** Body limit of the route, in bytes. */
  bodyLimit?: number;
}

/** Turns any error into an RFC 9457 problem; 5xx details stay in the log, never in the answer. */
export function toProblem(
  error: unknown,
  context: ProblemContext = {},
): { problem: ProblemDetails; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error instanceof AppError) {
    if (error instanceof ServiceUnavailableError || error instanceof TooManyRequestsError) {
      headers["retry-after"] = String(error.retryAfterSeconds);
    }
    return {
      problem: {
        type: `https://vigie.dev/problems/${error.code}`,
        title: statusTitle(error.status),
        status: error.status,
        detail: error.message,
        code: error.code,
        ...error.extra,
      },
      headers,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return toProblem(new ServiceUnavailableError("The database cannot be reached right now; retry later."));
  }
  if (isTransientConflict(error)) {
    return toProblem(
      new ServiceUnavailableError(
        "The request conflicted with concurrent ones and was rolled back whole (nothing stored); send it again.",
        1,
      ),
    );
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const isJson = error instanceof SyntaxError || /JSON|prototype|constructor/i.test(fastifyError.message);
    const code =
      FASTIFY_CODES[fastifyError.code] ?? (isJson ? "invalid_json" : (fastifyError.code ?? "bad_request"));
    const detail =
      fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE" && context.bodyLimit
        ? `The request body is larger than the ${context.bodyLimit} bytes accepted; send smaller batches.`
        : fastifyError.message;
    return {
      problem: {
        type: `https://vigie.dev/problems/${code}`,
        title: statusTitle(status),
        status,
        detail,
        code: code.toLowerCase(),
      },
      headers,
    };
  }
  return {
    problem: {
      type: "https://vigie.dev/problems/internal_error",
      title: statusTitle(500),
      status: 500,
      detail: "An unexpected error occurred; it has been logged.",
      code: "internal_error",
    },
    headers,
  };
}

/** Fastify error handler sending problem+json. */
export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { problem, headers } = toProblem(error, { bodyLimit: request.routeOptions?.bodyLimit });
  if (problem.status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: problem.code, status: problem.status }, "request refused");
  return reply.code(problem.status).headers(headers).type("application/problem+json").send(problem);
}
