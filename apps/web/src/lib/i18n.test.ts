import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, messagesOf } from "./i18n.ts";

// jsdom gives import.meta.url an http scheme: the source folder is found from the working directory.
const SRC = [resolve("apps/web/src"), resolve("src")].find((dir) => existsSync(join(dir, "lib", "i18n.ts")))!;

/** Every key of a message tree, plural forms folded into their base key. */
function keys(tree: Record<string, unknown>, prefix = ""): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}${key}`;
    if (value && typeof value === "object")
      for (const child of keys(value as Record<string, unknown>, `${path}.`)) out.add(child);
    else out.add(path.replace(/_(zero|one|two|few|many|other)$/, ""));
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.includes(".test.") ? [path] : [];
  });
}

describe("translations", () => {
  it("has the same keys in French and English", () => {
    const fr = [...keys(messagesOf("fr"))].sort();
    const en = [...keys(messagesOf("en"))].sort();
    expect(fr.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !fr.includes(key))).toEqual([]);
  });

  it('has every key the code asks for with a literal t("…") in both languages', () => {
    const known = keys(messagesOf("fr"));
    const used = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g))
        used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((key) => !known.has(key)).sort()).toEqual([]);
  });

  it("names every state the API can send", () => {
    const i18n = createI18n("en");
    const states = [
      "up",
      "degraded",
      "down",
      "under_exposed",
      "no_data",
      "unknown",
      "completed",
      "failed",
      "rejected",
      "abandoned",
      "in_progress",
      "open",
      "closed",
      "ok",
      "failing",
      "no_traffic",
    ];
    for (const state of states) expect(i18n.exists(`state.${state}`), state).toBe(true);
  });
});
