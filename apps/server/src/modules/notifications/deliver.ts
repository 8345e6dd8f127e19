import type { AudienceCatalogue } from "../audiences/catalogue.js";
import { formatDelivery } from "./channels.js";
import type { Notice } from "./messages.js";
import type { NotificationRow, NotificationsRepository, OutboxEntry } from "./repository.js";
import type { Sender } from "./sender.js";

/** Delivery settings (from `alerting.delivery`); defaults are stated there. */
export interface DeliveryOptions {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
  deadAfter: number;
  timeZone: string;
}

/** Delay before attempt `attempt + 1`: doubled each time from the first, capped. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

interface Log {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Delivers the outbox. Each notification is claimed with a lease before sending and settled after,
 * so a restarted process takes over only what was not delivered; receivers get an
 * `Idempotency-Key` per notification for the one case no sender can exclude (a crash between the
 * receiver's answer and the settlement).
 */
export function createDeliverer(deps: {
  repository: NotificationsRepository;
  audiences: AudienceCatalogue;
  sender: Sender;
  options: DeliveryOptions;
  now?: () => Date;
  log?: Log;
  /** Called after each settled attempt (metrics, benchmarks). */
  onSettled?: (row: NotificationRow, outcome: string) => void;
}) {
  const now = deps.now ?? (() => new Date());
  const { options } = deps;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function channelDownNotices(dead: NotificationRow, error: string, at: Date): OutboxEntry[] {
    const notice: Notice = {
      kind: "channel-down",
      alertId: null,
      ruleKey: null,
      ruleKind: null,
      severity: "page",
      journey: null,
      journeyName: null,
      step: null,
      stepName: null,
      since: at.toISOString(),
      at: at.toISOString(),
      resolvedAt: null,
      prospectsAffected: null,
      facts: { audience: dead.audience, channel: dead.channel, channelKind: dead.channelKind, error },
      link: dead.message.link.replace(/\/alerts\/.*$/, "/notifications"),
    };
    const own = deps.audiences.get(dead.audience)?.channels.filter((c) => c.key !== dead.channel) ?? [];
    const targets = own.length
      ? own.map((c) => ({ audience: dead.audience, channel: c }))
      : deps.audiences
          .list()
          .filter((a) => a.key !== dead.audience)
          .flatMap((a) => a.channels.map((c) => ({ audience: a.key, channel: c })));
    return targets.map((t) => ({
      alertId: null,
      notice,
      audience: t.audience,
      channel: t.channel.key,
      channelKind: t.channel.kind,
    }));
  }

  async function deliverOne(row: NotificationRow): Promise<void> {
    const startedAt = now();
    const audience = deps.audiences.get(row.audience);
    const channel = deps.audiences.channel(row.audience, row.channel);
    let result: {
      outcome: "delivered" | "retry" | "failed";
      httpStatus: number | null;
      error: string | null;
      retryAfterMs?: number;
    };
    if (!audience || !channel) {
      result = {
        outcome: "failed",
        httpStatus: null,
        error: "this audience or channel is no longer configured",
      };
    } else {
      const outgoing = formatDelivery({
        notificationId: row.id,
        audience,
        channel,
        notice: row.message,
        timeZone: options.timeZone,
        nowSeconds: Math.floor(startedAt.getTime() / 1000),
      });
      result = await deps.sender.send(outgoing);
    }
    if (result.outcome === "retry" && row.attempts >= options.maxAttempts) {
      result = {
        ...result,
        outcome: "failed",
        error: `gave up after ${row.attempts} attempts: ${result.error}`,
      };
    }
    const finishedAt = now();
    const delay = Math.min(
      options.maxBackoffMs,
      Math.max(
        backoffMs(row.attempts, options.initialBackoffMs, options.maxBackoffMs),
        result.retryAfterMs ?? 0,
      ),
    );
    await deps.repository.settle(
      row.id,
      {
        number: row.attempts,
        startedAt,
        finishedAt,
        outcome: result.outcome,
        httpStatus: result.httpStatus,
        error: result.error,
        retryAt: new Date(finishedAt.getTime() + delay),
      },
      async (trx) => {
        if (result.outcome === "delivered") {
          await deps.repository.channelDelivered(trx, row.audience, row.channel, finishedAt);
        } else if (result.outcome === "failed" && row.notice !== "channel-down") {
          const newlyDown = await deps.repository.channelFailed(
            trx,
            row.audience,
            row.channel,
            finishedAt,
            options.deadAfter,
          );
          if (newlyDown) {
            deps.log?.error(
              { audience: row.audience, channel: row.channel, error: result.error },
              "channel is down",
            );
            await deps.repository.enqueue(
              trx,
              channelDownNotices(row, result.error ?? "", finishedAt),
              finishedAt,
            );
            again = true;
          }
        }
      },
    );
    if (result.outcome !== "delivered") {
      deps.log?.warn(
        { notification: row.id, channel: row.channel, outcome: result.outcome, error: result.error },
        "notification not delivered",
      );
    }
    deps.onSettled?.(row, result.outcome);
  }

  /** Delivers everything due now; resolves with the number of attempts made. */
  async function deliverDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const batch = await deps.repository.claimDue(now(), options.timeoutMs * 3, 20);
      if (batch.length === 0) return attempts;
      await Promise.all(batch.map((row) => deliverOne(row)));
      attempts += batch.length;
    }
  }

  function run(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        try {
          total += await deliverDue();
        } catch (error) {
          deps.log?.error({ err: error }, "notification delivery pass failed");
        }
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    deliverDue: run,
    /** Asks for a delivery pass now (after an evaluation wrote to the outbox). */
    poke(): void {
      if (!stopped) void run();
    },
    /** Polls for retries that became due and for other instances' notifications. */
    start(): void {
      stopped = false;
      timer ??= setInterval(() => void run(), options.pollIntervalMs);
      timer.unref();
    },
    /** Stops polling and waits for the pass in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
