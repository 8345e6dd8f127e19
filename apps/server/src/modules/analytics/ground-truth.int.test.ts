import type { VolumeHour } from "@vigie/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, TEST_JOURNEYS, type TestApp, testConfig } from "../../../test/harness.js";
import {
  type GroundTruth,
  generateGroundTruth,
  parisHour,
  parisMidnight,
  parisOffset,
  STEPS,
  type TruthRun,
} from "./ground-truth.generator.js";

// Every expected figure below is computed here from the generator's record of what it made, by
// straightforward loops that share no code with the analytics under test.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let vigie: TestApp;
let truth: GroundTruth;
let headers: Record<string, string>;
const ingested = { accepted: 0, duplicates: 0 };

beforeAll(async () => {
  truth = generateGroundTruth();
  vigie = await startTestApp(
    testConfig({
      timezone: "Europe/Paris",
      journeys: [
        {
          ...TEST_JOURNEYS[0],
          probes: { downAfter: 3, upAfter: 2, staleAfter: "15m" },
          errorRate: { threshold: 0.5, minAttempts: 1 },
          maintenance: [
            {
              start: new Date(truth.maintenance.start).toISOString(),
              end: new Date(truth.maintenance.end).toISOString(),
            },
          ],
        },
      ],
    }),
  );
  for (const batch of truth.batches) {
    const result = await vigie.events.ingest(batch);
    ingested.accepted += result.accepted;
    ingested.duplicates += result.duplicates;
  }
  await vigie.analytics.pass.run({ now: Date.now(), since: truth.from - DAY });
  headers = await authHeaders(vigie, "viewer");
}, 600_000);

afterAll(async () => {
  await vigie?.close();
});

async function get(url: string) {
  const response = await vigie.app.inject({ method: "GET", url, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const iso = (ms: number) => new Date(ms).toISOString();
const real = () => truth.runs.filter((r) => !r.synthetic);

/** The Paris local days of the data set, as [start, end) instants. */
function parisDays(): { start: number; end: number }[] {
  const days: { start: number; end: number }[] = [];
  for (let d = 12; d < 12 + 35; d++) {
    const date = new Date(Date.UTC(2026, 9, d));
    const next = new Date(Date.UTC(2026, 9, d + 1));
    days.push({
      start: parisMidnight(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()),
      end: parisMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()),
    });
  }
  return days;
}

/** Confirmed down intervals by the N/M rule, from judgements in time order. */
function downIntervals(judgements: { at: number; failed: boolean }[], n = 3, m = 2): [number, number][] {
  const out: [number, number][] = [];
  let down = false;
  let streakStart = 0;
  let fails = 0;
  let oks = 0;
  let since = 0;
  for (const j of judgements) {
    if (j.failed) {
      oks = 0;
      fails += 1;
      if (!down && fails === 1) streakStart = j.at;
      if (!down && fails >= n) {
        down = true;
        since = streakStart;
      }
    } else {
      fails = 0;
      oks += 1;
      if (down && oks === 1) streakStart = j.at;
      if (down && oks >= m) {
        down = false;
        out.push([since, streakStart]);
      }
    }
  }
  if (down) out.push([since, Number.POSITIVE_INFINITY]);
  return out;
}

/** Judgements of the probe runs for the journey (step null) or one step. */
function judgements(step: number | null) {
  return truth.runs
    .filter((r) => r.synthetic && (step === null || r.furthest >= step))
    .sort((a, b) => a.start - b.start)
    .map((r) => ({
      at: r.start,
      failed: r.outcome === "failed" && (step === null || r.furthest === step),
    }));
}

const overlap = (a: [number, number], s: number, e: number) =>
  Math.max(0, Math.min(a[1], e) - Math.max(a[0], s));

/** Time-based availability by hand: measured = range − maintenance; down = confirmed down ∩ measured. */
function expectedTimeRatio(step: number | null, s: number, e: number): number {
  const down = downIntervals(judgements(step));
  const m: [number, number] = [truth.maintenance.start, truth.maintenance.end];
  const measured = e - s - overlap(m, s, e);
  let downMs = 0;
  for (const d of down) {
    downMs += overlap(d, s, e);
    // down time inside maintenance is not counted
    const inBoth: [number, number] = [Math.max(d[0], m[0]), Math.min(d[1], m[1])];
    if (inBoth[1] > inBoth[0]) downMs -= overlap(inBoth, s, e);
  }
  return (measured - downMs) / measured;
}

function expectedFunnel(runs: TruthRun[]) {
  const reached = STEPS.map((_, i) => runs.filter((r) => r.furthest >= i).length);
  return {
    started: runs.length,
    completed: runs.filter((r) => r.outcome === "completed").length,
    steps: STEPS.map((step, i) => {
      const stopped = runs.filter((r) => r.furthest === i && r.outcome !== "completed");
      return {
        step,
        reached: reached[i],
        dropOff: {
          technicalFailure: stopped.filter((r) => r.outcome === "failed").length,
          businessRejection: stopped.filter((r) => r.outcome === "rejected").length,
          abandonment: stopped.filter((r) => r.outcome === "abandoned").length,
          inProgress: 0,
        },
      };
    }),
  };
}

describe("analytics against a known ground truth", () => {
  it("stores every distinct event once, counting resent ones as duplicates", () => {
    expect(ingested.accepted).toBe(truth.events.length);
    expect(ingested.duplicates).toBe(truth.batches.flat().length - truth.events.length);
  });

  it("ends every run with the outcome it really had, whatever the delivery order", async () => {
    for (const outcome of ["completed", "failed", "rejected", "abandoned"] as const) {
      const page = await get(
        `/api/v1/runs?journey=cco-subscription&synthetic=false&outcome=${outcome}&pageSize=1`,
      );
      expect(page.total, outcome).toBe(real().filter((r) => r.outcome === outcome).length);
    }
  });

  it("counts the funnel of the five weeks exactly", async () => {
    const funnel = await get(
      `/api/v1/journeys/cco-subscription/funnel?from=${iso(truth.from)}&to=${iso(truth.to)}`,
    );
    const expected = expectedFunnel(real().filter((r) => r.start >= truth.from && r.start < truth.to));
    expect(funnel.figures.started).toBe(expected.started);
    expect(funnel.figures.completed).toBe(expected.completed);
    expect(
      funnel.figures.steps.map((s: { step: string; reached: number; dropOff: unknown }) => ({
        step: s.step,
        reached: s.reached,
        dropOff: s.dropOff,
      })),
    ).toEqual(expected.steps);
  });

  it("counts the funnel of the 25-hour daylight-saving day and compares it with the day before", async () => {
    const start = parisMidnight(2026, 10, 25);
    const end = parisMidnight(2026, 10, 26);
    expect(end - start).toBe(25 * HOUR);
    const funnel = await get(
      `/api/v1/journeys/cco-subscription/funnel?from=${iso(start)}&to=${iso(end)}&compare=previous&by=channel`,
    );
    const day = real().filter((r) => r.start >= start && r.start < end);
    expect(funnel.figures.started).toBe(day.length);
    expect(funnel.figures.steps.map((s: { reached: number }) => s.reached)).toEqual(
      expectedFunnel(day).steps.map((s) => s.reached),
    );
    const before = real().filter((r) => r.start >= start - 25 * HOUR && r.start < start);
    expect(funnel.previous.figures.started).toBe(before.length);
    const web = funnel.breakdown.groups.find((g: { value: string }) => g.value === "web");
    expect(web.figures.started).toBe(day.filter((r) => r.channel === "web").length);
  });

  it("reports time to convert within the bucket holding the true median", async () => {
    const funnel = await get(
      `/api/v1/journeys/cco-subscription/funnel?from=${iso(truth.from)}&to=${iso(truth.to)}`,
    );
    const durations = real()
      .filter((r) => r.completedAt !== null)
      .map((r) => r.completedAt! - r.start)
      .sort((a, b) => a - b);
    const trueMedian = durations[Math.ceil(durations.length / 2) - 1]!;
    expect(funnel.figures.timeToConvertMs.p50).toBeGreaterThanOrEqual(trueMedian);
    expect(funnel.figures.timeToConvertMs.p50).toBeLessThanOrEqual(trueMedian * 1.6);
  });

  it("gives the traffic success rate of every local day, journey and steps, to 0.01 point", async () => {
    const answer = await get(
      `/api/v1/journeys/cco-subscription/availability?from=${iso(truth.from)}&to=${iso(truth.to)}&bucket=day&method=traffic`,
    );
    const days = parisDays();
    expect(answer.journeyLevel.buckets.map((b: { start: string }) => b.start)).toEqual(
      days.map((d) => iso(d.start)),
    );
    const outcomes = truth.events.filter((e) => !e.synthetic && e.outcome !== "started");
    const rate = (list: typeof outcomes) => {
      const bad = list.filter((e) => e.outcome === "error").length;
      return list.length === 0 ? null : (list.length - bad) / list.length;
    };
    days.forEach((d, i) => {
      const inDay = outcomes.filter((e) => e.time >= d.start && e.time < d.end);
      const got = answer.journeyLevel.buckets[i].traffic.ratio;
      expect(Math.abs(got - rate(inDay)!), iso(d.start)).toBeLessThan(0.0001);
      STEPS.forEach((step, s) => {
        const expected = rate(inDay.filter((e) => e.step === step));
        const ratio = answer.steps[s].buckets[i].traffic.ratio;
        if (expected === null) expect(ratio).toBeNull();
        else expect(Math.abs(ratio - expected), `${step} ${iso(d.start)}`).toBeLessThan(0.0001);
      });
    });
  });

  it("gives time-based availability over the five weeks and per day, maintenance excluded, to 0.01 point", async () => {
    const answer = await get(
      `/api/v1/journeys/cco-subscription/availability?from=${iso(truth.from)}&to=${iso(truth.to)}&bucket=day&method=time`,
    );
    expect(
      Math.abs(answer.journeyLevel.total.time.ratio - expectedTimeRatio(null, truth.from, truth.to)),
    ).toBeLessThan(0.0001);
    expect(answer.journeyLevel.total.time.excludedSeconds).toBe(3600);
    STEPS.forEach((step, s) => {
      const expected = expectedTimeRatio(s, truth.from, truth.to);
      expect(Math.abs(answer.steps[s].total.time.ratio - expected), step).toBeLessThan(0.0001);
    });
    parisDays().forEach((d, i) => {
      const expected = expectedTimeRatio(null, d.start, d.end);
      expect(Math.abs(answer.journeyLevel.buckets[i].time.ratio - expected), iso(d.start)).toBeLessThan(
        0.0001,
      );
    });
    expect(answer.journeyLevel.total.time.ratio).toBeLessThan(1);
  });

  it("opens one incident per outage with its start and end to the minute and the failing step", async () => {
    // signals: confirmed probe down periods, and minutes where a step's real outcomes were ≥ 50 % errors
    const signals: { start: number; end: number; step: string; source: string }[] = [];
    for (const [s, e] of downIntervals(judgements(null)))
      signals.push({ start: s, end: e, step: "", source: "probes" });
    STEPS.forEach((step, i) => {
      for (const [s, e] of downIntervals(judgements(i)))
        signals.push({ start: s, end: e, step, source: "probes" });
      const minutes = new Map<number, { errors: number; all: number }>();
      for (const ev of truth.events) {
        if (ev.synthetic || ev.step !== step || ev.outcome === "started") continue;
        const m = Math.floor(ev.time / MIN) * MIN;
        const cell = minutes.get(m) ?? { errors: 0, all: 0 };
        cell.all += 1;
        if (ev.outcome === "error") cell.errors += 1;
        minutes.set(m, cell);
      }
      for (const [m, c] of [...minutes.entries()].sort((a, b) => a[0] - b[0])) {
        if (c.errors / c.all < 0.5) continue;
        const last = signals.at(-1);
        if (last && last.source === "traffic" && last.step === step && last.end === m) last.end = m + MIN;
        else signals.push({ start: m, end: m + MIN, step, source: "traffic" });
      }
    });
    signals.sort((a, b) => a.start - b.start);
    const expected: { start: number; end: number; sources: Set<string> }[] = [];
    for (const s of signals) {
      const last = expected.at(-1);
      if (last && s.start <= last.end + 15 * MIN) {
        last.end = Math.max(last.end, s.end);
        last.sources.add(s.source);
      } else expected.push({ start: s.start, end: s.end, sources: new Set([s.source]) });
    }
    const page = await get("/api/v1/incidents?journey=cco-subscription&sort=startedAt:asc&pageSize=100");
    expect(page.items.map((i: { startedAt: string; endedAt: string }) => [i.startedAt, i.endedAt])).toEqual(
      expected.map((e) => [iso(e.start), iso(e.end)]),
    );
    expect(expected.length).toBe(truth.outages.length);
    page.items.forEach((incident: Record<string, unknown>, k: number) => {
      const outage = truth.outages[k]!;
      expect(incident.failingStep).toBe(outage.step);
      expect(incident.seenBy).toEqual([...expected[k]!.sources].sort());
      const affected = real().filter((r) =>
        r.errorTimes.some((t) => t >= expected[k]!.start && t < expected[k]!.end),
      );
      expect(incident.runsAffected).toBe(affected.length);
      expect(incident.status).toBe("closed");
    });
  });

  it("compares each hour of the last week with the same weekday and hour of the four weeks before", async () => {
    const start = parisMidnight(2026, 11, 9);
    const volumes = await get(
      `/api/v1/journeys/cco-subscription/volumes?from=${iso(start)}&to=${iso(truth.to)}&weeks=4`,
    );
    expect(volumes.hours).toHaveLength(168);
    const startsIn = (h: number) => real().filter((r) => r.start >= h && r.start < h + HOUR).length;
    const completionsIn = (h: number) =>
      real().filter((r) => r.completedAt !== null && r.completedAt >= h && r.completedAt < h + HOUR).length;
    const median = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    volumes.hours.forEach((hour: VolumeHour, i: number) => {
      const h = start + i * HOUR;
      expect(hour.start).toBe(iso(h));
      // the same Paris wall-clock hour k weeks earlier (the repeated hour of 25 Oct counts its second pass)
      const wall = h + parisOffset(h);
      const past = [1, 2, 3, 4].map((k) => {
        const w = wall - 7 * k * DAY;
        return parisHour(w - parisOffset(w - HOUR));
      });
      const samples = past.map(startsIn);
      expect(hour.starts).toBe(startsIn(h));
      expect(hour.completions).toBe(completionsIn(h));
      expect(hour.baseline.starts.samples).toEqual(samples);
      expect(hour.baseline.starts.median).toBe(median(samples));
      const mad = median(samples.map((x) => Math.abs(x - median(samples))));
      expect(hour.baseline.starts.spread).toBeCloseTo(1.4826 * mad, 9);
      expect(hour.baseline.completions.samples).toEqual(past.map(completionsIn));
    });
  });

  it("does not call a quiet night hour under-exposed, even in the half-volume week", async () => {
    const start = parisMidnight(2026, 10, 26);
    const volumes = await get(
      `/api/v1/journeys/cco-subscription/volumes?from=${iso(start)}&to=${iso(start + 7 * DAY)}&weeks=2`,
    );
    const night = volumes.hours.filter((h: { start: string }) => {
      const local = (Date.parse(h.start) + parisOffset(Date.parse(h.start))) % DAY;
      return local < 6 * HOUR;
    });
    expect(night.every((h: { underExposed: boolean }) => !h.underExposed)).toBe(true);
  });

  it("gives the overview of the five weeks: runs started and completed, and both availabilities", async () => {
    const answer = await get(`/api/v1/overview?from=${iso(truth.from)}&to=${iso(truth.to)}`);
    const cco = answer.journeys.find((j: { key: string }) => j.key === "cco-subscription");
    const runs = real().filter((r) => r.start >= truth.from && r.start < truth.to);
    expect(cco.started).toBe(runs.length);
    expect(cco.completed).toBe(runs.filter((r) => r.outcome === "completed").length);
    const outcomes = truth.events.filter((e) => !e.synthetic && e.outcome !== "started");
    expect(cco.availability.traffic.bad).toBe(outcomes.filter((e) => e.outcome === "error").length);
    expect(cco.availability.traffic.good).toBe(outcomes.filter((e) => e.outcome !== "error").length);
    expect(
      Math.abs(cco.availability.time.ratio - expectedTimeRatio(null, truth.from, truth.to)),
    ).toBeLessThan(0.0001);
  });

  it("reports latency quantiles per step from the histograms", async () => {
    const latency = await get(
      `/api/v1/journeys/cco-subscription/latency?from=${iso(truth.from)}&to=${iso(truth.to)}`,
    );
    const identity = latency.steps.find((s: { step: string }) => s.step === "identity");
    const durations = truth.events
      .filter((e) => !e.synthetic && e.step === "identity")
      .map((e) => e.durationMs)
      .sort((a, b) => a - b);
    expect(identity.count).toBe(durations.length);
    const p95 = durations[Math.ceil(0.95 * durations.length) - 1]!;
    expect(identity.p95).toBeGreaterThanOrEqual(p95);
    expect(identity.p95).toBeLessThanOrEqual(p95 * 1.5);
  });
});
