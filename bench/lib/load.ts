import { performance } from "node:perf_hooks";
import type { Pool } from "undici";

/** One prepared request of a load run; `units` is what it carries (e.g. events), for rates. */
export interface PreparedRequest {
  method?: "POST" | "GET" | "PUT";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  units: number;
}

/** What a load run observed. Latencies are in milliseconds. */
export interface LoadResult {
  requests: number;
  /** Units of the requests answered 2xx. */
  units: number;
  failures: number;
  /** Open loop: requests still unanswered `drainTimeoutMs` after the last was due, then abandoned. */
  abandoned: number;
  /** Requests answered 503 and sent again (closed loop with `retryUnavailable`). */
  retries: number;
  /** Status and body of the first failure, to tell why. */
  firstFailure?: string;
  elapsedMs: number;
  latenciesMs: number[];
  /** Parsed 2xx bodies, when `keepBodies` was asked. */
  bodies: unknown[];
}

async function send(
  pool: Pool,
  request: PreparedRequest,
  signal?: AbortSignal,
): Promise<{ status: number; text: string; retryAfter: number }> {
  const response = await pool.request({
    method: request.method ?? "POST",
    path: request.path,
    headers: request.headers,
    body: request.body,
    signal,
  });
  const retryAfter = Number(response.headers["retry-after"] ?? 1) || 1;
  return { status: response.statusCode, text: await response.body.text(), retryAfter };
}

function emptyResult(): LoadResult {
  return {
    requests: 0,
    units: 0,
    failures: 0,
    abandoned: 0,
    retries: 0,
    elapsedMs: 0,
    latenciesMs: [],
    bodies: [],
  };
}

function record(result: LoadResult, request: PreparedRequest, status: number, text: string, keep: boolean) {
  result.requests += 1;
  if (status >= 200 && status < 300) {
    result.units += request.units;
    if (keep) result.bodies.push(JSON.parse(text));
  } else {
    result.failures += 1;
    result.firstFailure ??= `${status} ${text.slice(0, 500)}`;
  }
}

/**
 * Closed loop: `concurrency` senders each send the next prepared request as soon as their previous
 * one is answered, until `durationMs` is over or the requests run out. In-flight requests finish.
 * With `retryUnavailable`, a 503 is sent again after its Retry-After (at most 1 s), as a well-behaved
 * client does; its latency counts from the first attempt.
 */
export async function closedLoop(
  pool: Pool,
  requests: PreparedRequest[],
  options: { concurrency: number; durationMs: number; keepBodies?: boolean; retryUnavailable?: boolean },
): Promise<LoadResult> {
  const result = emptyResult();
  const started = performance.now();
  const until = started + options.durationMs;
  let next = 0;
  const sender = async () => {
    while (performance.now() < until && next < requests.length) {
      const request = requests[next++]!;
      const sentAt = performance.now();
      try {
        let { status, text, retryAfter } = await send(pool, request);
        while (status === 503 && options.retryUnavailable) {
          result.retries += 1;
          await new Promise((r) => setTimeout(r, Math.min(1000, retryAfter * 1000)));
          ({ status, text, retryAfter } = await send(pool, request));
        }
        result.latenciesMs.push(performance.now() - sentAt);
        record(result, request, status, text, options.keepBodies ?? false);
      } catch (error) {
        record(result, request, 0, String(error), false);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  result.elapsedMs = performance.now() - started;
  return result;
}

/**
 * Open loop: request `i` is due at `i × intervalMs` from the start whatever the answers, and its
 * latency counts from when it was due (not when it could be sent), so a slow server cannot hide its
 * queue (no coordinated omission). Requests still unanswered `drainTimeoutMs` [30 s] after the last
 * one was due are abandoned: counted apart, with the time waited so far as their latency.
 */
export async function openLoop(
  pool: Pool,
  requests: PreparedRequest[],
  options: { intervalMs: number; keepBodies?: boolean; drainTimeoutMs?: number },
): Promise<LoadResult> {
  const result = emptyResult();
  const started = performance.now();
  const abort = new AbortController();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const due = started + i * options.intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const request = requests[i]!;
    inFlight.push(
      send(pool, request, abort.signal).then(
        ({ status, text }) => {
          result.latenciesMs.push(performance.now() - due);
          record(result, request, status, text, options.keepBodies ?? false);
        },
        (error) => {
          if (abort.signal.aborted) {
            result.abandoned += 1;
            result.latenciesMs.push(performance.now() - due);
          } else {
            record(result, request, 0, String(error), false);
          }
        },
      ),
    );
  }
  const drained = Promise.all(inFlight);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((r) => {
    timer = setTimeout(() => r("timeout"), options.drainTimeoutMs ?? 30_000);
  });
  if ((await Promise.race([drained, timeout])) === "timeout") abort.abort();
  clearTimeout(timer);
  await drained;
  result.elapsedMs = performance.now() - started;
  return result;
}
