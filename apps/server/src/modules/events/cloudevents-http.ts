import { CLOUDEVENTS_BATCH_JSON, CLOUDEVENTS_JSON, type EventRejection } from "@vigie/contracts";
import type { FastifyRequest } from "fastify";
import {
  ForbiddenKeyError,
  InvalidJsonError,
  TooManyEventsError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../errors.js";

/** What a request carried, before any contract validation. */
export interface CloudEventsMessage {
  mode: "structured" | "batch" | "binary";
  events: unknown[];
}

/** Limits of one ingestion request. */
export interface CloudEventsLimits {
  /** Most events accepted in one request (`ingest.maxBatchEvents`). */
  maxBatchEvents: number;
}

type Headers = Record<string, string | string[] | undefined>;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function modeOf(type: string): CloudEventsMessage["mode"] {
  if (type === CLOUDEVENTS_BATCH_JSON) return "batch";
  if (type === CLOUDEVENTS_JSON) return "structured";
  return "binary";
}

/** A place in the request: which event, and which field of it (dotted, as in zod issues). */
interface Place {
  index: number;
  field: string;
}

/**
 * Where a value found at `path` of the body sits in the events: a batch's items are events; any
 * other body is event 0 (in binary mode, its `data`).
 */
function placeOf(mode: CloudEventsMessage["mode"], isArrayBody: boolean, path: string[]): Place {
  if (mode === "batch" && isArrayBody) return { index: Number(path[0]), field: path.slice(1).join(".") };
  return { index: 0, field: (mode === "binary" ? ["data", ...path] : path).join(".") };
}

/** ES2024 (Node 20 has it; the project's TypeScript lib stops at ES2023). */
type WellFormedString = string & { isWellFormed(): boolean };

/** Why PostgreSQL could not store a string (its JSON and text types refuse NUL and lone surrogates). */
/** Rejections in request order: by event, then field. */
function inOrder(errors: EventRejection[]): EventRejection[] {
  return errors.sort((a, b) => a.index - b.index || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function unstorable(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (!(text as WellFormedString).isWellFormed())
    return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
  return undefined;
}

interface Frame {
  value: unknown;
  parent: Frame | undefined;
  key: string;
}

function pathOf(frame: Frame): string[] {
  const path: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.push(f.key);
  return path.reverse();
}

/**
 * Walks a parsed body (iteratively: depth costs no stack; paths are built only for findings) and
 * collects keys that could alter object prototypes, and strings that cannot be stored. JSON.parse
 * itself creates `__proto__` as a plain own key, so the walk sees it without anything polluted.
 */
function inspect(body: unknown): {
  forbidden: { path: string[]; key: string }[];
  unstorable: { path: string[]; reason: string }[];
} {
  const forbidden: { path: string[]; key: string }[] = [];
  const bad: { path: string[]; reason: string }[] = [];
  const stack: Frame[] = [{ value: body, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const value = frame.value;
    if (typeof value === "string") {
      const reason = unstorable(value);
      if (reason) bad.push({ path: pathOf(frame), reason });
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], parent: frame, key: String(i) });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === "__proto__") {
        forbidden.push({ path: [...pathOf(frame), key], key: "__proto__" });
        continue;
      }
      if (
        key === "constructor" &&
        child !== null &&
        typeof child === "object" &&
        Object.hasOwn(child, "prototype")
      ) {
        forbidden.push({ path: [...pathOf(frame), key, "prototype"], key: "constructor.prototype" });
        continue;
      }
      const reason = unstorable(key);
      if (reason) bad.push({ path: [...pathOf(frame), key], reason: `key ${reason}` });
      stack.push({ value: child, parent: frame, key });
    }
  }
  return { forbidden, unstorable: bad };
}

/**
 * Parses the JSON body of an ingestion request. Refuses, naming the event and field, any key that
 * could alter object prototypes and any string PostgreSQL cannot store, so that neither reaches
 * validation or SQL.
 */
export function parseEventsBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === "") {
    throw new InvalidJsonError(
      "The request body is empty: send one CloudEvent or a batch of them.",
      "empty_body",
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError(`The request body is not valid JSON: ${(error as Error).message}.`);
  }
  const mode = modeOf(mediaType(contentType));
  const found = inspect(body);
  const isArrayBody = Array.isArray(body);
  if (found.forbidden.length > 0) {
    const errors = inOrder(
      found.forbidden.map(({ path, key }) => ({
        ...placeOf(mode, isArrayBody, path),
        reason: `forbidden key "${key}"`,
      })),
    );
    const first = errors[0]!;
    const keys = [...new Set(found.forbidden.map((f) => `"${f.key}"`))].join(", ");
    throw new ForbiddenKeyError(
      `Forbidden key ${keys} (first at ${first.field || "the event"} of event ${first.index}): ` +
        "keys that could alter object prototypes are refused; nothing was stored.",
      errors,
    );
  }
  if (found.unstorable.length > 0) {
    throw new ValidationError(
      "Some text cannot be stored (NUL characters or invalid Unicode); nothing was stored.",
      inOrder(found.unstorable.map(({ path, reason }) => ({ ...placeOf(mode, isArrayBody, path), reason }))),
    );
  }
  return body;
}

/** Fastify content-type parser (parseAs: "string") for every JSON body of the ingestion route. */
export function eventsBodyParser(
  request: FastifyRequest,
  body: string | Buffer,
  done: (error: Error | null, body?: unknown) => void,
): void {
  done(null, parseEventsBody(body.toString(), request.headers["content-type"]));
}

function headerValue(name: string, value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new ValidationError(`The ce-${name} header is not correctly percent-encoded.`, [
      { index: 0, field: name, reason: `ce-${name} header is not valid percent-encoding` },
    ]);
  }
  const reason = unstorable(decoded);
  if (reason)
    throw new ValidationError(`The ce-${name} header ${reason}.`, [{ index: 0, field: name, reason }]);
  return decoded;
}

/**
 * Reads a CloudEvents 1.0 HTTP request in structured, batch or binary mode into plain event
 * objects (structured form). The body is already JSON-parsed by `eventsBodyParser`.
 */
export function readCloudEventsRequest(
  headers: Headers,
  body: unknown,
  limits: CloudEventsLimits = { maxBatchEvents: Number.POSITIVE_INFINITY },
): CloudEventsMessage {
  const type = mediaType(headers["content-type"] as string | undefined);
  if (type === CLOUDEVENTS_BATCH_JSON) {
    if (!Array.isArray(body)) {
      throw new ValidationError("A CloudEvents batch must be a JSON array of events.", [
        { index: 0, field: "", reason: "expected an array" },
      ]);
    }
    if (body.length > limits.maxBatchEvents) {
      throw new TooManyEventsError(
        `This batch holds ${body.length} events; at most ${limits.maxBatchEvents} are accepted per request. ` +
          "Split it into smaller batches; nothing was stored.",
      );
    }
    return { mode: "batch", events: body };
  }
  if (type === CLOUDEVENTS_JSON) {
    return { mode: "structured", events: [body] };
  }
  if (type === "application/json" || /^application\/[^;]+\+json$/.test(type)) {
    if (headers["ce-specversion"] === undefined) {
      throw new ValidationError(
        `Use ${CLOUDEVENTS_JSON}, ${CLOUDEVENTS_BATCH_JSON}, or binary mode with ce-* headers.`,
        [{ index: 0, field: "specversion", reason: "missing ce-specversion header (binary mode)" }],
      );
    }
    const event: Record<string, unknown> = { datacontenttype: headers["content-type"] };
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith("ce-") || value === undefined) continue;
      const attribute = name.slice(3);
      if (attribute === "data" || attribute === "data_base64" || attribute === "datacontenttype") continue;
      if (attribute === "__proto__") {
        throw new ForbiddenKeyError(
          'Forbidden key "__proto__" (header ce-__proto__): keys that could alter object prototypes are refused.',
          [{ index: 0, field: attribute, reason: 'forbidden key "__proto__"' }],
        );
      }
      event[attribute] = headerValue(attribute, Array.isArray(value) ? value.join(",") : value);
    }
    event.data = body;
    return { mode: "binary", events: [event] };
  }
  throw new UnsupportedMediaTypeError(
    `Content type "${type || "(none)"}" is not accepted: send ${CLOUDEVENTS_JSON}, ${CLOUDEVENTS_BATCH_JSON} or application/json with ce-* headers.`,
  );
}
