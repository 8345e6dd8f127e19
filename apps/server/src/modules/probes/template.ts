import { randomUUID } from "node:crypto";

/** A `{{name}}` in a probe names no variable, secret or built-in. */
export class UnknownVariableError extends Error {
  constructor(readonly variable: string) {
    super(
      `unknown variable "${variable}" (define it in variables, extract it in an earlier step, or add the secret)`,
    );
    this.name = "UnknownVariableError";
  }
}

/** Values a template can use: variables, `secrets.X`, and built-ins (`runId`, `uuid`, `timestamp`, `random`). */
export interface TemplateScope {
  vars: Record<string, string>;
  secrets: Readonly<Record<string, string>>;
  runId: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

function lookupValue(name: string, scope: TemplateScope): string {
  if (name.startsWith("secrets.")) {
    const secret = scope.secrets[name.slice(8)];
    if (secret === undefined) throw new UnknownVariableError(name);
    return secret;
  }
  if (Object.hasOwn(scope.vars, name)) return scope.vars[name]!;
  switch (name) {
    case "runId":
      return scope.runId;
    case "uuid":
      return randomUUID();
    case "timestamp":
      return String(Date.now());
    case "random":
      return String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
    default:
      throw new UnknownVariableError(name);
  }
}

/** Replaces every `{{name}}` in a text. */
export function renderTemplate(text: string, scope: TemplateScope): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => lookupValue(name, scope));
}

/** Renders every string inside a JSON value (keys untouched). */
export function renderJson(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === "string") return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, scope));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, scope)]));
  }
  return value;
}

/**
 * Reads a value with a small JSONPath subset: `$`, `.name`, `['name']`, `[index]` (negative counts
 * from the end). Returns undefined when any part is missing.
 */
export function readJsonPath(document: unknown, path: string): unknown {
  if (!path.startsWith("$")) throw new Error(`JSON path must start with $: ${path}`);
  const parts: (string | number)[] = [];
  const pattern = /\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(-?\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const at = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match)
      throw new Error(`JSON path not understood at "${path.slice(at)}" (supported: .name, [0], ['name'])`);
    if (match[1] !== undefined) parts.push(match[1]);
    else if (match[2] !== undefined) parts.push(Number(match[2]));
    else parts.push(match[3] ?? match[4]!);
  }
  let node: unknown = document;
  for (const part of parts) {
    if (node === null || node === undefined) return undefined;
    if (typeof part === "number") {
      if (!Array.isArray(node)) return undefined;
      node = node.at(part);
    } else {
      if (typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
      node = (node as Record<string, unknown>)[part];
    }
  }
  return node;
}

/** Replaces every secret value in a text, so that results and logs never show one. */
export function maskSecrets(text: string, secrets: Readonly<Record<string, string>>): string {
  let masked = text;
  for (const value of Object.values(secrets)) {
    if (value.length >= 4) masked = masked.split(value).join("[secret]");
  }
  return masked;
}
