import { CLOUDEVENTS_BATCH_JSON, CLOUDEVENTS_JSON } from "@vigie/contracts";
import { UnsupportedMediaTypeError, ValidationError } from "../../errors.js";

/** What a request carried, before any contract validation. */
export interface CloudEventsMessage {
  mode: "structured" | "batch" | "binary";
  events: unknown[];
}

type Headers = Record<string, string | string[] | undefined>;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError("A ce-* header is not correctly percent-encoded.", [
      { index: 0, field: "", reason: "header value is not valid percent-encoding" },
    ]);
  }
}

/**
 * Reads a CloudEvents 1.0 HTTP request in structured, batch or binary mode into plain event
 * objects (structured form). The body is already JSON-parsed by the server.
 */
export function readCloudEventsRequest(headers: Headers, body: unknown): CloudEventsMessage {
  const type = mediaType(headers["content-type"] as string | undefined);
  if (type === CLOUDEVENTS_BATCH_JSON) {
    if (!Array.isArray(body)) {
      throw new ValidationError("A CloudEvents batch must be a JSON array of events.", [
        { index: 0, field: "", reason: "expected an array" },
      ]);
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
      event[attribute] = percentDecode(Array.isArray(value) ? value.join(",") : value);
    }
    event.data = body;
    return { mode: "binary", events: [event] };
  }
  throw new UnsupportedMediaTypeError(
    `Content type "${type || "(none)"}" is not accepted: send ${CLOUDEVENTS_JSON}, ${CLOUDEVENTS_BATCH_JSON} or application/json with ce-* headers.`,
  );
}
