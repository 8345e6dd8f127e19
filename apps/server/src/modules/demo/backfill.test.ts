import type { StepEvent } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { backfillHistory } from "./backfill.js";

/** Backfills three days into a list of batches (the ingestion is not what is tested here). */
async function batchesOf(options: { cancelAfter?: number } = {}) {
  const batches: StepEvent[][] = [];
  const to = new Date("2026-03-10T00:00:00Z");
  const totals = await backfillHistory({
    journey: "cco-subscription",
    from: new Date(to.getTime() - 3 * 86_400_000),
    to,
    seed: 5,
    prospectsPerHour: 20,
    timeZone: "Europe/Paris",
    batchSize: 200,
    emit: async (events) => {
      batches.push(events);
      return { accepted: events.length, duplicates: 0 };
    },
    cancelled: () => options.cancelAfter !== undefined && batches.length >= options.cancelAfter,
  });
  return { batches, totals, to };
}

describe("history backfill", () => {
  it("emits the newest day first, so that the recent past is there at once", async () => {
    const { batches, to } = await batchesOf();
    const firstDay = batches[0]!.map((e) => Date.parse(e.time!));
    const lastDay = batches.at(-1)!.map((e) => Date.parse(e.time!));
    expect(Math.min(...firstDay)).toBeGreaterThanOrEqual(to.getTime() - 86_400_000 - 3_600_000);
    expect(Math.max(...lastDay)).toBeLessThan(to.getTime() - 2 * 86_400_000 + 3_600_000);
  });

  it("dates nothing at or after the end of the period", async () => {
    const { batches, to } = await batchesOf();
    expect(batches.flat().every((e) => Date.parse(e.time!) < to.getTime())).toBe(true);
  });

  it("stops between batches when cancelled", async () => {
    const { batches, totals } = await batchesOf({ cancelAfter: 2 });
    expect(batches).toHaveLength(2);
    expect(totals.events).toBe(batches.flat().length);
  });
});
