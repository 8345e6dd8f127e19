import { z } from "zod";

/** CloudEvents `type` of one step outcome of a journey run. */
export const STEP_EVENT_TYPE = "vigie.step";

/** Media types of the CloudEvents 1.0 HTTP binding that Vigie accepts. */
export const CLOUDEVENTS_JSON = "application/cloudevents+json";
export const CLOUDEVENTS_BATCH_JSON = "application/cloudevents-batch+json";

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const JSON_MEDIA_TYPE = /^application\/(.+\+)?json(\s*;.*)?$/i;

const key = z
  .string()
  .min(1)
  .max(100)
  .regex(KEY_PATTERN, "must be lowercase letters, digits, '.', '_' or '-'");

/** What a step outcome means for the quality of service. */
export const stepOutcomeSchema = z.enum(["started", "ok", "error", "rejected"]);
export type StepOutcome = z.infer<typeof stepOutcomeSchema>;

/** Personal data of a prospect; stored apart from events and shown only to allowed roles. */
export const prospectSchema = z.object({
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(50).optional(),
  consentToCall: z.boolean().optional(),
});
export type Prospect = z.infer<typeof prospectSchema>;

/** The `data` of a `vigie.step` event. Unknown fields are ignored so that newer senders keep working. */
export const stepDataSchema = z.object({
  journey: key.describe("Key of a declared journey, e.g. cco-subscription"),
  runId: z.string().min(1).max(200).describe("Correlation id shared by all events of one pass"),
  step: key.describe("Key of one of the journey's steps"),
  outcome: stepOutcomeSchema.describe(
    "started: entered the step; ok: succeeded; error: technical failure; rejected: business refusal",
  ),
  durationMs: z.number().min(0).max(86_400_000).optional(),
  error: z
    .object({
      code: z.string().min(1).max(100),
      message: z.string().max(2000).optional(),
    })
    .optional(),
  synthetic: z.boolean().optional().describe("true for probe runs"),
  attributes: z
    .record(z.string().max(64), z.string().max(500))
    .refine((a) => Object.keys(a).length <= 50, "at most 50 attributes")
    .optional()
    .describe("String map used for breakdowns: product, channel, app version…"),
  prospect: prospectSchema.optional(),
});
export type StepData = z.infer<typeof stepDataSchema>;

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Name of a CloudEvents extension attribute (lowercase letters and digits). */
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/** CloudEvents context attributes (and the data members); every other attribute is an extension. */
export const CONTEXT_ATTRIBUTES: ReadonlySet<string> = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
  "data",
  "data_base64",
]);

/** A `vigie.step` CloudEvent in structured JSON form (one element of a batch). */
export const stepEventSchema = z
  .looseObject({
    specversion: z.literal("1.0"),
    id: z.string().min(1).max(200),
    source: z.string().min(1).max(500),
    type: z.literal(STEP_EVENT_TYPE),
    time: z.string().regex(rfc3339, "must be an RFC 3339 timestamp").optional(),
    subject: z.string().max(500).optional(),
    datacontenttype: z.string().regex(JSON_MEDIA_TYPE, "must be a JSON media type").optional(),
    dataschema: z.string().max(500).optional(),
    data: stepDataSchema,
  })
  .superRefine((event, ctx) => {
    for (const [name, value] of Object.entries(event)) {
      if (CONTEXT_ATTRIBUTES.has(name)) continue;
      if (!EXTENSION_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: "not a valid CloudEvents attribute name" });
      } else if (!["string", "number", "boolean"].includes(typeof value)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "extension value must be a string, number or boolean",
        });
      }
    }
  });
export type StepEvent = z.infer<typeof stepEventSchema>;

/** JSON Schema (draft 2020-12) of one `vigie.step` CloudEvent, served by the API. */
export function stepEventJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://vigie.dev/schemas/vigie.step.json",
    title: "vigie.step CloudEvent",
    ...z.toJSONSchema(stepEventSchema, { io: "input", unrepresentable: "any" }),
  };
}

// ---------------------------------------------------------------------------------------------
// Fast path. Ingestion validates tens of thousands of events a second; zod builds a new object and
// runs a check pipeline per field, which costs several times more than the few comparisons below.
// `readStepEvent` answers exactly like `stepEventSchema` for every JSON value (a property-based test
// holds it to that), and hands anything it does not accept to zod, so that the error messages, and
// the meaning of the contract, stay zod's alone.
// ---------------------------------------------------------------------------------------------

const OUTCOMES = new Set(["started", "ok", "error", "rejected"]);
/** Keys of the envelope's zod shape, in the order zod outputs them. */
const ENVELOPE_KEYS = [
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
];
const ENVELOPE_KEY_SET = new Set([...ENVELOPE_KEYS, "data"]);

type Plain = Record<string, unknown>;

/** A plain object as JSON.parse makes it (zod's object and record types accept these). */
function isPlainObject(value: unknown): value is Plain {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const isString = (value: unknown, min: number, max: number): value is string =>
  typeof value === "string" && value.length >= min && value.length <= max;
const isKey = (value: unknown): value is string => isString(value, 1, 100) && KEY_PATTERN.test(value);

/**
 * Counts the keys of an object that the fast path knows; `undefined` when one of them holds
 * `undefined` (never the case in JSON; zod decides then).
 */
function countKeys(object: Plain, known: readonly string[]): number | undefined {
  let total = 0;
  for (const name in object) {
    if (object[name] === undefined) return undefined;
    total += 1;
  }
  let present = 0;
  for (const name of known) if (object[name] !== undefined) present += 1;
  return total === present ? present : -present - 1;
}

/** The object itself when it holds no unknown key, else a copy of its known keys (zod strips the rest). */
function stripped<T extends Plain>(object: Plain, known: readonly string[]): T | undefined {
  const count = countKeys(object, known);
  if (count === undefined) return undefined;
  if (count >= 0) return object as T;
  const copy: Plain = {};
  for (const name of known) if (object[name] !== undefined) copy[name] = object[name];
  return copy as T;
}

const ERROR_KEYS = ["code", "message"];
const PROSPECT_KEYS = ["firstName", "lastName", "email", "phone", "consentToCall"];
const DATA_KEYS = [
  "journey",
  "runId",
  "step",
  "outcome",
  "durationMs",
  "error",
  "synthetic",
  "attributes",
  "prospect",
];

function readError(value: Plain): StepData["error"] | undefined {
  const { code, message } = value;
  if (!isString(code, 1, 100)) return undefined;
  if (message !== undefined && !isString(message, 0, 2000)) return undefined;
  return stripped(value, ERROR_KEYS);
}

function readAttributes(value: Plain): Record<string, string> | undefined {
  let count = 0;
  for (const name in value) {
    const text = value[name];
    if (name === "__proto__" || name.length > 64 || typeof text !== "string" || text.length > 500)
      return undefined;
    count += 1;
  }
  return count <= 50 ? (value as Record<string, string>) : undefined;
}

function readProspect(value: Plain): Prospect | undefined {
  const { firstName, lastName, email, phone, consentToCall } = value;
  if (firstName !== undefined && !isString(firstName, 0, 200)) return undefined;
  if (lastName !== undefined && !isString(lastName, 0, 200)) return undefined;
  if (email !== undefined && !isString(email, 0, 320)) return undefined;
  if (phone !== undefined && !isString(phone, 0, 50)) return undefined;
  if (consentToCall !== undefined && typeof consentToCall !== "boolean") return undefined;
  return stripped(value, PROSPECT_KEYS);
}

function readData(value: unknown): StepData | undefined {
  if (!isPlainObject(value)) return undefined;
  const { journey, runId, step, outcome, durationMs, error, synthetic, attributes, prospect } = value;
  if (!isKey(journey) || !isString(runId, 1, 200) || !isKey(step) || !OUTCOMES.has(outcome as string)) {
    return undefined;
  }
  if (
    durationMs !== undefined &&
    !(typeof durationMs === "number" && durationMs >= 0 && durationMs <= 86_400_000)
  ) {
    return undefined;
  }
  if (synthetic !== undefined && typeof synthetic !== "boolean") return undefined;
  let data = stripped<StepData>(value, DATA_KEYS);
  if (data === undefined) return undefined;
  // nested objects are checked, and replaced by their stripped copies when they had unknown keys
  const nested: [string, unknown, (value: Plain) => unknown][] = [];
  if (error !== undefined) nested.push(["error", error, readError]);
  if (attributes !== undefined) nested.push(["attributes", attributes, readAttributes]);
  if (prospect !== undefined) nested.push(["prospect", prospect, readProspect]);
  for (const [name, original, read] of nested) {
    if (!isPlainObject(original)) return undefined;
    const parsed = read(original);
    if (parsed === undefined) return undefined;
    if (parsed !== original) {
      if (data === value) data = { ...(value as StepData) };
      (data as Plain)[name] = parsed;
    }
  }
  return data;
}

/**
 * Reads a `vigie.step` event exactly as `stepEventSchema` would, quickly: the parsed event (the
 * candidate itself when nothing had to be stripped), or `undefined` when zod must decide (invalid,
 * or unusual). Prefer `parseStepEvent`, which falls back to zod.
 */
export function readStepEvent(candidate: unknown): StepEvent | undefined {
  if (!isPlainObject(candidate)) return undefined;
  const { specversion, id, source, type, time, subject, datacontenttype, dataschema } = candidate;
  if (
    specversion !== "1.0" ||
    type !== STEP_EVENT_TYPE ||
    !isString(id, 1, 200) ||
    !isString(source, 1, 500)
  ) {
    return undefined;
  }
  if (time !== undefined && !(typeof time === "string" && rfc3339.test(time))) return undefined;
  if (subject !== undefined && !isString(subject, 0, 500)) return undefined;
  if (dataschema !== undefined && !isString(dataschema, 0, 500)) return undefined;
  if (
    datacontenttype !== undefined &&
    !(typeof datacontenttype === "string" && JSON_MEDIA_TYPE.test(datacontenttype))
  ) {
    return undefined;
  }
  for (const name in candidate) {
    const value = candidate[name];
    if (value === undefined) return undefined;
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    if (!EXTENSION_NAME.test(name)) return undefined;
    const kind = typeof value;
    if (kind !== "string" && kind !== "number" && kind !== "boolean") return undefined;
  }
  const data = readData(candidate.data);
  if (data === undefined) return undefined;
  if (data === candidate.data) return candidate as StepEvent;
  // zod's key order: the shape's keys, then the others
  const event: Plain = {};
  for (const name of ENVELOPE_KEYS) if (candidate[name] !== undefined) event[name] = candidate[name];
  event.data = data;
  for (const name in candidate) if (!ENVELOPE_KEY_SET.has(name)) event[name] = candidate[name];
  return event as StepEvent;
}

/** `stepEventSchema.safeParse`, through the fast path first: same answers, same error messages. */
export function parseStepEvent(candidate: unknown): z.ZodSafeParseResult<StepEvent> {
  const event = readStepEvent(candidate);
  return event === undefined ? stepEventSchema.safeParse(candidate) : { success: true, data: event };
}
