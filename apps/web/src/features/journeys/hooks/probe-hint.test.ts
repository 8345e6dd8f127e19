import type { TimeAvailability } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { probeHint } from "./probe-hint.ts";

const t = (key: string, values?: Record<string, unknown>) =>
  values ? `${key}(${Object.values(values).join(",")})` : key;
const time = (up: number, down: number, unknown: number): TimeAvailability => ({
  method: "time",
  ratio: up / (up + down),
  upSeconds: up,
  downSeconds: down,
  unknownSeconds: unknown,
  excludedSeconds: 0,
});

describe("probe availability hint", () => {
  it("says only the down time when the probes measured the whole period", () => {
    expect(probeHint(time(7 * 86_400, 0, 60), t, "en")).toBe("journey.figures.neverDown");
    expect(probeHint(time(86_000, 400, 0), t, "en")).toBe("journey.figures.downFor(6 min 40 s)");
  });

  it("says how long the probes measured when they started during the period", () => {
    expect(probeHint(time(180, 0, 7 * 86_400), t, "en")).toBe(
      "journey.figures.neverDown · journey.figures.measuredFor(3 min)",
    );
  });
});
