import { Group, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { Funnel, FunnelAttribute } from "@vigie/contracts";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../../components/Chart.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatNumber } from "../../../lib/format.ts";
import { dropOffChart, funnelChart } from "../hooks/funnel-charts.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";
import { FunnelBreakdown } from "./FunnelBreakdown.tsx";

/**
 * The funnel (runs reaching each step), where prospects stop and why, and the same broken down by
 * an attribute (`query` must have asked for the breakdown by `by`).
 */
export function FunnelSection({
  query,
  previousQuery,
  by,
  onByChange,
  stepName,
}: {
  query: UseQueryResult<Funnel>;
  previousQuery: UseQueryResult<Funnel> | null;
  by: FunnelAttribute;
  onByChange(by: FunnelAttribute): void;
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const context = useChartContext();
  const data = query.data;
  const previous = previousQuery?.data;
  const charts = useMemo(
    () =>
      data
        ? {
            funnel: funnelChart(data, stepName, context, previous),
            dropOff: dropOffChart(data, stepName, context),
          }
        : null,
    [data, previous, stepName, context],
  );
  return (
    <QueryState query={query}>
      {(funnel) =>
        funnel.figures.started === 0 ? (
          <Paper withBorder radius="md" p="md" data-testid="chart-funnel">
            <Text c="dimmed" ta="center" py="md">
              {t("journey.funnel.empty")}
            </Text>
          </Paper>
        ) : (
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
              <Chart
                title={t("journey.funnel.title")}
                description={t("journey.funnel.description", {
                  started: formatNumber(funnel.figures.started, context.language),
                  completed: formatNumber(funnel.figures.completed, context.language),
                })}
                option={charts!.funnel.option}
                table={charts!.funnel.table}
                testId="chart-funnel"
              />
              <Chart
                title={t("journey.dropOff.title")}
                description={t("journey.dropOff.description")}
                option={charts!.dropOff.option}
                table={charts!.dropOff.table}
                testId="chart-drop-off"
                actions={
                  funnel.figures.recoveredFailures > 0 ? (
                    <Group gap={4}>
                      <Text size="xs" c="dimmed">
                        {t("journey.funnel.recovered", { count: funnel.figures.recoveredFailures })}
                      </Text>
                    </Group>
                  ) : null
                }
              />
            </SimpleGrid>
            <FunnelBreakdown funnel={funnel} by={by} onByChange={onByChange} stepName={stepName} />
          </Stack>
        )
      }
    </QueryState>
  );
}
