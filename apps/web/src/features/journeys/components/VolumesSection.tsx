import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Chart } from "../../../components/Chart.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import type { TimeRange } from "../../../lib/time-range.ts";
import { useVolumes } from "../api/get-volumes.ts";
import { volumesChart } from "../hooks/traffic-charts.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";

/** Starts and completions per hour against the usual band for that weekday and hour. */
export function VolumesSection({
  journey,
  range,
  timeZone,
  onZoom,
}: {
  journey: string;
  range: TimeRange;
  timeZone: string;
  onZoom(from: Date, to: Date): void;
}) {
  const { t } = useTranslation();
  const context = useChartContext();
  const query = useVolumes(journey, range, timeZone);
  const chart = useMemo(() => (query.data ? volumesChart(query.data, context) : null), [query.data, context]);
  return (
    <QueryState query={query}>
      {(volumes) => (
        <Chart
          title={t("journey.volumes.title")}
          description={t("journey.volumes.description", { weeks: volumes.weeks })}
          option={chart!.option}
          table={chart!.table}
          onBrush={onZoom}
          testId="chart-volumes"
        />
      )}
    </QueryState>
  );
}
