import { type EventRejection, parseStepEvent, type StepEvent } from "@vigie/contracts";
import { ValidationError } from "../../errors.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";

/** Limits applied to every event beyond its shape. */
export interface EventLimits {
  /** Oldest accepted event, in ms before now. */
  maxEventAgeMs: number;
  /** Furthest accepted event in the future, in ms after now. */
  maxClockSkewMs: number;
}

/** A valid event with its time resolved (the receive time when the sender gave none). */
export interface AcceptedEvent {
  event: StepEvent;
  time: Date;
}

/**
 * Checks every event against the `vigie.step` contract, the declared journeys and the time limits.
 * All problems are collected; if any event is invalid the whole request is refused (nothing stored).
 */
export function validateStepEvents(
  raw: unknown[],
  journeys: JourneyCatalogue,
  limits: EventLimits,
  now: Date,
): AcceptedEvent[] {
  const rejections: EventRejection[] = [];
  const accepted: AcceptedEvent[] = [];
  const oldest = now.getTime() - limits.maxEventAgeMs;
  const newest = now.getTime() + limits.maxClockSkewMs;
  for (let index = 0; index < raw.length; index++) {
    // the contract's fast path; zod itself (and its messages) for anything it does not accept
    const parsed = parseStepEvent(raw[index]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        rejections.push({ index, field: issue.path.join("."), reason: issue.message });
      }
      continue;
    }
    const event = parsed.data;
    const { journey, step } = event.data;
    if (!journeys.get(journey)) {
      rejections.push({ index, field: "data.journey", reason: `unknown journey "${journey}"` });
    } else if (!journeys.hasStep(journey, step)) {
      rejections.push({ index, field: "data.step", reason: `journey "${journey}" has no step "${step}"` });
    }
    const time = event.time ? new Date(event.time) : now;
    if (Number.isNaN(time.getTime())) {
      rejections.push({ index, field: "time", reason: "not a valid date" });
    } else if (time.getTime() < oldest) {
      rejections.push({ index, field: "time", reason: "older than the retention period" });
    } else if (time.getTime() > newest) {
      rejections.push({ index, field: "time", reason: "too far in the future" });
    }
    accepted.push({ event, time });
  }
  if (rejections.length > 0) {
    const count = new Set(rejections.map((r) => r.index)).size;
    throw new ValidationError(
      `${count} of ${raw.length} event(s) rejected; nothing was stored. Fix them and send the request again.`,
      rejections,
    );
  }
  return accepted;
}
