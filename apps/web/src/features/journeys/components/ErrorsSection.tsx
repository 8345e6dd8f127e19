import { Anchor } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatNumber } from "../../../lib/format.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { FAILED_RUNS_SAMPLE, useFailedRuns } from "../api/get-failed-runs.ts";
import { topErrorCodes } from "../hooks/traffic-charts.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";
import { JourneySection, SectionTable } from "./JourneySection.tsx";

/** The most frequent error codes of real runs that failed in the range, each a link to those runs. */
export function ErrorsSection({
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
  const { language } = useChartContext();
  const query = useFailedRuns(journey, range, timeZone);
  const top = useMemo(() => (query.data ? topErrorCodes(query.data.items).slice(0, 8) : []), [query.data]);
  const runsLink = (code: string) =>
    `/runs?${new URLSearchParams({
      journey,
      outcome: "failed",
      errorCode: code,
      range: "custom",
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    })}`;
  return (
    <JourneySection
      title={t("journey.errors.title")}
      testId="top-errors"
      query={query}
      summary={(page) =>
        page.total > FAILED_RUNS_SAMPLE
          ? t("journey.errors.sampled", {
              sample: FAILED_RUNS_SAMPLE,
              total: formatNumber(page.total, language),
            })
          : t("journey.errors.all", { count: page.total })
      }
      empty={{ when: () => top.length === 0, text: t("journey.errors.none") }}
    >
      {() => (
        <SectionTable
          caption={t("journey.errors.title")}
          rows={top}
          rowKey={(entry) => `${entry.code}-${entry.step}`}
          columns={[
            {
              key: "code",
              header: t("journey.errors.code"),
              cell: (entry) => (
                <Anchor component={Link} to={runsLink(entry.code)} ff="monospace" fz="sm">
                  {entry.code || t("journey.errors.noCode")}
                </Anchor>
              ),
            },
            {
              key: "step",
              header: t("common.step"),
              cell: (entry) => (entry.step ? stepName(entry.step) : ""),
            },
            {
              key: "runs",
              header: t("journey.errors.runs"),
              numeric: true,
              cell: (entry) => formatNumber(entry.count, language),
            },
          ]}
        />
      )}
    </JourneySection>
  );
}
