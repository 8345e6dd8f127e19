/**
 * The only template language of notifications: `{{name}}` replaced by a named value, nothing else.
 * No expressions, no helpers, no property paths, no second pass: a value that itself contains
 * `{{…}}`, `<script>` or `${…}` (error messages come from event data) is printed, never run.
 */

/** How values are escaped for the medium the text goes to. */
export type Escaping = "text" | "html" | "slack" | "markdown";

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SLACK: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** Escapes a value for the given medium. */
export function escapeFor(text: string, escaping: Escaping): string {
  switch (escaping) {
    case "html":
      return escapeHtml(text);
    case "slack":
      return text.replace(/[&<>]/g, (c) => SLACK[c]!);
    case "markdown":
      return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);
    default:
      return text;
  }
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

/** Names used by a template that are not among the `known` ones (to refuse a template early). */
export function unknownPlaceholders(template: string, known: readonly string[]): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  return [...new Set(names.filter((name) => !known.includes(name)))];
}

/**
 * Fills a template in one pass: each `{{name}}` becomes the escaped value, or stays empty when the
 * name is unknown. Values are looked up as own properties only, so `{{constructor}}` or
 * `{{__proto__}}` give nothing.
 */
export function fillTemplate(template: string, values: Record<string, string>, escaping: Escaping): string {
  return template.replace(PLACEHOLDER, (_match, name: string) =>
    Object.hasOwn(values, name) ? escapeFor(values[name]!, escaping) : "",
  );
}
