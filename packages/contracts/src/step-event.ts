import { z } from "zod";

/** CloudEvents `type` of one step outcome of a journey run. */
export const STEP_EVENT_TYPE = "vigie.step";

/** Media types of the CloudEvents 1.0 HTTP binding that Vigie accepts. */
export const CLOUDEVENTS_JSON = "application/cloudevents+json";
export const CLOUDEVENTS_BATCH_JSON = "application/cloudevents-batch+json";

const key = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'");

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

const CONTEXT_ATTRIBUTES = new Set([
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
    datacontenttype: z
      .string()
      .regex(/^application\/(.+\+)?json(\s*;.*)?$/i, "must be a JSON media type")
      .optional(),
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
