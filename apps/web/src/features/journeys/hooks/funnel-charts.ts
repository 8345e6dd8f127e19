import type { Funnel } from "@vigie/contracts";
import type { ChartOption, ChartTable } from "../../../components/Chart.tsx";
import { formatNumber, formatPercent } from "../../../lib/format.ts";
import { type ChartContext, COLORS } from "./chart-options.ts";

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
