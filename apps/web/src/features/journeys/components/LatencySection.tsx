import { SegmentedControl } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../../components/Chart.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import type { TimeRange } from "../../../lib/time-range.ts";
import { useLatency } from "../api/get-latency.ts";
import { latencyChart } from "../hooks/traffic-charts.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";

/** Latency percentiles per step, for real prospects or for probes. */
export function LatencySection({
  journey,
  range,
  timeZone,
  stepName,
}: {
  journey: string;
  range: TimeRange;
  timeZone: string;
  stepName(step: string): string;
}) {
  const { t } = useTranslation();
  const context = useChartContext();
  const [origin, setOrigin] = useState<"real" | "synthetic">("real");
  const query = useLatency(journey, range, timeZone, origin);
  const chart = useMemo(
    () => (query.data ? latencyChart(query.data, stepName, context) : null),
    [query.data, stepName, context],
  );
  return (
    <QueryState query={query}>
      {() => (
        <Chart
          title={t("journey.latency.title")}
          description={t("journey.latency.description")}
          option={chart!.option}
          table={chart!.table}
          testId="chart-latency"
          actions={
            <SegmentedControl
              size="xs"
              aria-label={t("journey.latency.origin")}
              value={origin}
              onChange={(value) => setOrigin(value as "real" | "synthetic")}
              data={[
                { value: "real", label: t("common.real") },
                { value: "synthetic", label: t("common.synthetic") },
              ]}
            />
          }
        />
      )}
    </QueryState>
  );
}
