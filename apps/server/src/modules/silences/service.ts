import { ValidationError } from "../../errors.js";
import type { JourneyCatalogue } from "../journeys/catalogue.js";
import { checkSchedule, isActiveAt, ScheduleError, windowsBetween } from "./recurrence.js";
import type { SilenceRow, SilencesRepository } from "./repository.js";

/** A silence to create, as the API receives it. */
export interface SilenceInput {
  kind: "silence" | "maintenance";
  journey?: string;
  step?: string;
  ruleKey?: string;
  startsAt: string;
  endsAt: string;
  timeZone?: string;
  rrule?: string;
  comment?: string;
}

/** What an alert offers to silence matching. */
export interface SilenceTarget {
  ruleKey: string;
  journey: string | null;
  step: string | null;
}

/** Whether a silence's matchers (each optional) all match the alert. */
export function silenceMatches(silence: SilenceRow, target: SilenceTarget): boolean {
  if (silence.ruleKey && silence.ruleKey !== target.ruleKey) return false;
  if (silence.journey && silence.journey !== target.journey) return false;
  // a silence on a step holds alerts about that step, and journey-wide alerts pointing at it
  if (silence.step && silence.step !== target.step) return false;
  return true;
}

const schedule = (s: SilenceRow) => ({
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  timeZone: s.timeZone,
  rrule: s.rrule,
});

/** Silences and maintenance windows: creating them and telling what they hold at a given time. */
export function createSilencesService(deps: {
  repository: SilencesRepository;
  journeys: JourneyCatalogue;
  defaultTimeZone: string;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  // silences change rarely and are read at every evaluation: keep them a few seconds
  let cache: { at: number; rows: SilenceRow[] } | null = null;
  const current = async () => {
    const t = Date.now();
    if (!cache || t - cache.at > 2000) cache = { at: t, rows: await deps.repository.listCurrent() };
    return cache.rows;
  };

  return {
    /** Validates and stores a silence (one-off or recurring). */
    async create(input: SilenceInput, by: string | null): Promise<SilenceRow> {
      const timeZone = input.timeZone ?? deps.defaultTimeZone;
      if (input.journey && !deps.journeys.get(input.journey)) {
        throw new ValidationError(`No journey "${input.journey}" is declared.`);
      }
      if (input.step && (!input.journey || !deps.journeys.hasStep(input.journey, input.step))) {
        throw new ValidationError(`Step "${input.step}" needs its journey and must be one of its steps.`);
      }
      try {
        checkSchedule({
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          timeZone,
          rrule: input.rrule ?? null,
        });
      } catch (error) {
        if (error instanceof ScheduleError) throw new ValidationError(error.message);
        throw error;
      }
      const created = await deps.repository.create({
        kind: input.kind,
        journey: input.journey ?? null,
        step: input.step ?? null,
        ruleKey: input.ruleKey ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        timeZone,
        rrule: input.rrule ?? null,
        comment: input.comment ?? "",
        createdBy: by,
      });
      cache = null;
      return created;
    },

    /** Ends a silence now; false when there was none to end. */
    async end(id: number): Promise<boolean> {
      const ended = await deps.repository.end(id, now());
      cache = null;
      return ended;
    },

    /** Silences not ended, with whether each is in force now. */
    async list(): Promise<(SilenceRow & { active: boolean })[]> {
      const t = now().getTime();
      return (await deps.repository.listCurrent()).map((s) => ({ ...s, active: isActiveAt(schedule(s), t) }));
    },

    /** The silence holding an alert at `at`, if any ("silence 12" / "maintenance 3"). */
    async holding(target: SilenceTarget, at: Date): Promise<string | null> {
      for (const silence of await current()) {
        if (silenceMatches(silence, target) && isActiveAt(schedule(silence), at.getTime())) {
          return `${silence.kind} ${silence.id}`;
        }
      }
      return null;
    },

    /**
     * The silences as they are now, to match alerts against without touching the database (inside a
     * transaction that already holds a connection).
     */
    async snapshot(): Promise<(target: SilenceTarget, at: Date) => string | null> {
      const list = await current();
      return (target, at) => {
        const found = list.find((s) => silenceMatches(s, target) && isActiveAt(schedule(s), at.getTime()));
        return found ? `${found.kind} ${found.id}` : null;
      };
    },

    /** Maintenance windows of a journey (or of every journey) overlapping [from, to). */
    async maintenanceBetween(journey: string, from: Date, to: Date): Promise<{ from: number; to: number }[]> {
      const windows: { from: number; to: number }[] = [];
      for (const silence of await current()) {
        if (silence.kind !== "maintenance" || (silence.journey && silence.journey !== journey)) continue;
        windows.push(...windowsBetween(schedule(silence), from.getTime(), to.getTime()));
      }
      return windows;
    },

    /** Forgets cached silences (after a change made by another instance is known). */
    refresh(): void {
      cache = null;
    },
  };
}

export type SilencesService = ReturnType<typeof createSilencesService>;
