import type { Latency, Volumes } from "@vigie/contracts";
import type { ChartOption, ChartTable } from "../../../components/Chart.tsx";
import { formatBucket, formatDuration, formatNumber } from "../../../lib/format.ts";
import { type ChartContext, COLORS, timeAxis } from "./chart-options.ts";

/** Starts per hour against the usual band (median ± spread of past weeks), completions beside. */
export function volumesChart(
  volumes: Volumes,
  context: ChartContext,
): { option: ChartOption; table: ChartTable } {
  const { t, language, timeZone } = context;
  const hours = volumes.hours;
  const at = (h: (typeof hours)[number]) => Date.parse(h.start);
  const low = hours.map((h) => {
    const { median, spread } = h.baseline.starts;
    return [at(h), median === null ? null : Math.max(0, median - (spread ?? 0))] as const;
  });
  const width = hours.map((h) => {
    const { median, spread } = h.baseline.starts;
    if (median === null) return [at(h), null] as const;
    const bottom = Math.max(0, median - (spread ?? 0));
    return [at(h), median + (spread ?? 0) - bottom] as const;
  });
  const option: ChartOption = {
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    legend: {
      top: 0,
      left: 0,
      data: [t("journey.volumes.starts"), t("journey.volumes.completions"), t("journey.volumes.band")],
    },
    tooltip: { trigger: "axis", valueFormatter: (value: number | null) => formatNumber(value, language, 1) },
    xAxis: timeAxis(context, "hour"),
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#eceff3" } } },
    series: [
      {
        name: "low",
        type: "line",
        data: low,
        stack: "band",
        lineStyle: { opacity: 0 },
        symbol: "none",
        tooltip: { show: false },
      },
      {
        name: t("journey.volumes.band"),
        type: "line",
        data: width,
        stack: "band",
        lineStyle: { opacity: 0 },
        symbol: "none",
        areaStyle: { color: COLORS.band },
        color: COLORS.band,
      },
      {
        name: t("journey.volumes.starts"),
        type: "line",
        data: hours.map((h) => [at(h), h.starts]),
        color: COLORS.traffic,
        showSymbol: false,
        lineStyle: { width: 2.5 },
      },
      {
        name: t("journey.volumes.completions"),
        type: "line",
        data: hours.map((h) => [at(h), h.completions]),
        color: COLORS.completions,
        showSymbol: false,
      },
    ],
  };
  const table: ChartTable = {
    columns: [
      t("journey.table.hour"),
      t("journey.volumes.starts"),
      t("journey.volumes.expected"),
      t("journey.volumes.completions"),
      t("journey.volumes.underExposed"),
    ],
    rows: hours.map((h) => [
      formatBucket(h.start, language, timeZone, "hour"),
      formatNumber(h.starts, language),
      formatNumber(h.baseline.starts.median, language, 1),
      formatNumber(h.completions, language),
      h.underExposed ? t("common.yes") : t("common.no"),
    ]),
  };
  return { option, table };
}

/** p50, p95 and p99 per step, with each step's objective as a marker. */
export function latencyChart(
  latency: Latency,
  stepName: (step: string) => string,
  context: ChartContext,
): { option: ChartOption; table: ChartTable } {
  const { t, language } = context;
  const steps = latency.steps;
  const names = steps.map((s) => stepName(s.step));
  const option: ChartOption = {
    grid: { left: 64, right: 16, top: 36, bottom: 48 },
    legend: { top: 0, left: 0 },
    tooltip: { trigger: "axis", valueFormatter: (value: number | null) => formatDuration(value, language) },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 20 : 0 } },
    yAxis: {
      type: "value",
      axisLabel: { formatter: (value: number) => formatDuration(value, language) },
      splitLine: { lineStyle: { color: "#eceff3" } },
    },
    series: [
      ...(["p50", "p95", "p99"] as const).map((quantile, index) => ({
        name: quantile,
        type: "bar",
        data: steps.map((s) => s[quantile]),
        color: ["#74c0fc", "#1f4c9e", "#0b2a5b"][index],
        barMaxWidth: 22,
      })),
      {
        name: t("journey.objective"),
        type: "line",
        data: steps.map((s) => s.objectiveMs),
        color: COLORS.objective,
        lineStyle: { opacity: 0 },
        symbol: "rect",
        symbolSize: [26, 3],
      },
    ],
  };
  const table: ChartTable = {
    columns: [t("common.step"), t("journey.latency.count"), "p50", "p95", "p99", t("journey.objective")],
    rows: steps.map((s, index) => [
      names[index]!,
      formatNumber(s.count, language),
      formatDuration(s.p50, language),
      formatDuration(s.p95, language),
      formatDuration(s.p99, language),
      formatDuration(s.objectiveMs, language),
    ]),
  };
  return { option, table };
}

/** Error codes of failed runs, most frequent first. */
export function topErrorCodes(runs: { errorCode: string | null; stoppedAtStep: string | null }[]) {
  const counts = new Map<string, { code: string; step: string | null; count: number }>();
  for (const run of runs) {
    const code = run.errorCode ?? "";
    const key = `${code}\n${run.stoppedAtStep ?? ""}`;
    const entry = counts.get(key) ?? { code, step: run.stoppedAtStep, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
