import { Paper, SimpleGrid, Text, Title } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import type { JourneyAvailability } from "@vigie/contracts";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../../components/Chart.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatPercent } from "../../../lib/format.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { availabilityChart } from "../hooks/chart-options.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";
import classes from "./Journey.module.css";

interface Props {
  journey: string;
  query: UseQueryResult<JourneyAvailability>;
  previousQuery: UseQueryResult<JourneyAvailability> | null;
  range: TimeRange;
  previous: TimeRange | null;
  objective: number;
  stepName(step: string): string;
  onZoom(from: Date, to: Date): void;
}

function stepTone(ratio: number | null, objective: number): string {
  if (ratio === null) return "no_data";
  if (ratio >= objective) return "up";
  return ratio >= objective - 0.05 ? "degraded" : "down";
}

/** Availability over time (both methods, objective line) and the per-step strip below it. */
export function AvailabilitySection({
  query,
  previousQuery,
  range,
  previous,
  objective,
  stepName,
  onZoom,
}: Props) {
  const { t } = useTranslation();
  const context = useChartContext();
  const data = query.data;
  const previousData = previousQuery?.data;
  const chart = useMemo(() => {
    if (!data) return null;
    return availabilityChart(
      data.journeyLevel.buckets,
      data.bucket,
      objective,
      context,
      previousData && previous
        ? {
            buckets: previousData.journeyLevel.buckets,
            shiftMs: range.from.getTime() - previous.from.getTime(),
          }
        : undefined,
    );
  }, [data, previousData, objective, context, range, previous]);

  return (
    <QueryState query={query}>
      {(answer) => (
        <>
          <Chart
            title={t("journey.availability.title")}
            description={t("journey.availability.description")}
            option={chart!.option}
            table={chart!.table}
            onBrush={onZoom}
            height={280}
            testId="chart-availability"
          />
          <Paper withBorder radius="md" p="md" component="section" aria-labelledby="steps-title">
            <Title order={3} size="h5" id="steps-title" mb="xs">
              {t("journey.steps.title")}
            </Title>
            <SimpleGrid
              cols={{ base: 2, sm: Math.min(4, answer.steps.length), lg: Math.min(8, answer.steps.length) }}
              spacing={6}
              component="ol"
              className={classes.strip}
              data-testid="step-strip"
            >
              {answer.steps.map((step, index) => {
                const ratio = step.total.traffic.ratio;
                const tone = stepTone(ratio, objective);
                return (
                  <li key={step.step} className={classes.stripStep} data-state={tone}>
                    <Text size="xs" c="dimmed">
                      {index + 1}
                    </Text>
                    <Text size="sm" fw={600} lineClamp={1}>
                      {stepName(step.step)}
                    </Text>
                    <Text size="lg" fw={700} className="tabular">
                      {formatPercent(ratio, context.language)}
                    </Text>
                    <Text size="xs">
                      {t(`state.${tone}`)} ·{" "}
                      {t("journey.steps.detail", {
                        time: formatPercent(step.total.time.ratio, context.language),
                        errors: step.total.traffic.bad,
                      })}
                    </Text>
                  </li>
                );
              })}
            </SimpleGrid>
          </Paper>
        </>
      )}
    </QueryState>
  );
}
