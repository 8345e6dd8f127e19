/** What one instance tells the others through PostgreSQL: which journeys changed, or "all of them". */
export type LiveNotice = { journeys: string[] } | { all: true };

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (with the default build). */
export const MAX_NOTICE_BYTES = 7999;

/**
 * The NOTIFY payload naming these journeys; when they would not fit in `maxBytes`, a notice that
 * everything changed instead (receivers refresh every journey, which is what so many names mean anyway).
 */
export function encodeNotice(journeys: string[], maxBytes = MAX_NOTICE_BYTES): string {
  const named = JSON.stringify({ journeys });
  return Buffer.byteLength(named) <= maxBytes ? named : JSON.stringify({ all: true });
}

/** Reads a NOTIFY payload; anything else on the channel (a stray or future format) is `undefined`. */
export function decodeNotice(payload: string | undefined): LiveNotice | undefined {
  if (!payload) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  if ((parsed as { all?: unknown }).all === true) return { all: true };
  const journeys = (parsed as { journeys?: unknown }).journeys;
  if (!Array.isArray(journeys)) return undefined;
  return { journeys: journeys.filter((journey): journey is string => typeof journey === "string") };
}
