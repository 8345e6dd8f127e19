import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestHeaders,
  startTestApp,
  stepEvent,
  TEST_INGEST_KEY,
  type TestApp,
  testConfig,
} from "../../../test/harness.js";

// Small limits so that "too large" is cheap to reach.
const BODY_LIMIT = 32_768;
const MAX_BATCH = 20;

const STRUCTURED = "application/cloudevents+json";
const BATCH = "application/cloudevents-batch+json";

let vigie: TestApp;

beforeAll(async () => {
  vigie = await startTestApp(
    testConfig({
      server: { bodyLimitBytes: BODY_LIMIT },
      ingest: { keys: [{ name: "test", key: TEST_INGEST_KEY }], maxBatchEvents: MAX_BATCH },
    }),
  );
});
afterAll(() => vigie?.close());

interface Send {
  body?: string;
  headers: Record<string, string>;
}

function send({ body, headers }: Send) {
  return vigie.app.inject({ method: "POST", url: "/api/v1/events", headers, payload: body });
}

/** A valid event with one field removed (dotted path). */
function without(path: string): Record<string, unknown> {
  const event = stepEvent({ source: "/malformed" });
  const [head, tail] = path.split(".");
  if (tail) delete (event[head!] as Record<string, unknown>)[tail];
  else delete event[head!];
  return event;
}

/** A valid event with one field replaced (dotted path). */
function withField(path: string, value: unknown): Record<string, unknown> {
  const event = stepEvent({ source: "/malformed" });
  const [head, tail] = path.split(".");
  if (tail) (event[head!] as Record<string, unknown>)[tail] = value;
  else event[head!] = value;
  return event;
}

const structured = (event: unknown): Send => ({
  body: JSON.stringify(event),
  headers: ingestHeaders(STRUCTURED),
});
const batch = (events: unknown): Send => ({ body: JSON.stringify(events), headers: ingestHeaders(BATCH) });
const rawBody = (body: string, contentType: string): Send => ({ body, headers: ingestHeaders(contentType) });

const binaryHeaders = {
  "ce-specversion": "1.0",
  "ce-id": "bin-malformed",
  "ce-source": "/malformed/binary",
  "ce-type": "vigie.step",
};
const binaryData = { journey: "cco-subscription", runId: "r-1", step: "identity", outcome: "ok" };
const binary = (headers: Record<string, string>, body: string = JSON.stringify(binaryData)): Send => ({
  body,
  headers: { ...ingestHeaders("application/json"), ...headers },
});

interface Case {
  name: string;
  request: Send;
  status: number;
  code: string;
  /** Expected `errors` (exactly, reasons matched loosely when given as `expect.any`). */
  errors?: unknown[];
  /** Text the detail must contain. */
  detail?: RegExp;
}

const anyReason = expect.any(String);
const REQUIRED = [
  "specversion",
  "id",
  "source",
  "type",
  "data.journey",
  "data.runId",
  "data.step",
  "data.outcome",
];

const cases: Case[] = [
  // content type
  {
    name: "a text/plain body",
    request: rawBody(JSON.stringify(stepEvent()), "text/plain"),
    status: 415,
    code: "unsupported_media_type",
    detail: /text\/plain/,
  },
  {
    name: "an application/xml body",
    request: rawBody("<event/>", "application/xml"),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a body without a content type",
    request: { body: JSON.stringify(stepEvent()), headers: { authorization: `Bearer ${TEST_INGEST_KEY}` } },
    status: 415,
    code: "unsupported_media_type",
  },
  // JSON itself
  {
    name: "invalid JSON in structured mode",
    request: rawBody('{"specversion": "1.0",', STRUCTURED),
    status: 400,
    code: "invalid_json",
    detail: /not valid JSON/,
  },
  {
    name: "invalid JSON in batch mode",
    request: rawBody("[{]", BATCH),
    status: 400,
    code: "invalid_json",
  },
  {
    name: "invalid JSON in binary mode",
    request: binary(binaryHeaders, "{journey: cco}"),
    status: 400,
    code: "invalid_json",
  },
  { name: "an empty structured body", request: rawBody("", STRUCTURED), status: 400, code: "empty_body" },
  { name: "an empty batch body", request: rawBody("", BATCH), status: 400, code: "empty_body" },
  { name: "a blank binary body", request: binary(binaryHeaders, "  \n"), status: 400, code: "empty_body" },
  // required attributes, one by one
  ...REQUIRED.map(
    (field): Case => ({
      name: `an event without ${field}`,
      request: structured(without(field)),
      status: 400,
      code: "validation_failed",
      errors: [{ index: 0, field, reason: anyReason }],
    }),
  ),
  {
    name: "an event without data",
    request: structured(without("data")),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "data", reason: anyReason }],
  },
  {
    name: "a batch whose third event lacks data.runId",
    request: batch([stepEvent(), stepEvent(), without("data.runId")]),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 2, field: "data.runId", reason: anyReason }],
    detail: /1 of 3/,
  },
  ...["id", "source", "type"].map(
    (field): Case => ({
      name: `a binary event without ce-${field}`,
      request: binary(
        Object.fromEntries(Object.entries(binaryHeaders).filter(([name]) => name !== `ce-${field}`)),
      ),
      status: 400,
      code: "validation_failed",
      errors: [{ index: 0, field, reason: anyReason }],
    }),
  ),
  ...["journey", "runId", "step", "outcome"].map(
    (field): Case => ({
      name: `a binary event whose data lacks ${field}`,
      request: binary(binaryHeaders, JSON.stringify({ ...binaryData, [field]: undefined })),
      status: 400,
      code: "validation_failed",
      errors: [{ index: 0, field: `data.${field}`, reason: anyReason }],
    }),
  ),
  // journeys
  {
    name: "an unknown journey",
    request: structured(withField("data.journey", "mortgage")),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "data.journey", reason: 'unknown journey "mortgage"' }],
  },
  {
    name: "an unknown step",
    request: structured(withField("data.step", "payment")),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "data.step", reason: 'journey "cco-subscription" has no step "payment"' }],
  },
  // wrong types
  ...(
    [
      ["id", 42],
      ["source", ["/a"]],
      ["specversion", "0.3"],
      ["specversion", 1],
      ["type", "vigie.other"],
      ["time", "yesterday"],
      ["time", "2026-13-45T99:99:99Z"],
      ["data", "not an object"],
      ["data.journey", 7],
      ["data.runId", ""],
      ["data.outcome", "maybe"],
      ["data.durationMs", "fast"],
      ["data.durationMs", -1],
      ["data.synthetic", "yes"],
      ["data.attributes", ["web"]],
      ["data.error", "boom"],
      ["data.prospect", "Léa"],
      ["tenant", { nested: true }],
      ["bad_name", "x"],
    ] as const
  ).map(
    ([field, value]): Case => ({
      name: `${field} set to ${JSON.stringify(value)}`,
      request: structured(withField(field, value)),
      status: 400,
      code: "validation_failed",
      errors: [expect.objectContaining({ index: 0, field: expect.stringMatching(new RegExp(`^${field}`)) })],
    }),
  ),
  {
    name: "a batch holding a number, a string and null",
    request: batch([stepEvent(), 42, "event", null]),
    status: 400,
    code: "validation_failed",
    errors: [
      { index: 1, field: "", reason: anyReason },
      { index: 2, field: "", reason: anyReason },
      { index: 3, field: "", reason: anyReason },
    ],
  },
  {
    name: "a structured body that is an array",
    request: structured([stepEvent()]),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "", reason: anyReason }],
  },
  // batch shape and size
  {
    name: "a batch that is an object, not an array",
    request: batch(stepEvent()),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "", reason: "expected an array" }],
  },
  {
    name: "a body larger than server.bodyLimitBytes",
    request: batch([withField("data.runId", "x".repeat(BODY_LIMIT))]),
    status: 413,
    code: "payload_too_large",
    detail: new RegExp(`${BODY_LIMIT} bytes`),
  },
  {
    name: "a batch of more events than ingest.maxBatchEvents",
    request: batch(Array.from({ length: MAX_BATCH + 1 }, () => stepEvent())),
    status: 413,
    code: "batch_too_large",
    detail: new RegExp(`${MAX_BATCH + 1} events; at most ${MAX_BATCH}`),
  },
  // prototype pollution, at every level
  {
    name: "__proto__ at the top of an event",
    request: rawBody(`{"__proto__": {"admin": true}, ${JSON.stringify(stepEvent()).slice(1)}`, STRUCTURED),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "__proto__", reason: 'forbidden key "__proto__"' }],
    detail: /"__proto__"/,
  },
  {
    name: "__proto__ inside data",
    request: rawBody(
      JSON.stringify(stepEvent()).replace('"data":{', '"data":{"__proto__":{"x":1},'),
      STRUCTURED,
    ),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "data.__proto__", reason: 'forbidden key "__proto__"' }],
  },
  {
    name: "__proto__ inside data.attributes",
    request: rawBody(
      JSON.stringify(stepEvent({}, { attributes: { channel: "web" } })).replace(
        '"attributes":{',
        '"attributes":{"__proto__":"x",',
      ),
      STRUCTURED,
    ),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "data.attributes.__proto__", reason: 'forbidden key "__proto__"' }],
  },
  {
    name: "constructor.prototype at the top of an event",
    request: structured({ ...stepEvent(), constructor: { prototype: { admin: true } } }),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "constructor.prototype", reason: 'forbidden key "constructor.prototype"' }],
    detail: /"constructor\.prototype"/,
  },
  {
    name: "constructor.prototype inside data.prospect",
    request: structured(withField("data.prospect", { constructor: { prototype: { polluted: 1 } } })),
    status: 400,
    code: "forbidden_key",
    errors: [
      {
        index: 0,
        field: "data.prospect.constructor.prototype",
        reason: 'forbidden key "constructor.prototype"',
      },
    ],
  },
  {
    name: "__proto__ in the second event of a batch",
    request: rawBody(`[${JSON.stringify(stepEvent())},{"__proto__":{}}]`, BATCH),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 1, field: "__proto__", reason: 'forbidden key "__proto__"' }],
  },
  {
    name: "__proto__ in a binary-mode body",
    request: binary(binaryHeaders, '{"journey":"cco-subscription","__proto__":{"x":1}}'),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "data.__proto__", reason: 'forbidden key "__proto__"' }],
  },
  {
    name: "a ce-__proto__ header",
    request: binary({ ...binaryHeaders, "ce-__proto__": "x" }),
    status: 400,
    code: "forbidden_key",
    errors: [{ index: 0, field: "__proto__", reason: 'forbidden key "__proto__"' }],
  },
  // binary mode headers
  {
    name: "binary mode without ce-specversion",
    request: binary({ "ce-id": "x", "ce-source": "/s", "ce-type": "vigie.step" }),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "specversion", reason: "missing ce-specversion header (binary mode)" }],
  },
  {
    name: "a ce-source header with bad percent-encoding",
    request: binary({ ...binaryHeaders, "ce-source": "/bad%E0%A4%A" }),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "source", reason: "ce-source header is not valid percent-encoding" }],
  },
  {
    name: "a percent-encoded NUL in a ce-id header",
    request: binary({ ...binaryHeaders, "ce-id": "a%00b" }),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "id", reason: expect.stringMatching(/NUL/) }],
  },
  // text PostgreSQL cannot store
  {
    name: "a NUL character in data.runId",
    request: structured(withField("data.runId", "run\u0000one")),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 0, field: "data.runId", reason: expect.stringMatching(/NUL/) }],
  },
  {
    name: "a lone surrogate in the source of the second event",
    request: rawBody(
      `[${JSON.stringify(stepEvent())},${JSON.stringify(stepEvent()).replace('"/tests/app"', '"/a\\ud800"')}]`,
      BATCH,
    ),
    status: 400,
    code: "validation_failed",
    errors: [{ index: 1, field: "source", reason: expect.stringMatching(/surrogate/) }],
  },
  {
    name: "an extension nested 10,000 levels deep",
    request: rawBody(
      JSON.stringify({ ...stepEvent(), tenant: 1 }).replace(
        '"tenant":1',
        `"tenant":${"[".repeat(10_000)}${"]".repeat(10_000)}`,
      ),
      STRUCTURED,
    ),
    status: 400,
    code: "validation_failed",
    errors: [expect.objectContaining({ index: 0, field: "tenant" })],
  },
  // ingest key
  {
    name: "no Authorization header",
    request: { body: JSON.stringify(stepEvent()), headers: { "content-type": STRUCTURED } },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a wrong bearer key",
    request: {
      ...structured(stepEvent()),
      headers: { ...ingestHeaders(STRUCTURED), authorization: "Bearer nope-nope-nope-nope" },
    },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "the right key under another scheme",
    request: {
      ...structured(stepEvent()),
      headers: { ...ingestHeaders(STRUCTURED), authorization: `Basic ${TEST_INGEST_KEY}` },
    },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "a wrong key with an unparsable body (the key is checked first)",
    request: { body: "{", headers: { "content-type": STRUCTURED, authorization: "Bearer wrong" } },
    status: 401,
    code: "unauthorized",
  },
];

async function countEvents(source: string): Promise<number> {
  const row = await vigie.database.db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("source", "like", `${source}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("POST /api/v1/events refuses malformed input", () => {
  it.each(cases)("answers $status $code to $name", async ({ request, status, code, errors, detail }) => {
    const response = await send(request);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect({ status: response.statusCode, code: problem.code }).toEqual({ status, code });
    expect(problem).toMatchObject({ status, type: `https://vigie.dev/problems/${code}` });
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
    if (errors) expect(problem.errors).toEqual(errors);
    if (detail) expect(problem.detail).toMatch(detail);
  });

  it("stores nothing from any refused request", async () => {
    for (const { request } of cases) await send(request);
    expect(await countEvents("/malformed")).toBe(0);
  });

  it("pollutes no prototype while refusing __proto__ keys", async () => {
    await send(
      rawBody('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}', STRUCTURED),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: whatever a client sends, the answer is 200 or a 4xx problem, never a 5xx.

const printable = fc.string({
  unit: fc.constantFrom(..."abcXYZ019 -_./:%+;=,\"'{}[]#@!?~*\t".split("")),
  maxLength: 30,
});
const anyText = fc.oneof(printable, fc.string({ unit: "binary", maxLength: 30 }), fc.constant("\u0000"));
const scalar = fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const junk = fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }));

const validTime = fc
  .integer({ min: -300 * 86_400_000, max: 60_000 })
  .map((offset) => new Date(Date.now() + offset).toISOString());
const validData = fc.record(
  {
    journey: fc.constant("cco-subscription"),
    runId: fc.string({ minLength: 1, maxLength: 20 }),
    step: fc.constantFrom(
      "landing",
      "identity",
      "contact",
      "offer",
      "documents",
      "signature",
      "account-opened",
    ),
    outcome: fc.constantFrom("started", "ok", "error", "rejected"),
    durationMs: fc.integer({ min: 0, max: 86_400_000 }),
    synthetic: fc.boolean(),
    attributes: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    error: fc.record({
      code: fc.string({ minLength: 1, maxLength: 10 }),
      message: fc.string({ maxLength: 30 }),
    }),
    prospect: fc.record(
      {
        firstName: fc.string({ maxLength: 10 }),
        email: fc.string({ maxLength: 20 }),
        consentToCall: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["journey", "runId", "step", "outcome"] },
);
const validEvent = fc.record(
  {
    specversion: fc.constant("1.0"),
    id: fc.uuid(),
    source: fc.constantFrom("/fuzz/a", "/fuzz/b", "/fuzz/c"),
    type: fc.constant("vigie.step"),
    time: validTime,
    subject: fc.string({ maxLength: 20 }),
    tenant: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()),
    data: validData,
  },
  { requiredKeys: ["specversion", "id", "source", "type", "data"] },
);
const FIELDS = [
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "data",
  "subject",
  "__proto__",
  "constructor",
  "x_y",
];
const DATA_FIELDS = [
  "journey",
  "runId",
  "step",
  "outcome",
  "durationMs",
  "attributes",
  "prospect",
  "error",
  "__proto__",
];
/** A valid event with a few fields deleted or replaced by junk, at the top or inside data. */
const mutatedEvent = fc
  .tuple(
    validEvent,
    fc.array(
      fc.tuple(fc.boolean(), fc.constantFrom(...FIELDS), fc.constantFrom(...DATA_FIELDS), fc.option(junk)),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([event, mutations]) => {
    const copy: Record<string, unknown> = { ...event, data: { ...event.data } };
    for (const [inData, field, dataField, value] of mutations) {
      const target = inData ? (copy.data as Record<string, unknown>) : copy;
      if (target === null || typeof target !== "object") continue;
      const key = inData ? dataField : field;
      if (value === null) delete target[key];
      else
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  });
const eventLike = fc.oneof(
  { weight: 4, arbitrary: validEvent as fc.Arbitrary<unknown> },
  { weight: 4, arbitrary: mutatedEvent as fc.Arbitrary<unknown> },
  { weight: 1, arbitrary: junk },
);

/** Serialises a body, sometimes damaged: truncated, with a key injected as text, or replaced. */
const serialised = (value: unknown) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(JSON.stringify(value) ?? "") },
    {
      weight: 1,
      arbitrary: fc
        .nat()
        .map((cut) =>
          (JSON.stringify(value) ?? "").slice(0, cut % ((JSON.stringify(value) ?? "").length + 1)),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '"__proto__":{"p":1},',
          '"constructor":{"prototype":{}},',
          '"a":"\\u0000",',
          '"s":"\\udc00",',
        )
        .map((key) => (JSON.stringify(value) ?? "{}").replace(/\{/, `{${key}`)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  );

const contentTypes = fc.oneof(
  fc.constantFrom(
    STRUCTURED,
    BATCH,
    "application/json",
    `${STRUCTURED}; charset=utf-8`,
    "APPLICATION/CLOUDEVENTS-BATCH+JSON",
    "application/vnd.bank+json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    "",
  ),
  printable,
);

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(`Bearer ${TEST_INGEST_KEY}`) },
  { weight: 1, arbitrary: fc.option(printable) },
) as fc.Arbitrary<string | null>;

const ceHeaderNames = fc.constantFrom(
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "tenant",
  "__proto__",
  "data",
  "x_y",
);
const ceHeaders = fc.dictionary(
  ceHeaderNames.map((n) => `ce-${n}`),
  fc.oneof(printable, fc.constantFrom("1.0", "vigie.step", "/fuzz/bin", "%ZZ", "%00", "%E2%82", "caf%C3%A9")),
  { maxKeys: 6 },
);

const request = fc.oneof(
  // structured: one event
  eventLike.chain((event) =>
    fc.record({
      contentType: fc.constant(STRUCTURED),
      body: serialised(event),
      ce: fc.constant({}),
      authorization,
    }),
  ),
  // batch: a few events, valid and invalid mixed
  fc.array(eventLike, { maxLength: 8 }).chain((events) =>
    fc.record({
      contentType: fc.constant(BATCH),
      body: serialised(events),
      ce: fc.constant({}),
      authorization,
    }),
  ),
  // binary: valid or random ce-* headers and data
  fc.oneof(validEvent as fc.Arbitrary<Record<string, unknown>>, mutatedEvent).chain((event) =>
    fc.record({
      contentType: fc.constantFrom("application/json", "application/vnd.bank+json"),
      body: serialised(event.data),
      ce: fc.oneof(
        fc.constant(
          Object.fromEntries(
            Object.entries(event)
              .filter(([k, v]) => k !== "data" && typeof v === "string" && /^[\x20-\x7e]*$/.test(v))
              .map(([k, v]) => [`ce-${k}`, encodeURIComponent(v as string)]),
          ),
        ),
        ceHeaders,
      ),
      authorization,
    }),
  ),
  // anything at all
  fc.record({
    contentType: contentTypes,
    body: fc.oneof(
      fc.string({ maxLength: 200 }),
      junk.map((j) => JSON.stringify(j) ?? ""),
    ),
    ce: ceHeaders,
    authorization,
  }),
);

describe("POST /api/v1/events under random input", () => {
  // The requests are drawn from the generator up front (seed printed on failure, to replay them) and
  // sent 8 at a time: the valid ones share transactions as real traffic does, which keeps this fast.
  it("answers 200 or a 4xx problem to 10,000 random requests, never a 5xx", {
    timeout: 300_000,
  }, async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    const started = performance.now();
    const requests = fc.sample(request, { numRuns: 10_000, seed });
    const generated = performance.now();
    const statuses = new Map<number, number>();
    const wrong: { request: (typeof requests)[number]; status: number; body: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < requests.length) {
          const sent = requests[next++]!;
          const headers: Record<string, string> = { ...sent.ce };
          if (sent.contentType) headers["content-type"] = sent.contentType;
          if (sent.authorization !== null) headers.authorization = sent.authorization;
          const response = await vigie.app.inject({
            method: "POST",
            url: "/api/v1/events",
            headers,
            payload: sent.body,
          });
          const status = response.statusCode;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const isProblem =
            /^application\/problem\+json/.test(String(response.headers["content-type"])) &&
            typeof response.json().code === "string";
          const isResult = status === 200 && Number.isInteger(response.json().accepted);
          if (!(isResult || (status >= 400 && status < 500 && isProblem))) {
            wrong.push({ request: sent, status, body: response.body });
          }
        }
      }),
    );
    const timing = `generated in ${Math.round(generated - started)} ms, answered in ${Math.round(performance.now() - generated)} ms`;
    console.info(
      `fast-check seed ${seed}; ${timing}; answers by status:`,
      Object.fromEntries([...statuses].sort()),
    );
    expect(wrong.slice(0, 3), `fast-check seed ${seed}: ${wrong.length} wrong answer(s)`).toEqual([]);
    // The generator must reach both sides: stored events and refusals.
    expect(statuses.get(200)).toBeGreaterThan(500);
    expect(statuses.get(400)).toBeGreaterThan(500);
  });

  it("is still ready and still stores a valid event after the random requests", async () => {
    expect((await vigie.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
    const response = await send(structured(stepEvent({ source: "/after-fuzz" })));
    expect(response.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await countEvents("/after-fuzz")).toBe(1);
  });
});
