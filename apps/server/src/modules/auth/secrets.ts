/** What every API answer shows in place of a secret that is set. */
export const MASK = "********";

type Path = string; // dotted, e.g. "smtp.password"; "channels[].secret" for every item of an array

function walk(
  value: unknown,
  parts: string[],
  visit: (holder: Record<string, unknown>, key: string) => void,
): void {
  if (value === null || typeof value !== "object") return;
  const [head, ...rest] = parts as [string, ...string[]];
  const arrayItems = head.endsWith("[]");
  const key = arrayItems ? head.slice(0, -2) : head;
  const holder = value as Record<string, unknown>;
  if (rest.length === 0 && !arrayItems) {
    visit(holder, key);
    return;
  }
  const next = holder[key];
  if (arrayItems && Array.isArray(next)) for (const item of next) walk(item, rest, visit);
  else walk(next, rest, visit);
}

const clone = <T>(value: T): T => structuredClone(value);

/** A copy of `value` with the secret at each path replaced by MASK (an unset secret stays unset). */
export function maskSecrets<T>(value: T, paths: Path[]): T {
  const copy = clone(value);
  for (const path of paths) {
    walk(copy, path.split("."), (holder, key) => {
      if (holder[key] !== undefined && holder[key] !== null && holder[key] !== "") holder[key] = MASK;
    });
  }
  return copy;
}

/**
 * For a save: wherever the incoming value still holds MASK (the form sent back what it was shown),
 * puts back the stored secret, so that saving a form never overwrites a secret with asterisks.
 * Arrays are matched by position.
 */
export function keepMaskedSecrets<T>(incoming: T, stored: unknown, paths: Path[]): T {
  const copy = clone(incoming);
  for (const path of paths) {
    const parts = path.split(".");
    // Pair each masked place in `copy` with the same place in `stored`.
    const storedValues: unknown[] = [];
    walk(stored, parts, (holder, key) => storedValues.push(holder[key]));
    let index = 0;
    walk(copy, parts, (holder, key) => {
      const previous = storedValues[index];
      index += 1;
      if (holder[key] === MASK) {
        if (previous === undefined) delete holder[key];
        else holder[key] = previous;
      }
    });
  }
  return copy;
}
