import { createHash } from "node:crypto";
import { Cron } from "croner";
import type { ProbeDefinition } from "./definition.js";

/** Text that changes whenever a probe's schedule changes (stored with the schedule). */
export function scheduleFingerprint(probe: Pick<ProbeDefinition, "schedule">): string {
  const { schedule } = probe;
  return "every" in schedule ? `every ${schedule.every}ms` : `cron ${schedule.cron} ${schedule.timezone}`;
}

/** A stable offset in [0, period) derived from the probe's name, so that starts spread evenly. */
export function phaseOf(name: string, periodMs: number): number {
  const hash = createHash("sha1").update(name).digest().readUInt32BE(0);
  return hash % periodMs;
}

/**
 * The first planned start strictly after `after`. Interval probes start at `phase + k × every`, the
 * phase coming from the probe's name: starts are spread and stay on the same grid across restarts.
 */
export function nextRunAfter(probe: Pick<ProbeDefinition, "name" | "schedule">, after: Date): Date {
  const { schedule } = probe;
  if ("every" in schedule) {
    const phase = phaseOf(probe.name, schedule.every);
    const t = after.getTime();
    const k = Math.floor((t - phase) / schedule.every) + 1;
    return new Date(phase + k * schedule.every);
  }
  const next = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).nextRun(after);
  // A cron expression that never fires again (a past date) parks the probe a year ahead.
  return next ?? new Date(after.getTime() + 365 * 86_400_000);
}

/** How long a run may hold its lease: every attempt, its teardown and the delays, plus a margin. */
export function leaseDurationMs(probe: ProbeDefinition): number {
  const attempts = 1 + probe.retries.attempts;
  return (
    attempts * (probe.timeout + probe.teardownTimeout) + probe.retries.attempts * probe.retries.delay + 60_000
  );
}
