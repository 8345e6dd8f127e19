import type { Incident, IncidentSignal, RunSummary } from "./analytics.js";

/** What happened to an incident; the analytics pass records the first six, people the last two. */
export type IncidentActivityKind =
  | "opened"
  | "changed"
  | "merged"
  | "closed"
  | "reopened"
  | "withdrawn"
  | "acknowledged"
  | "note";

/** One entry of an incident's timeline. */
export interface IncidentActivity {
  id: number;
  kind: IncidentActivityKind;
  /** When Vigie recorded it. */
  at: string;
  /** The user; null for Vigie itself (the analytics pass). */
  by: { id: string; name: string } | null;
  /** For opened/changed/closed/reopened: the incident's state after the change and, for changed, before it. */
  details: {
    startedAt?: string;
    endedAt?: string | null;
    failingStep?: string | null;
    seenBy?: IncidentSignal[];
    previous?: { failingStep: string | null; seenBy: IncidentSignal[] };
    /** merged: the id of the incident merged into this one. */
    from?: number;
  };
  /** The text of a note. */
  note: string | null;
}

/** A notification sent about the incident's journey while it lasted. */
export interface IncidentAlertSent {
  id: number;
  alertId: number | null;
  /** firing, resolved, repeat, escalation, flapping. */
  notice: string;
  audience: string;
  channel: string;
  channelKind: string;
  status: "pending" | "sending" | "delivered" | "failed";
  createdAt: string;
  deliveredAt: string | null;
}

/** `GET /api/v1/incidents/:id`: the incident with its timeline, the alerts sent and the runs behind it. */
export interface IncidentDetail extends Incident {
  /** State changes, acknowledgements and notes, oldest first. */
  timeline: IncidentActivity[];
  alertsSent: IncidentAlertSent[];
  /**
   * The first page of the real runs that started during the incident and failed (newest first);
   * null for roles that may not list runs.
   */
  runs: { items: RunSummary[]; total: number } | null;
}

/** `POST /api/v1/incidents/:id/acknowledge` answer (the same whether or not it was acknowledged before). */
export interface IncidentAcknowledgeResult {
  incident: Incident;
  /** Firing alerts of the journey acknowledged by this call (only while the incident is open). */
  alertsAcknowledged: number[];
}

/** `POST /api/v1/incidents/:id/notes` body. */
export interface IncidentNoteInput {
  /** 1 to 4000 characters (blank is refused). */
  text: string;
}
