import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { AudienceCatalogue } from "../audiences/catalogue.js";
import type { AcceptedEvent } from "../events/validate.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import type { Notice } from "../notifications/messages.js";
import type { NotificationsRepository, OutboxEntry } from "../notifications/repository.js";
import type { SilencesService } from "../silences/service.js";
import { type ConditionContext, evaluateConditions, type Verdict } from "./conditions.js";
import { inhibitedBy } from "./inhibition.js";
import type { AlertRow, AlertsRepository } from "./repository.js";
import type { AlertingConfig, RuleDefinition } from "./rule-schema.js";
import type { RulesService } from "./rules.js";
import { createSignals, type Signals } from "./signals.js";
import {
  type AlertPolicy,
  type AlertState,
  acknowledge as acknowledgeState,
  advance,
  dueNotices,
  initialState,
  type NoticeKind,
} from "./state-machine.js";

/** What the evaluator needs. */
export interface EvaluatorDeps {
  db: Kysely<Database>;
  alerts: AlertsRepository;
  notifications: NotificationsRepository;
  rules: RulesService;
  signals: Signals;
  journeys: JourneyCatalogue;
  audiences: AudienceCatalogue;
  silences: SilencesService;
  alerting: AlertingConfig;
  /** Told when the outbox has something new (the deliverer sends at once). */
  onOutbox?: () => void;
  now?: () => Date;
  log?: { error(obj: object, msg: string): void };
}

/** Kinds whose notices say how many real prospects hit an error. */
const COUNTS_PROSPECTS = new Set(["probe-down", "error-rate", "burn-rate"]);
/** How far before an alert fired its prospects are counted (the errors that made it fire). */
const PROSPECT_LOOKBACK_MS = 5 * 60_000;

function policyOf(rule: RuleDefinition, alerting: AlertingConfig): AlertPolicy {
  return {
    pendingForMs: rule.pendingFor,
    keepFiringForMs: rule.keepFiringFor,
    flapWindowMs: alerting.flapWindow,
    flapThreshold: alerting.flapThreshold,
    repeatIntervalMs: rule.repeatInterval,
    escalateAfterMs: rule.escalation?.after ?? null,
  };
}

/**
 * Evaluates alert rules: at once for the rules an incoming event may decide (probe runs, real
 * errors), and periodically for all (time passing, silent sources). Each evaluation advances the
 * alert's state and writes the notices it decides to the outbox in one transaction.
 */
export function createAlertEvaluator(deps: EvaluatorDeps) {
  const now = deps.now ?? (() => new Date());
  const { alerting } = deps;
  const holidays = new Set(alerting.holidays);

  const context = (rule: RuleDefinition, at: Date): ConditionContext => ({
    signals: deps.signals,
    journey: rule.journey ? deps.journeys.get(rule.journey) : undefined,
    now: at,
    timeZone: alerting.timeZone,
    holidays,
    async excludedPeriods(journey, from, to) {
      const [episodes, maintenance] = await Promise.all([
        deps.alerts.outageEpisodes(journey, from, to),
        deps.silences.maintenanceBetween(journey, from, to),
      ]);
      return [...episodes, ...maintenance];
    },
  });

  async function prospectsAffected(
    signals: Signals,
    rule: RuleDefinition,
    step: string | null,
    from: number,
    to: Date,
  ) {
    if (!rule.journey || !COUNTS_PROSPECTS.has(rule.kind)) return null;
    // the failing step when known: "14 prospects blocked at Identity" (and a smaller read)
    const scoped = rule.kind === "error-rate" ? (rule.step ?? step ?? undefined) : (step ?? undefined);
    const counts = await signals.realErrors(rule.journey, scoped, new Date(from), to);
    return counts.prospects;
  }

  async function buildEntries(
    signals: Signals,
    rule: RuleDefinition,
    alert: AlertRow,
    state: AlertState,
    step: string | null,
    facts: Record<string, unknown>,
    kinds: NoticeKind[],
    at: Date,
  ): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    const journey = rule.journey ? deps.journeys.get(rule.journey) : undefined;
    const stepConfig = step ? journey?.steps.find((s) => s.key === step) : undefined;
    for (const kind of kinds) {
      const since = state.firingSince;
      const end = kind === "resolved" && state.resolvedAt ? new Date(state.resolvedAt) : at;
      const prospects =
        since !== null && kind !== "flapping"
          ? await prospectsAffected(signals, rule, step, since - PROSPECT_LOOKBACK_MS, end)
          : null;
      const notice: Notice = {
        kind,
        alertId: alert.id,
        ruleKey: rule.key,
        ruleKind: rule.kind,
        severity: rule.severity,
        journey: journey?.key ?? null,
        journeyName: journey?.name ?? null,
        step,
        stepName: stepConfig?.name ?? null,
        since: since !== null ? new Date(since).toISOString() : null,
        at: at.toISOString(),
        resolvedAt: kind === "resolved" && state.resolvedAt ? new Date(state.resolvedAt).toISOString() : null,
        prospectsAffected: prospects,
        facts,
        link: `${alerting.publicUrl?.replace(/\/$/, "") ?? ""}/alerts/${alert.id}`,
      };
      const audienceKeys = kind === "escalation" ? (rule.escalation?.audiences ?? []) : rule.audiences;
      for (const key of audienceKeys) {
        for (const channel of deps.audiences.get(key)?.channels ?? []) {
          entries.push({
            alertId: alert.id,
            notice,
            audience: key,
            channel: channel.key,
            channelKind: channel.kind,
          });
        }
      }
    }
    return entries;
  }

  /** Evaluates one rule now; resolves once its state and notices are committed. */
  async function evaluateRule(rule: RuleDefinition): Promise<{ notices: NoticeKind[] }> {
    if (!rule.enabled) return { notices: [] };
    if (rule.journey && !deps.journeys.get(rule.journey)) return { notices: [] };
    const at = now();
    const verdict: Verdict = await evaluateConditions(rule, context(rule, at));
    const policy = policyOf(rule, alerting);
    let written = 0;
    let sent: NoticeKind[] = [];
    // everything the transaction needs besides its own queries is read before it: a transaction that
    // waited for a second connection of the pool could starve it
    const silencing = await deps.silences.snapshot();
    await deps.db.transaction().execute(async (trx) => {
      const identity = {
        ruleKey: rule.key,
        groupKey: rule.journey ?? "*",
        kind: rule.kind,
        severity: rule.severity,
        journey: rule.journey ?? null,
      };
      const alert = await deps.alerts.lockAlert(trx, identity, initialState(), at);
      const before = alert.state;
      const advanced = advance(before, verdict, at.getTime(), policy);
      // the failing step is kept for the whole episode, so the recovery names the same step
      const step =
        advanced.status === "firing" && before.status === "firing"
          ? (alert.step ?? verdict.step)
          : (verdict.step ?? alert.step);
      let heldBy = silencing({ ruleKey: rule.key, journey: identity.journey, step }, at);
      if (!heldBy) heldBy = inhibitedBy(identity, await deps.alerts.firingAlerts(trx));
      const { state, notices } = dueNotices(advanced, at.getTime(), policy, heldBy !== null);
      if (state.status === "firing" && before.status !== "firing" && state.firingSince !== null) {
        await deps.alerts.openEpisode(trx, alert, new Date(state.firingSince));
      }
      if (before.status === "firing" && state.status !== "firing")
        await deps.alerts.closeEpisode(trx, alert.id, at);
      const facts = state.status === "firing" || verdict.open ? verdict.facts : { ...verdict.facts };
      const entries = await buildEntries(createSignals(trx), rule, alert, state, step, facts, notices, at);
      written = await deps.notifications.enqueue(trx, entries, at);
      await deps.alerts.saveAlert(trx, alert.id, {
        state,
        facts,
        heldBy,
        step,
        severity: rule.severity,
        now: at,
      });
      sent = notices;
    });
    if (written > 0) deps.onOutbox?.();
    return { notices: sent };
  }

  // One evaluation of a rule at a time; events arriving meanwhile ask for one more afterwards.
  const scheduled = new Map<
    string,
    { running: boolean; again: boolean; lastAt: number; timer: NodeJS.Timeout | null }
  >();
  let stopped = false;

  function schedule(rule: RuleDefinition, minGapMs: number): void {
    if (stopped) return;
    let slot = scheduled.get(rule.key);
    if (!slot) {
      slot = { running: false, again: false, lastAt: 0, timer: null };
      scheduled.set(rule.key, slot);
    }
    const s = slot;
    if (s.running) {
      s.again = true;
      return;
    }
    const wait = s.lastAt + minGapMs - Date.now();
    if (wait > 0) {
      s.timer ??= setTimeout(() => {
        s.timer = null;
        schedule(rule, 0);
      }, wait);
      return;
    }
    s.running = true;
    s.lastAt = Date.now();
    evaluateRule(rule)
      .catch((error) => deps.log?.error({ err: error, rule: rule.key }, "alert rule evaluation failed"))
      .finally(() => {
        s.running = false;
        if (s.again) {
          s.again = false;
          const latest = deps.rules.all().find((r) => r.key === rule.key);
          if (latest) schedule(latest, minGapMs);
        }
      });
  }

  let periodic: NodeJS.Timeout | null = null;
  let pass: Promise<void> | null = null;

  /** Reloads the rules and evaluates every one of them (the periodic pass). */
  async function evaluateAll(): Promise<void> {
    await deps.rules.reload();
    for (const rule of deps.rules.all()) {
      try {
        await evaluateRule(rule);
      } catch (error) {
        deps.log?.error({ err: error, rule: rule.key }, "alert rule evaluation failed");
      }
    }
  }

  return {
    evaluateRule,
    evaluateAll,

    /**
     * After-commit listener of the events service: probe events decide probe rules at once; real
     * technical errors re-evaluate the journey's error-rate, burn-rate and latency rules at most
     * once a second each; any event may end "ingestion stalled".
     */
    onEventsStored(stored: AcceptedEvent[]): void {
      if (!alerting.enabled) return;
      const probed = new Set<string>();
      const erred = new Set<string>();
      for (const { event } of stored) {
        if (event.data.synthetic) probed.add(event.data.journey);
        else if (event.data.outcome === "error") erred.add(event.data.journey);
      }
      for (const rule of deps.rules.all()) {
        if (!rule.enabled) continue;
        if (rule.kind === "probe-down" && probed.has(rule.journey!)) schedule(rule, 0);
        else if ((rule.kind === "error-rate" || rule.kind === "burn-rate") && erred.has(rule.journey!))
          schedule(rule, 1000);
        else if (rule.kind === "ingestion-stalled") schedule(rule, 5000);
      }
    },

    /** Acknowledges a firing alert: no more repeats or escalation for this episode. */
    async acknowledge(id: number, by: string): Promise<AlertRow | undefined> {
      return deps.db.transaction().execute(async (trx) => {
        const alert = await deps.alerts.lockAlertById(trx, id);
        if (!alert) return undefined;
        const state = acknowledgeState(alert.state, now().getTime(), by);
        await deps.alerts.saveAlert(trx, id, { state, now: alert.evaluatedAt });
        return { ...alert, state };
      });
    },

    /** Starts the periodic pass. */
    start(): void {
      stopped = false;
      periodic ??= setInterval(() => {
        if (pass) return;
        pass = evaluateAll()
          .catch((error) => deps.log?.error({ err: error }, "alert evaluation pass failed"))
          .finally(() => {
            pass = null;
          });
      }, alerting.evaluationInterval);
      periodic.unref();
    },

    /** Stops evaluating and waits for evaluations in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (periodic) clearInterval(periodic);
      periodic = null;
      for (const slot of scheduled.values()) if (slot.timer) clearTimeout(slot.timer);
      await pass;
      while ([...scheduled.values()].some((s) => s.running)) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

export type AlertEvaluator = ReturnType<typeof createAlertEvaluator>;
