import type { AvailabilityBucket } from "@vigie/contracts";
import type { ChartOption, ChartTable } from "../../../components/Chart.tsx";
import { formatBucket, formatPercent, type Language } from "../../../lib/format.ts";

/** What every chart builder needs to speak the reader's language. */
export interface ChartContext {
  language: Language;
  timeZone: string;
  t: (key: string, values?: Record<string, unknown>) => string;
}

/** The colours of the journey page's charts; state colours are kept for states. */
export const COLORS = {
  traffic: "#1f4c9e",
  time: "#0c8599",
  previous: "#adb5bd",
  objective: "#c92a2a",
  completions: "#2b8a3e",
  band: "rgba(31, 76, 158, 0.14)",
  technical: "#c92a2a",
  business: "#e67700",
  abandonment: "#868e96",
  inProgress: "#4dabf7",
};

/** A 0–100 % value axis from `min`. */
export function percentAxis(min: number) {
  return {
    type: "value",
    min,
    max: 1,
    axisLabel: { formatter: (value: number) => `${Math.round(value * 1000) / 10} %` },
    splitLine: { lineStyle: { color: "#eceff3" } },
  };
}

/** A time axis labelled in the reader's language and timezone, by bucket. */
export function timeAxis(context: ChartContext, bucket: string) {
  return {
    type: "time",
    axisLabel: {
      formatter: (value: number) => formatBucket(value, context.language, context.timeZone, bucket),
      hideOverlap: true,
    },
  };
}

/** The lowest y value worth showing: a bit under the worst point, never above the objective. */
export function availabilityFloor(values: (number | null)[], objective: number): number {
  const present = values.filter((value): value is number => value !== null);
  const worst = Math.min(objective, ...present);
  // Whole tens of percent for a bad period (so axis labels do not collide), else to the percent.
  if (worst < 0.9) return Math.max(0, Math.floor((worst - 0.001) * 10) / 10);
  return Math.max(0, Math.floor((worst - 0.005) * 100) / 100);
}

/** Indexes of points with a value but none on either side: a line alone would not draw them. */
export function lonelyPoints(values: (number | null)[]): Set<number> {
  const lonely = new Set<number>();
  values.forEach((value, index) => {
    if (value !== null && (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null)
      lonely.add(index);
  });
  return lonely;
}

/** Symbols on every point of a short series, else only where a point stands alone. */
function pointSymbols(values: (number | null)[]) {
  if (values.length < 60) return { showSymbol: true };
  const lonely = lonelyPoints(values);
  return {
    showSymbol: lonely.size > 0,
    showAllSymbol: true,
    symbolSize: (_value: unknown, params: { dataIndex: number }) => (lonely.has(params.dataIndex) ? 5 : 0),
  };
}

/**
 * Availability over time, both methods, with the objective line; with `previous`, the previous
 * period's traffic availability drawn dashed and shifted onto the same time axis.
 */
export function availabilityChart(
  buckets: AvailabilityBucket[],
  bucket: string,
  objective: number,
  context: ChartContext,
  previous?: { buckets: AvailabilityBucket[]; shiftMs: number },
): { option: ChartOption; table: ChartTable } {
  const { t, language, timeZone } = context;
  const traffic = buckets.map((b) => [Date.parse(b.start), b.traffic.ratio] as const);
  const time = buckets.map((b) => [Date.parse(b.start), b.time.ratio] as const);
  const series: unknown[] = [
    {
      name: t("journey.availability.traffic"),
      type: "line",
      data: traffic,
      ...pointSymbols(traffic.map((point) => point[1])),
      connectNulls: false,
      lineStyle: { width: 2.5 },
      color: COLORS.traffic,
      markLine: {
        silent: true,
        symbol: "none",
        // ECharts rounds mark lines to 2 decimals by default: 0.995 would be drawn at 99 %
        precision: 4,
        lineStyle: { color: COLORS.objective, type: "dashed" },
        label: {
          formatter: `${t("journey.objective")} ${formatPercent(objective, language, 1)}`,
          position: "insideEndTop",
        },
        data: [{ yAxis: objective }],
      },
    },
    {
      name: t("journey.availability.time"),
      type: "line",
      data: time,
      ...pointSymbols(time.map((point) => point[1])),
      step: "end",
      color: COLORS.time,
    },
  ];
  const values = [...traffic.map((p) => p[1]), ...time.map((p) => p[1])];
  if (previous) {
    const shifted = previous.buckets.map(
      (b) => [Date.parse(b.start) + previous.shiftMs, b.traffic.ratio] as const,
    );
    values.push(...shifted.map((p) => p[1]));
    series.push({
      name: t("journey.previousPeriod"),
      type: "line",
      data: shifted,
      ...pointSymbols(shifted.map((point) => point[1])),
      lineStyle: { type: "dashed", width: 1.5 },
      color: COLORS.previous,
    });
  }
  const option: ChartOption = {
    grid: { left: 56, right: 24, top: 36, bottom: 28 },
    legend: { top: 0, left: 0 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (value: number | null) => formatPercent(value, language),
    },
    xAxis: timeAxis(context, bucket),
    yAxis: percentAxis(availabilityFloor(values, objective)),
    series,
  };
  const table: ChartTable = {
    columns: [t("journey.table.period"), t("journey.availability.traffic"), t("journey.availability.time")],
    rows: buckets.map((b) => [
      formatBucket(b.start, language, timeZone, bucket),
      formatPercent(b.traffic.ratio, language),
      formatPercent(b.time.ratio, language),
    ]),
  };
  return { option, table };
}
