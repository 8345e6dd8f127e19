import { describe, expect, it } from "vitest";
import { decodeNotice, encodeNotice, MAX_NOTICE_BYTES } from "./notice.js";

describe("live notices", () => {
  it("name the journeys that changed and read back the same", () => {
    const payload = encodeNotice(["cco-subscription", "savings"]);
    expect(decodeNotice(payload)).toEqual({ journeys: ["cco-subscription", "savings"] });
  });

  it("say 'everything' instead of names that would not fit in a PostgreSQL notice", () => {
    const journeys = Array.from({ length: 400 }, (_, n) => `journey-with-a-rather-long-key-${n}`);
    const payload = encodeNotice(journeys);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    expect(decodeNotice(payload)).toEqual({ all: true });
  });

  it("count the limit in bytes, not characters", () => {
    const accented = ["é".repeat(30)];
    const bytes = Buffer.byteLength(JSON.stringify({ journeys: accented }));
    expect(decodeNotice(encodeNotice(accented, bytes))).toEqual({ journeys: accented });
    expect(decodeNotice(encodeNotice(accented, bytes - 1))).toEqual({ all: true });
  });

  it("ignore payloads of another shape", () => {
    expect(decodeNotice(undefined)).toBeUndefined();
    expect(decodeNotice("not json")).toBeUndefined();
    expect(decodeNotice("42")).toBeUndefined();
    expect(decodeNotice('{"journeys":"cco"}')).toBeUndefined();
    expect(decodeNotice('{"journeys":["cco",7]}')).toEqual({ journeys: ["cco"] });
  });
});
