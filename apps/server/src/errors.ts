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

/** Signed in (or keyed), but this route is not for this role or this kind of key. */
export class AccessDeniedError extends AppError {
  constructor(message = "Your role does not allow this.") {
    super("access_denied", 403, message);
  }
}

/** A session that must first change its one-time password or enrol TOTP before anything else. */
export class RestrictedSessionError extends AppError {
  constructor(code: "password_change_required" | "totp_enrolment_required", message: string) {
    super(code, 403, message);
  }
}

/** A state-changing request (or live-update connection) from another site: refused (CSRF). */
export class CrossSiteRequestError extends AppError {
  constructor(message: string) {
    super("cross_site_request", 403, message);
  }
}

/** Wrong user name, password or TOTP code: one answer for all, so that nothing is revealed. */
export class InvalidCredentialsError extends AppError {
  constructor(code: "invalid_credentials" | "totp_required" = "invalid_credentials", message?: string) {
    super(code, 401, message ?? "Unknown user name or wrong password.");
  }
}

/** Too many attempts from this account or address; retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("too_many_attempts", 429, message);
  }
}

/** The request conflicts with what exists (a user name already taken, a key already revoked). */
export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, 409, message);
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

/** The demo bank, whose faults Vigie controls, cannot be reached (not running, or elsewhere and down). */
export class DemoBankUnavailableError extends AppError {
  constructor(message: string) {
    super("demo_bank_unavailable", 503, message);
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

/**
 * PostgreSQL refused a transaction because of other concurrent ones (deadlock detected, serialization
 * failure): it was rolled back whole, so sending it again is safe.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
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
