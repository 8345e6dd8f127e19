import type { AvailabilityBucket, Funnel, Latency, Volumes } from "@vigie/contracts";
import type { ChartOption, ChartTable } from "../../../components/Chart.tsx";
import {
  formatBucket,
  formatDuration,
  formatNumber,
  formatPercent,
  type Language,
} from "../../../lib/format.ts";

/** What every chart builder needs to speak the reader's language. */
export interface ChartContext {
  language: Language;
  timeZone: string;
  t: (key: string, values?: Record<string, unknown>) => string;
}

const COLORS = {
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

function percentAxis(min: number) {
  return {
    type: "value",
    min,
    max: 1,
    axisLabel: { formatter: (value: number) => `${Math.round(value * 1000) / 10} %` },
    splitLine: { lineStyle: { color: "#eceff3" } },
  };
}

function timeAxis(context: ChartContext, bucket: string) {
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

/** Runs reaching each step (bars), with the previous period beside them when comparing. */
export function funnelChart(
  funnel: Funnel,
  stepName: (step: string) => string,
  context: ChartContext,
  previous?: Funnel,
): { option: ChartOption; table: ChartTable } {
  const { t, language } = context;
  const steps = funnel.figures.steps;
  const names = steps.map((s) => stepName(s.step));
  const series: unknown[] = [
    {
      name: t("journey.funnel.reached"),
      type: "bar",
      data: steps.map((s) => s.reached),
      color: COLORS.traffic,
      barMaxWidth: 42,
      label: {
        show: true,
        position: "top",
        formatter: ({ dataIndex }: { dataIndex: number }) =>
          formatPercent(steps[dataIndex]?.conversionFromStart ?? null, language, 1),
      },
    },
  ];
  if (previous) {
    series.push({
      name: t("journey.previousPeriod"),
      type: "bar",
      data: steps.map((s) => previous.figures.steps.find((p) => p.step === s.step)?.reached ?? 0),
      color: COLORS.previous,
      barMaxWidth: 42,
    });
  }
  const option: ChartOption = {
    grid: { left: 56, right: 16, top: 36, bottom: 48 },
    legend: { top: 0, left: 0 },
    tooltip: { trigger: "axis", valueFormatter: (value: number) => formatNumber(value, language) },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 20 : 0 } },
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#eceff3" } } },
    series,
  };
  const table: ChartTable = {
    columns: [
      t("common.step"),
      t("journey.funnel.reached"),
      t("journey.funnel.fromStart"),
      t("journey.funnel.fromPrevious"),
    ],
    rows: steps.map((s, index) => [
      names[index]!,
      formatNumber(s.reached, language),
      formatPercent(s.conversionFromStart, language, 1),
      formatPercent(s.conversionFromPrevious, language, 1),
    ]),
  };
  return { option, table };
}

/** Where prospects stop, per step, split into technical failure, business rejection and abandonment. */
export function dropOffChart(
  funnel: Funnel,
  stepName: (step: string) => string,
  context: ChartContext,
): { option: ChartOption; table: ChartTable } {
  const { t, language } = context;
  const steps = funnel.figures.steps;
  const names = steps.map((s) => stepName(s.step));
  const kinds = [
    ["technicalFailure", COLORS.technical],
    ["businessRejection", COLORS.business],
    ["abandonment", COLORS.abandonment],
    ["inProgress", COLORS.inProgress],
  ] as const;
  const option: ChartOption = {
    grid: { left: 56, right: 16, top: 36, bottom: 48 },
    legend: { top: 0, left: 0 },
    tooltip: { trigger: "axis", valueFormatter: (value: number) => formatNumber(value, language) },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 20 : 0 } },
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#eceff3" } } },
    series: kinds.map(([kind, color]) => ({
      name: t(`journey.dropOff.${kind}`),
      type: "bar",
      stack: "dropOff",
      color,
      barMaxWidth: 42,
      data: steps.map((s) => s.dropOff[kind]),
    })),
  };
  const table: ChartTable = {
    columns: [t("common.step"), ...kinds.map(([kind]) => t(`journey.dropOff.${kind}`))],
    rows: steps.map((s, index) => [
      names[index]!,
      ...kinds.map(([kind]) => formatNumber(s.dropOff[kind], language)),
    ]),
  };
  return { option, table };
}

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

const DROP_KINDS = [
  ["technicalFailure", COLORS.technical],
  ["businessRejection", COLORS.business],
  ["abandonment", COLORS.abandonment],
  ["inProgress", COLORS.inProgress],
] as const;

/** One value of the breakdown attribute: its funnel summed up in a row. */
export interface BreakdownRow {
  /** The attribute's value; "" for runs that did not carry the attribute. */
  value: string;
  started: number;
  completed: number;
  conversion: number | null;
  /** Runs that stopped without completing, by why (every step together). */
  dropOff: Record<(typeof DROP_KINDS)[number][0], number>;
  /** The step where most runs stopped (in progress excluded); null when none stopped. */
  mostLostAt: string | null;
  timeToConvertMs: number | null;
}

/** The breakdown's groups as rows, largest first (then by value, the unset value last). */
export function breakdownRows(breakdown: NonNullable<Funnel["breakdown"]>): BreakdownRow[] {
  return breakdown.groups
    .map(({ value, figures }) => {
      const dropOff = { technicalFailure: 0, businessRejection: 0, abandonment: 0, inProgress: 0 };
      let mostLostAt: string | null = null;
      let mostLost = 0;
      for (const step of figures.steps) {
        for (const [kind] of DROP_KINDS) dropOff[kind] += step.dropOff[kind];
        const lost =
          step.dropOff.technicalFailure + step.dropOff.businessRejection + step.dropOff.abandonment;
        if (lost > mostLost) {
          mostLost = lost;
          mostLostAt = step.step;
        }
      }
      return {
        value,
        started: figures.started,
        completed: figures.completed,
        conversion: figures.conversion,
        dropOff,
        mostLostAt,
        timeToConvertMs: figures.timeToConvertMs.p50,
      };
    })
    .sort(
      (a, b) =>
        b.started - a.started ||
        Number(a.value === "") - Number(b.value === "") ||
        a.value.localeCompare(b.value),
    );
}

/**
 * Runs started per value of the attribute (one horizontal bar each), split into completed and the
 * reasons the others stopped, so values with a worse funnel stand out.
 */
export function breakdownChart(
  rows: BreakdownRow[],
  valueName: (value: string) => string,
  context: ChartContext,
): { option: ChartOption; table: ChartTable } {
  const { t, language } = context;
  const names = rows.map((row) => valueName(row.value));
  const parts = [
    {
      name: t("journey.breakdown.completed"),
      color: COLORS.completions,
      of: (row: BreakdownRow) => row.completed,
    },
    ...DROP_KINDS.map(([kind, color]) => ({
      name: t(`journey.dropOff.${kind}`),
      color,
      of: (row: BreakdownRow) => row.dropOff[kind],
    })),
  ];
  const option: ChartOption = {
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (value: number) => formatNumber(value, language),
    },
    // first row on top
    yAxis: { type: "category", data: names, inverse: true },
    xAxis: { type: "value", splitLine: { lineStyle: { color: "#eceff3" } } },
    series: parts.map((part) => ({
      name: part.name,
      type: "bar",
      stack: "runs",
      color: part.color,
      barMaxWidth: 28,
      data: rows.map(part.of),
    })),
  };
  const table: ChartTable = {
    columns: [t("journey.breakdown.value"), t("journey.figures.started"), ...parts.map((part) => part.name)],
    rows: rows.map((row, index) => [
      names[index]!,
      formatNumber(row.started, language),
      ...parts.map((part) => formatNumber(part.of(row), language)),
    ]),
  };
  return { option, table };
}
