import * as echarts from "echarts";
import { describe, expect, it } from "vitest";
import { availabilityFixture } from "../../../test/fixtures.ts";
import { availabilityChart, availabilityFloor, lonelyPoints } from "./chart-options.ts";
import { topErrorCodes } from "./traffic-charts.ts";

describe("chart options", () => {
  it("starts the availability axis just under the worst point, never above the objective", () => {
    expect(availabilityFloor([0.999, 1, null], 0.995)).toBe(0.99);
    expect(availabilityFloor([0.962], 0.995)).toBe(0.95);
  });

  it("uses whole tens of percent when the period was bad", () => {
    expect(availabilityFloor([0.5, 1], 0.995)).toBe(0.4);
    expect(availabilityFloor([0], 0.995)).toBe(0);
  });

  it("finds the points a line cannot draw: a value with no value on either side", () => {
    expect([...lonelyPoints([null, 0.9, null, 1, 1, null, 0.5])]).toEqual([1, 6]);
    expect([...lonelyPoints([1])]).toEqual([0]);
  });

  it("ranks error codes by the number of failed runs, per step", () => {
    const top = topErrorCodes([
      { errorCode: "HTTP_502", stoppedAtStep: "offer" },
      { errorCode: "KYC_TIMEOUT", stoppedAtStep: "identity" },
      { errorCode: "KYC_TIMEOUT", stoppedAtStep: "identity" },
      { errorCode: null, stoppedAtStep: "identity" },
    ]);
    expect(top).toEqual([
      { code: "KYC_TIMEOUT", step: "identity", count: 2 },
      { code: "", step: "identity", count: 1 },
      { code: "HTTP_502", step: "offer", count: 1 },
    ]);
  });

  it("draws the objective line at the objective itself (99.5 %, not rounded to 99 %)", () => {
    const from = new Date("2026-11-18T23:00:00Z");
    const availability = availabilityFixture(
      "cco-subscription",
      from,
      new Date(from.getTime() + 7 * 86_400_000),
    );
    const { option } = availabilityChart(availability.journeyLevel.buckets, "hour", 0.995, {
      language: "fr",
      timeZone: "Europe/Paris",
      t: (key) => key,
    });
    const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 600, height: 300 });
    chart.setOption({ ...(option as object), animation: false });
    const expected = chart.convertToPixel({ yAxisIndex: 0 }, 0.995) as number;
    const svg = chart.renderToSVGString();
    chart.dispose();
    const dashed = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"[^>]*stroke="#c92a2a"/g)];
    expect(dashed.length).toBeGreaterThan(0);
    expect(Number(dashed[0]![2])).toBeCloseTo(expected, 0);
  });
});
