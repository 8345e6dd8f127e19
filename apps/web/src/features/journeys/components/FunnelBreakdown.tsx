import { Group, Paper, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import type { Funnel, FunnelAttribute } from "@vigie/contracts";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../../components/Chart.tsx";
import { formatDuration, formatNumber, formatPercent } from "../../../lib/format.ts";
import { type BreakdownRow, breakdownChart, breakdownRows } from "../hooks/funnel-charts.ts";
import { BREAKDOWN_ATTRIBUTES, breakdownText } from "../hooks/use-breakdown.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";
import { SectionTable } from "./JourneySection.tsx";

/** Per value of the attribute: runs started and completed, conversion, why the others stopped, and where. */
export function BreakdownTable({
  attribute,
  rows,
  stepName,
}: {
  attribute: FunnelAttribute;
  rows: BreakdownRow[];
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const { language } = useChartContext();
  const count = (value: number) => formatNumber(value, language);
  return (
    <SectionTable
      caption={t(breakdownText(attribute, "title"))}
      testId="funnel-breakdown-table"
      minWidth={880}
      rows={rows}
      rowKey={(row) => row.value}
      rowProps={(row) => ({ "data-value": row.value })}
      columns={[
        {
          key: "value",
          header: t(breakdownText(attribute, "label")),
          cell: (row) => row.value || t("journey.breakdown.unset"),
        },
        {
          key: "started",
          header: t("journey.figures.started"),
          numeric: true,
          cell: (row) => count(row.started),
        },
        {
          key: "completed",
          header: t("journey.breakdown.completed"),
          numeric: true,
          cell: (row) => count(row.completed),
        },
        {
          key: "conversion",
          header: t("journey.figures.conversion"),
          numeric: true,
          cell: (row) => formatPercent(row.conversion, language, 1),
        },
        ...(["technicalFailure", "businessRejection", "abandonment", "inProgress"] as const).map((kind) => ({
          key: kind,
          header: t(`journey.dropOff.${kind}`),
          numeric: true,
          cell: (row: BreakdownRow) => count(row.dropOff[kind]),
        })),
        {
          key: "mostLostAt",
          header: t("journey.breakdown.mostLostAt"),
          cell: (row) => (row.mostLostAt ? stepName(row.mostLostAt) : ""),
        },
        {
          key: "timeToConvert",
          header: t("journey.breakdown.timeToConvert"),
          numeric: true,
          cell: (row) => formatDuration(row.timeToConvertMs, language),
        },
      ]}
    />
  );
}

/**
 * The funnel broken down by product or channel over the page's range: a table of each value's
 * figures and a chart of how each value's journeys ended, with the attribute chosen beside the title.
 */
export function FunnelBreakdown({
  funnel,
  by,
  onByChange,
  stepName,
}: {
  funnel: Funnel;
  by: FunnelAttribute;
  onByChange(by: FunnelAttribute): void;
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const context = useChartContext();
  const titleId = useId();
  // While another attribute loads, the previous answer stays: name what is shown, not what is asked.
  const attribute = funnel.breakdown?.attribute ?? by;
  const rows = useMemo(() => (funnel.breakdown ? breakdownRows(funnel.breakdown) : []), [funnel.breakdown]);
  const chart = useMemo(
    () => breakdownChart(rows, (value) => value || t("journey.breakdown.unset"), context),
    [rows, t, context],
  );
  const carried = rows.some((row) => row.value !== "");
  return (
    <Stack gap="md">
      <Paper
        withBorder
        radius="md"
        p="md"
        component="section"
        aria-labelledby={titleId}
        data-testid="funnel-breakdown"
      >
        <Group justify="space-between" align="flex-start" gap="sm">
          <div>
            <Title order={3} size="h5" id={titleId}>
              {t(breakdownText(attribute, "title"))}
            </Title>
            <Text size="xs" c="dimmed" mb="xs">
              {t("journey.breakdown.description")}
            </Text>
          </div>
          <Group gap="xs">
            <Text size="sm" aria-hidden="true">
              {t("journey.breakdown.by")}
            </Text>
            <SegmentedControl
              size="xs"
              aria-label={t("journey.breakdown.by")}
              value={by}
              onChange={(value) => onByChange(value as FunnelAttribute)}
              data={BREAKDOWN_ATTRIBUTES.map((value) => ({ value, label: t(breakdownText(value, "label")) }))}
            />
          </Group>
        </Group>
        {carried ? (
          <BreakdownTable attribute={attribute} rows={rows} stepName={stepName} />
        ) : (
          <Text c="dimmed" size="sm" ta="center" py="md">
            {t(breakdownText(attribute, "none"))}
          </Text>
        )}
      </Paper>
      {carried ? (
        <Chart
          title={t(breakdownText(attribute, "chartTitle"))}
          description={t("journey.breakdown.chartDescription")}
          option={chart.option}
          table={chart.table}
          height={Math.max(160, 72 + 36 * rows.length)}
          testId="chart-funnel-breakdown"
        />
      ) : null}
    </Stack>
  );
}
