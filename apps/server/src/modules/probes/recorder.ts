import type { EventsService } from "../events/service.js";
import { stepEventsOf } from "./events.js";
import type { ProbesRepository } from "./repository.js";
import type { ProbeRunResult } from "./results.js";

type StoredResult = ProbeRunResult & { trigger: "schedule" | "manual" };

/** Options of the run recorder; defaults in brackets. */
export interface RunRecorderOptions {
  repository: ProbesRepository;
  events: Pick<EventsService, "ingest">;
  /** Runs written per transaction at most [200]. */
  maxBatch?: number;
  /** How long a finished run may wait for others to share its transaction [50 ms]. */
  maxDelayMs?: number;
  log?: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
}

/**
 * Stores finished runs and ingests their events in batches: with thousands of probes, one commit
 * per batch instead of two per run keeps PostgreSQL (and the schedule) on time.
 */
export function createRunRecorder(options: RunRecorderOptions) {
  const maxBatch = options.maxBatch ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 50;
  const log = options.log ?? (() => undefined);
  let pending: { result: StoredResult; labels: Record<string, string>; done: () => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | undefined;

  async function writeBatch(batch: typeof pending): Promise<void> {
    try {
      await options.repository.insertRuns(batch.map((item) => item.result));
    } catch (error) {
      log("error", "probe runs not stored", { runs: batch.length, err: error });
    }
    const events = batch.flatMap((item) => stepEventsOf(item.result, item.labels));
    if (events.length > 0) {
      try {
        await options.events.ingest(events);
      } catch (error) {
        log("error", "probe events not ingested", { runs: batch.length, err: error });
      }
    }
    for (const item of batch) item.done();
  }

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (flushing) await flushing;
    if (pending.length === 0) return;
    const batch = pending.slice(0, maxBatch);
    pending = pending.slice(batch.length);
    flushing = writeBatch(batch).finally(() => {
      flushing = undefined;
    });
    await flushing;
    if (pending.length > 0) schedule();
  }

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => void flush(), pending.length >= maxBatch ? 0 : maxDelayMs);
  }

  return {
    /** Queues a run; resolves once it is stored and its events ingested (failures are logged). */
    record(result: StoredResult, labels: Record<string, string>): Promise<void> {
      return new Promise<void>((resolve) => {
        pending.push({ result, labels, done: resolve });
        if (pending.length >= maxBatch) {
          if (timer) clearTimeout(timer);
          timer = undefined;
        }
        schedule();
      });
    },
    /** Writes whatever is queued (shutdown). */
    async drain(): Promise<void> {
      while (pending.length > 0 || flushing) await flush();
    },
  };
}

export type RunRecorder = ReturnType<typeof createRunRecorder>;
