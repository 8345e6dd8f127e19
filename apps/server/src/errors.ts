import type { EventRejection } from "@vigie/contracts";

/** Base of every error Vigie reports to a client; `code` is stable and documented. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not follow the contract; `errors` has one entry per rejected event or field. */
export class ValidationError extends AppError {
  constructor(message: string, errors: EventRejection[] = []) {
    super("validation_failed", 400, message, errors.length ? { errors } : {});
  }
}

/** A body that cannot be read as JSON: `empty_body` when there is none, `invalid_json` otherwise. */
export class InvalidJsonError extends AppError {
  constructor(message: string, code: "invalid_json" | "empty_body" = "invalid_json") {
    super(code, 400, message);
  }
}

/** A JSON key that could alter object prototypes (`__proto__`, `constructor.prototype`): refused, never cleaned. */
export class ForbiddenKeyError extends AppError {
  constructor(message: string, errors: EventRejection[]) {
    super("forbidden_key", 400, message, { errors });
  }
}

/** More events in one request than `ingest.maxBatchEvents`: the sender must split its batch. */
export class TooManyEventsError extends AppError {
  constructor(message: string) {
    super("batch_too_large", 413, message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super("unsupported_media_type", 415, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super("payload_too_large", 413, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "A valid bearer key is required.") {
    super("unauthorized", 401, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", 404, message);
  }
}

/** An outbound call (probe, webhook) targets an address or scheme the outbound guard refuses. */
export class OutboundBlockedError extends AppError {
  constructor(message: string) {
    super("outbound_blocked", 400, message);
  }
}

/** The probe is already running (here or on another instance); it never runs twice at once. */
export class ProbeBusyError extends AppError {
  constructor(message: string) {
    super("probe_busy", 409, message);
  }
}

/** The database (or another dependency) cannot be reached; the client should retry later. */
export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super("service_unavailable", 503, message);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Human title of an HTTP status, as used in problem bodies. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? "Error";
}

/** PostgreSQL SQLSTATE classes and Node socket codes that mean "database unreachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (/^(08|57P0[1-3]|53300)/.test(code)) return true;
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"].includes(code)) {
      return true;
    }
  }
  return (
    typeof message === "string" &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i.test(
      message,
    )
  );
}
