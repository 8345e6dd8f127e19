import type {
  Incident,
  IncidentAcknowledgeResult,
  IncidentActivity,
  IncidentAlertSent,
  IncidentDetail,
  IncidentPage,
} from "@vigie/contracts";
import { AppError, NotFoundError, ValidationError } from "../../errors.js";
import type { PageRequest } from "../analytics/paging.js";
import type { AuditContext, AuditService } from "../audit/service.js";
import type { RunsRepository } from "../runs/repository.js";
import {
  type IncidentFilter,
  type IncidentSort,
  type IncidentsRepository,
  MAX_NOTE_LENGTH,
} from "./repository.js";

const MINUTE = 60_000;
/** Recovery notices come after the incident's end (alerts resolve with hysteresis): look this far past it. */
const ALERTS_AFTER_END_MS = 30 * MINUTE;
/** Runs shown on the detail; the runs explorer has the rest. */
const RUNS_SHOWN = 10;

/** What incidents need from alerting: its own functions, never its tables (ADR 0080). */
export interface IncidentAlerting {
  /** Ids of the journey's firing alerts that nobody acknowledged yet. */
  unacknowledgedFiring(journey: string): Promise<number[]>;
  /** Acknowledges one alert as `by` (`user:<id>`): no more repeats or escalation for its episode. */
  acknowledge(alertId: number, by: string): Promise<unknown>;
  /** Notifications about the journey written in [from, to), oldest first. */
  notificationsAbout(journey: string, from: Date, to: Date): Promise<IncidentAlertSent[]>;
}

/** Incident workflow: list, detail with its timeline, acknowledgement, notes. */
export function createIncidentsService(deps: {
  incidents: IncidentsRepository;
  runs: RunsRepository;
  alerting: IncidentAlerting;
  now: () => number;
  /** Told the journey of an incident people acknowledged or wrote a note on (live pages refresh) [nobody]. */
  onChange?: (journeys: string[]) => void;
  /** Where acknowledgements and notes are recorded as audited actions [nowhere]. */
  audit?: Pick<AuditService, "record">;
}) {
  const { incidents } = deps;

  /**
   * The 404 of an unknown id; when it was merged into another incident, the problem says which one
   * (`mergedInto`), so that links to the old id still lead somewhere.
   */
  async function notFound(id: number): Promise<AppError> {
    const survivor = await incidents.mergedInto(id);
    if (survivor === undefined) return new NotFoundError(`No incident ${id}.`);
    return new AppError("not_found", 404, `Incident ${id} was merged into incident ${survivor}.`, {
      mergedInto: survivor,
    });
  }

  async function incidentOrThrow(id: number): Promise<Incident> {
    const incident = await incidents.get(id);
    if (!incident) throw await notFound(id);
    return incident;
  }

  return {
    /** One page of incidents. */
    list(filter: IncidentFilter, page: PageRequest<IncidentSort>): Promise<IncidentPage> {
      return incidents.list(filter, page);
    },

    /**
     * One incident with its timeline, the notifications sent about its journey while it lasted and,
     * when `withRuns`, the first real runs that failed during it.
     */
    async detail(id: number, options: { withRuns: boolean }): Promise<IncidentDetail> {
      const incident = await incidentOrThrow(id);
      const start = Date.parse(incident.startedAt);
      const end = incident.endedAt ? Date.parse(incident.endedAt) : deps.now();
      const [timeline, alertsSent, runs] = await Promise.all([
        incidents.timeline(id),
        deps.alerting.notificationsAbout(
          incident.journey,
          new Date(start),
          new Date(incident.endedAt ? end + ALERTS_AFTER_END_MS : Math.max(end, start) + MINUTE),
        ),
        options.withRuns
          ? deps.runs.list(
              {
                journey: incident.journey,
                outcome: "failed",
                synthetic: false,
                from: start,
                to: end + MINUTE,
              },
              { page: 1, pageSize: RUNS_SHOWN, sort: { field: "startedAt", direction: "desc" } },
            )
          : null,
      ]);
      return {
        ...incident,
        timeline,
        alertsSent,
        runs: runs ? { items: runs.items, total: runs.total } : null,
      };
    },

    /**
     * Acknowledges the incident as `userId` (the first acknowledgement stands; calling again changes
     * nothing) and, while it is open, the journey's firing alerts nobody acknowledged, so that their
     * reminders and escalation stop.
     */
    async acknowledge(id: number, userId: string, ctx?: AuditContext): Promise<IncidentAcknowledgeResult> {
      if (!(await incidents.acknowledge(id, userId))) throw await notFound(id);
      const incident = await incidentOrThrow(id);
      const alertsAcknowledged: number[] = [];
      if (incident.status === "open") {
        for (const alertId of await deps.alerting.unacknowledgedFiring(incident.journey)) {
          await deps.alerting.acknowledge(alertId, `user:${userId}`);
          alertsAcknowledged.push(alertId);
        }
      }
      deps.onChange?.([incident.journey]);
      if (ctx) {
        await deps.audit?.record({
          ...ctx,
          action: "incident.acknowledged",
          target: { kind: "incident", id: String(id) },
          details: { journey: incident.journey, alertsAcknowledged },
        });
      }
      return { incident, alertsAcknowledged };
    },

    /** Adds a note (1 to 4000 characters once trimmed). */
    async addNote(id: number, userId: string, text: string, ctx?: AuditContext): Promise<IncidentActivity> {
      const note = text.trim();
      if (note.length === 0) throw new ValidationError("A note needs some text.");
      if (note.length > MAX_NOTE_LENGTH)
        throw new ValidationError(`A note may not exceed ${MAX_NOTE_LENGTH} characters.`);
      const added = await incidents.addNote(id, userId, note);
      if (!added) throw await notFound(id);
      deps.onChange?.([added.journey]);
      if (ctx) {
        // the note's text may name a prospect: the log keeps only that a note was written
        await deps.audit?.record({
          ...ctx,
          action: "incident.note_added",
          target: { kind: "incident", id: String(id) },
          details: { length: note.length },
        });
      }
      return added.activity;
    },
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
