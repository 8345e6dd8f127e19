import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStepEvent, readStepEvent, stepEventSchema } from "./step-event.js";

// Each field is usually valid (so that many whole events are), sometimes refused for one reason.
const often = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 5 }),
  fc.constant([]),
  fc.constant({}),
);
/** Strings around a maximum length: short ones, and ones of max-1, max and max+1 characters. */
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ maxLength: 8 }), weight: 8 },
    { arbitrary: fc.string({ minLength: max - 1, maxLength: max + 1 }), weight: 1 },
  );
const key = often(
  fc.constantFrom("cco-subscription", "identity", "a.b_c-1", "0"),
  fc.oneof(fc.constantFrom("", "Upper", "-lead", "with space", "x".repeat(101)), anyJson),
);
const time = often(
  fc.oneof(
    fc.constantFrom("2026-01-05T10:00:00Z", "2026-01-05t10:00:00.123456789+01:00"),
    fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
  ),
  fc.oneof(fc.constantFrom("2026-01-05", "yesterday", "2026-01-05T10:00:00"), anyJson),
);
const attributes = often(
  fc.oneof(
    fc.dictionary(fc.string({ maxLength: 66 }), text(500), { maxKeys: 4 }),
    fc.dictionary(fc.string({ minLength: 2, maxLength: 3 }), fc.constant("v"), { minKeys: 49, maxKeys: 52 }),
  ),
  fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), anyJson, { maxKeys: 2 }), anyJson),
);
const data = fc.record(
  {
    journey: key,
    runId: often(text(200), anyJson),
    step: key,
    outcome: often(
      fc.constantFrom("started", "ok", "error", "rejected"),
      fc.oneof(fc.constant("OK"), anyJson),
    ),
    durationMs: often(
      fc.oneof(fc.double({ min: 0, max: 86_400_000, noNaN: true }), fc.constant(86_400_000)),
      fc.oneof(fc.constantFrom(-1, 86_400_001), anyJson),
    ),
    error: often(
      fc.record(
        { code: often(text(100), anyJson), message: often(text(2000), anyJson), extra: anyJson },
        { requiredKeys: ["code"] },
      ),
      anyJson,
    ),
    synthetic: often(fc.boolean(), anyJson),
    attributes,
    prospect: often(
      fc.record(
        {
          firstName: often(text(200), anyJson),
          lastName: text(200),
          email: text(320),
          phone: text(50),
          consentToCall: often(fc.boolean(), anyJson),
          notes: anyJson,
        },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
    unknownField: anyJson,
  },
  { requiredKeys: ["journey", "runId", "step", "outcome"] },
);
const extensions = fc.dictionary(
  often(
    fc.constantFrom("tenant", "traceparent", "x1", "data_base64", "constructor"),
    fc.oneof(fc.constantFrom("Bad-Name", "__proto__", "averyveryverylongextensionname"), fc.string()),
  ),
  often(fc.oneof(fc.string(), fc.integer(), fc.boolean()), anyJson),
  { maxKeys: 2 },
);
const candidate = fc
  .tuple(
    fc.record(
      {
        specversion: often(fc.constant("1.0"), fc.oneof(fc.constant("0.3"), anyJson)),
        id: often(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(text(200), anyJson)),
        source: often(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(text(500), anyJson)),
        type: often(fc.constant("vigie.step"), fc.oneof(fc.constant("other"), anyJson)),
        time,
        subject: often(text(500), anyJson),
        datacontenttype: often(
          fc.constantFrom("application/json", "application/cloudevents+json; charset=utf-8"),
          fc.oneof(fc.constant("text/plain"), anyJson),
        ),
        dataschema: often(text(500), anyJson),
        data: often(data, anyJson),
      },
      { requiredKeys: ["specversion", "id", "source", "type", "data"] },
    ),
    extensions,
  )
  // through JSON, as the server receives it
  .map(([event, more]) => JSON.parse(JSON.stringify({ ...more, ...event })) as unknown);

describe("the vigie.step fast path", () => {
  it("accepts exactly the events zod accepts, with the same parsed value", () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const zod = stepEventSchema.safeParse(value);
        const fast = readStepEvent(value);
        if (fast !== undefined) {
          expect(zod.success).toBe(true);
          expect(fast).toStrictEqual(zod.data);
        } else if (!JSON.stringify(value).includes('"__proto__"')) {
          // the fast path leaves "__proto__" keys to zod (the ingestion route refuses them before)
          expect(zod.success).toBe(false);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it("generates valid events often enough to exercise both answers", () => {
    const samples = fc.sample(candidate, 2_000);
    const valid = samples.filter((value) => stepEventSchema.safeParse(value).success).length;
    expect(valid).toBeGreaterThan(200);
    expect(valid).toBeLessThan(1_800);
  });

  it("strips the unknown fields of data, as zod does, without touching the input", () => {
    const input = {
      specversion: "1.0",
      id: "e1",
      source: "/app",
      type: "vigie.step",
      tenant: "bank",
      data: {
        journey: "j",
        runId: "r",
        step: "s",
        outcome: "ok",
        later: 1,
        prospect: { email: "a@b", x: 1 },
      },
    };
    const copy = structuredClone(input);
    const parsed = readStepEvent(input);
    expect(parsed).toStrictEqual({
      specversion: "1.0",
      id: "e1",
      source: "/app",
      type: "vigie.step",
      tenant: "bank",
      data: { journey: "j", runId: "r", step: "s", outcome: "ok", prospect: { email: "a@b" } },
    });
    expect(input).toStrictEqual(copy);
  });

  it("gives zod's error messages for an invalid event", () => {
    const result = parseStepEvent({ specversion: "1.0", id: "", source: "/a", type: "vigie.step", data: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["id", "data.journey", "data.outcome"]),
    );
  });
});
