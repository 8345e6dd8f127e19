import type { ProbeRunResult } from "./results.js";

const MAX_ATTRIBUTES = 50;

/** CloudEvents source of a probe's events. */
export const probeSource = (probe: string) => `/vigie/probes/${probe}`;

/**
 * The `vigie.step` events of a run: for each journey step of its final attempt, `started` then
 * `ok` or `error`, all `synthetic: true` and sharing the run's id, exactly as an application sends them.
 */
export function stepEventsOf(
  result: ProbeRunResult,
  labels: Record<string, string> = {},
): Record<string, unknown>[] {
  const last = result.attempts.at(-1);
  if (!last) return [];
  const attributes: Record<string, string> = {
    probe: result.probe,
    location: result.location,
    probeKind: result.kind,
    attempt: String(last.attempt),
  };
  for (const [name, value] of Object.entries(labels)) {
    if (Object.keys(attributes).length >= MAX_ATTRIBUTES) break;
    attributes[name] ??= value;
  }
  const events: Record<string, unknown>[] = [];
  last.steps.forEach((step, index) => {
    if (step.phase !== "step" || !step.step) return;
    const base = {
      specversion: "1.0",
      source: probeSource(result.probe),
      type: "vigie.step",
    };
    const data = {
      journey: result.journey,
      runId: result.runId,
      step: step.step,
      synthetic: true,
      attributes,
    };
    events.push({
      ...base,
      id: `${result.runId}.${index}.started`,
      time: step.startedAt,
      data: { ...data, outcome: "started" },
    });
    events.push({
      ...base,
      id: `${result.runId}.${index}.${step.outcome}`,
      time: new Date(Date.parse(step.startedAt) + step.durationMs).toISOString(),
      data: {
        ...data,
        outcome: step.outcome,
        durationMs: step.durationMs,
        ...(step.error
          ? { error: { code: step.error.code, message: step.error.message.slice(0, 2000) } }
          : {}),
      },
    });
  });
  return events;
}
