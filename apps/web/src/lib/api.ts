/**
 * The one way the web app talks to the Vigie API: same-origin, with the session cookie, JSON in and
 * out, errors as {@link ApiError} built from the server's problem+json body.
 */

/** A problem+json answer (RFC 9457) as the server sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  [extra: string]: unknown;
}

/** An API call that did not succeed; `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** Called before every request; may add headers (e.g. the CSRF token on state-changing calls). */
export type RequestHook = (request: { method: string; path: string; headers: Headers }) => void;

const requestHooks: RequestHook[] = [];
const unauthorizedHandlers: ((error: ApiError) => void)[] = [];

/** Registers a hook run before every API request; returns a function that removes it. */
export function addRequestHook(hook: RequestHook): () => void {
  requestHooks.push(hook);
  return () => requestHooks.splice(requestHooks.indexOf(hook) >>> 0, 1);
}

/** Registers what to do when the API answers 401 (e.g. go to the sign-in page); returns a remover. */
export function onUnauthorized(handler: (error: ApiError) => void): () => void {
  unauthorizedHandlers.push(handler);
  return () => unauthorizedHandlers.splice(unauthorizedHandlers.indexOf(handler) >>> 0, 1);
}

/** Query-string values: undefined and empty strings are left out, arrays repeat the key. */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** Builds `path?query` from an object, leaving empty values out. */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers = new Headers({ accept: "application/json, application/problem+json" });
  if (body !== undefined) headers.set("content-type", "application/json");
  for (const hook of requestHooks) hook({ method, path, headers });
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, { title: "Network error", detail: (error as Error).message, code: "network" });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem: Problem =
      parsed && typeof parsed === "object" ? (parsed as Problem) : { title: response.statusText };
    const error = new ApiError(response.status, { status: response.status, ...problem });
    if (response.status === 401) for (const handler of unauthorizedHandlers) handler(error);
    throw error;
  }
  return parsed as T;
}

/** GET a JSON resource. */
export function apiGet<T>(
  path: string,
  query?: Record<string, QueryValue>,
  signal?: AbortSignal,
): Promise<T> {
  return request<T>("GET", withQuery(path, query), undefined, signal);
}

/** POST, PUT, PATCH or DELETE with an optional JSON body. */
export function apiSend<T>(
  method: "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  return request<T>(method, path, body);
}
