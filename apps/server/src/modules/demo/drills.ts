import type { StepEvent } from "@vigie/contracts";
import type { StepKey } from "@vigie/demo-bank";
import type { Logger } from "pino";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import type { BankControl } from "./bank-control.js";
import type { DemoConfig } from "./config-schema.js";
import type { DemoRepository, DrillRow } from "./repository.js";

/** One stage of the detection chain, as seen by a drill. */
export interface DetectionStage {
  at: string;
  /** Time from the injection, ms. */
  afterMs: number;
}

/** A drill as the API shows it. */
export interface DrillView {
  id: number;
  trigger: "schedule" | "manual";
  mode: "bank" | "synthetic";
  journey: string;
  step: string;
  errorCode: string;
  status: "running" | "finished" | "failed";
  injectedAt: string;
  faultUntil: string;
  finishedAt: string | null;
  detection: {
    firstFailingEvent: DetectionStage | null;
    incidentOpened: (DetectionStage & { incidentId: string | null }) | null;
    alertSent: DetectionStage | null;
  };
  notes: string[];
}

/** Presents a stored drill. */
export function drillView(row: DrillRow): DrillView {
  const stage = (at: Date | null): DetectionStage | null =>
    at ? { at: at.toISOString(), afterMs: at.getTime() - row.injected_at.getTime() } : null;
  const incident = stage(row.incident_opened_at);
  return {
    id: row.id,
    trigger: row.trigger,
    mode: row.mode,
    journey: row.journey,
    step: row.step,
    errorCode: row.error_code,
    status: row.status,
    injectedAt: row.injected_at.toISOString(),
    faultUntil: row.fault_until.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    detection: {
      firstFailingEvent: stage(row.first_failing_event_at),
      incidentOpened: incident ? { ...incident, incidentId: row.incident_id } : null,
      alertSent: stage(row.alert_sent_at),
    },
    notes: row.notes ?? [],
  };
}

/** A drill asked for (API, CLI); unset fields take the configured defaults. */
export interface DrillRequest {
  mode?: "bank" | "synthetic";
  step?: string;
  errorCode?: string;
  faultDurationMs?: number;
}

/** What the drills need. */
export interface DrillDeps {
  repository: DemoRepository;
  journeys: JourneyCatalogue;
  config: DemoConfig;
  /** Fault control of the demo bank (bank mode); undefined without a demo bank (asked each time). */
  bank: () => BankControl | undefined;
  /** Sends prospects into the fault right away (bank mode); undefined without simulated traffic. */
  burst: () => ((count: number) => number) | undefined;
  /** The ingestion service (synthetic mode). */
  ingest: (events: StepEvent[]) => Promise<unknown>;
  now?: () => Date;
  logger?: Logger;
}

/** Seconds between two failing synthetic runs of a synthetic drill. */
const SYNTHETIC_EVERY_MS = 30_000;

/**
 * Fault drills: inject a fault at a known time (into the demo bank, or as failing synthetic events
 * where there is no demo bank), then watch the detection chain and keep how long each stage took.
 */
export function createDrillService(deps: DrillDeps) {
  const now = deps.now ?? (() => new Date());
  const { config, repository } = deps;
  const lastSynthetic = new Map<number, number>();
  let syntheticCounter = 0;

  /** A synthetic run that goes well up to the drill's step and fails there. */
  function failingSyntheticRun(drill: DrillRow, at: Date): StepEvent[] {
    syntheticCounter += 1;
    const runId = `drill-${drill.id}-${at.getTime()}-${syntheticCounter}`;
    const journey = deps.journeys.get(drill.journey)!;
    const events: StepEvent[] = [];
    const push = (
      step: string,
      outcome: StepEvent["data"]["outcome"],
      extra: Partial<StepEvent["data"]> = {},
    ) =>
      events.push({
        specversion: "1.0",
        id: `${runId}:${events.length}`,
        source: "vigie-drill",
        type: "vigie.step",
        time: at.toISOString(),
        data: {
          journey: drill.journey,
          runId,
          step,
          outcome,
          synthetic: true,
          attributes: { drill: String(drill.id) },
          ...extra,
        },
      });
    for (const step of journey.steps) {
      push(step.key, "started");
      if (step.key === drill.step) {
        push(step.key, "error", {
          error: { code: drill.error_code, message: "Injected by a Vigie drill" },
          durationMs: 50,
        });
        break;
      }
      push(step.key, "ok", { durationMs: 50 });
    }
    return events;
  }

  async function emitSynthetic(drill: DrillRow, runs: number): Promise<void> {
    const at = now();
    const events = Array.from({ length: runs }, () => failingSyntheticRun(drill, at)).flat();
    await deps.ingest(events);
    lastSynthetic.set(drill.id, at.getTime());
  }

  /** Injects the fault of a newly recorded drill; a failure closes the drill as failed. */
  async function inject(drill: DrillRow): Promise<DrillRow> {
    try {
      if (drill.mode === "bank") {
        const bank = deps.bank();
        if (!bank) throw new ConflictError("demo_bank_absent", "No demo bank to inject the fault into.");
        const fault = await bank.inject({
          kind: "error",
          step: drill.step as StepKey,
          errorCode: drill.error_code,
          share: 1,
          durationMs: drill.fault_until.getTime() - drill.injected_at.getTime(),
        });
        await repository.setFaultId(drill.id, fault.id);
        deps.burst()?.(config.drills.burst);
      } else {
        await emitSynthetic(drill, Math.max(1, config.drills.burst));
      }
      return drill;
    } catch (error) {
      deps.logger?.warn({ err: error, drill: drill.id }, "drill fault not injected");
      return repository.finishDrill(drill.id, "failed", now(), [
        `Fault not injected: ${(error as Error).message}`,
      ]);
    }
  }

  /** Looks for the detection stages not seen yet; closes the drill when all are seen or time is up. */
  async function check(drill: DrillRow): Promise<DrillRow> {
    const at = now();
    if (drill.mode === "synthetic" && at < drill.fault_until) {
      const last = lastSynthetic.get(drill.id) ?? 0;
      if (at.getTime() - last >= SYNTHETIC_EVERY_MS) await emitSynthetic(drill, 1);
    }
    const notes: string[] = [];
    const firstFailingEventAt = drill.first_failing_event_at ?? (await repository.firstFailingEventAt(drill));
    let incidentOpenedAt = drill.incident_opened_at;
    let incidentId = drill.incident_id;
    if (!incidentOpenedAt) {
      const incident = await repository.incidentSince(drill);
      if (incident === undefined)
        notes.push("No incidents table in this build: incident opening not measured.");
      else if (incident) {
        // the incident's row carries no creation time: its last update (its creation, unless it
        // changed since) or the time it was first seen here, whichever is earlier, bounds it
        incidentOpenedAt = new Date(Math.min(incident.updatedAt.getTime(), at.getTime()));
        incidentId = incident.id;
      }
    }
    let alertSentAt = drill.alert_sent_at;
    if (!alertSentAt) {
      const sent = await repository.alertSentSince(drill);
      if (sent === undefined) notes.push("No alert delivery log in this build: alert sending not measured.");
      else alertSentAt = sent;
    }
    let row = await repository.recordDetection(drill.id, {
      firstFailingEventAt,
      incidentOpenedAt,
      incidentId,
      alertSentAt,
    });
    const complete = row.first_failing_event_at && row.incident_opened_at && row.alert_sent_at;
    if (complete || at >= row.watch_until) {
      const watched = `${Math.round((row.watch_until.getTime() - row.injected_at.getTime()) / 60_000)} min`;
      if (!row.first_failing_event_at) notes.push(`No failing event received within ${watched}.`);
      if (!row.incident_opened_at && !notes.some((n) => n.includes("incidents"))) {
        notes.push(`No incident opened within ${watched}.`);
      }
      if (!row.alert_sent_at && !notes.some((n) => n.includes("alert delivery"))) {
        notes.push(`No alert delivered within ${watched}.`);
      }
      row = await repository.finishDrill(drill.id, "finished", at, notes);
      lastSynthetic.delete(drill.id);
    }
    return row;
  }

  return {
    /** Starts a drill now (scheduled drills pass their slot); undefined if the slot was taken. */
    async start(
      request: DrillRequest & { trigger: "schedule" | "manual"; slot?: Date },
    ): Promise<DrillView | undefined> {
      const journey = deps.journeys.get(config.journey);
      if (!journey) {
        throw new ConflictError(
          "demo_journey_unknown",
          `The demo journey "${config.journey}" is not declared.`,
        );
      }
      // without a demo bank, a drill can still prove the chain with failing synthetic events
      const mode =
        request.mode ?? (config.drills.mode === "bank" && !deps.bank() ? "synthetic" : config.drills.mode);
      const step = request.step ?? config.drills.step;
      if (!deps.journeys.hasStep(journey.key, step)) {
        throw new ValidationError(`Unknown step "${step}" of journey ${journey.key}.`, [
          { index: 0, field: "step", reason: `must be one of ${journey.steps.map((s) => s.key).join(", ")}` },
        ]);
      }
      if (mode === "bank" && !deps.bank()) {
        throw new ConflictError("demo_bank_absent", "No demo bank here: run the drill in synthetic mode.");
      }
      const injectedAt = now();
      const faultMs = request.faultDurationMs ?? config.drills.faultDuration;
      const row = await repository.insertDrill({
        slot: request.slot ?? null,
        trigger: request.trigger,
        mode,
        journey: journey.key,
        step,
        errorCode: request.errorCode ?? config.drills.errorCode,
        injectedAt,
        faultUntil: new Date(injectedAt.getTime() + faultMs),
        watchUntil: new Date(injectedAt.getTime() + Math.max(config.drills.watchFor, faultMs)),
      });
      if (!row) return undefined;
      deps.logger?.info({ drill: row.id, mode, step, errorCode: row.error_code }, "drill: fault injected");
      return drillView(await inject(row));
    },

    /** Starts the drill of the current slot when its time has come and no drill is running. */
    async startDue(): Promise<DrillView | undefined> {
      const at = now().getTime();
      const every = config.drills.every;
      const slot = Math.floor(at / every) * every;
      // only near the slot's start: a server started mid-slot waits for the next one
      if (at - slot > Math.min(60_000, every / 2)) return undefined;
      if ((await repository.runningDrills()).length > 0) return undefined;
      return this.start({ trigger: "schedule", slot: new Date(slot) });
    },

    /** Brings every running drill up to date; returns them. */
    async checkRunning(): Promise<DrillView[]> {
      const views: DrillView[] = [];
      for (const drill of await repository.runningDrills()) {
        try {
          views.push(drillView(await check(drill)));
        } catch (error) {
          deps.logger?.warn({ err: error, drill: drill.id }, "drill check failed");
        }
      }
      return views;
    },

    async list(limit = 50): Promise<DrillView[]> {
      return (await repository.listDrills(limit)).map(drillView);
    },

    async get(id: number): Promise<DrillView> {
      const row = await repository.getDrill(id);
      if (!row) throw new NotFoundError(`No drill ${id}.`);
      return drillView(row);
    },
  };
}

export type DrillService = ReturnType<typeof createDrillService>;
