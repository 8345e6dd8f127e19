import { Anchor, Paper, Table, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatNumber } from "../../../lib/format.ts";
import type { TimeRange } from "../../../lib/time-range.ts";
import { FAILED_RUNS_SAMPLE, useFailedRuns } from "../api/get-failed-runs.ts";
import { topErrorCodes } from "../hooks/chart-options.ts";
import { useChartContext } from "../hooks/use-chart-context.ts";

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
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="errors-title"
      data-testid="top-errors"
    >
      <Title order={3} size="h5" id="errors-title">
        {t("journey.errors.title")}
      </Title>
      <QueryState query={query}>
        {(page) => (
          <>
            <Text size="xs" c="dimmed" mb="xs">
              {page.total > FAILED_RUNS_SAMPLE
                ? t("journey.errors.sampled", {
                    sample: FAILED_RUNS_SAMPLE,
                    total: formatNumber(page.total, language),
                  })
                : t("journey.errors.all", { count: page.total })}
            </Text>
            {top.length === 0 ? (
              <Text c="dimmed" size="sm" py="md" ta="center">
                {t("journey.errors.none")}
              </Text>
            ) : (
              <Table striped fz="sm">
                <caption className="visually-hidden">{t("journey.errors.title")}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("journey.errors.code")}</Table.Th>
                    <Table.Th scope="col">{t("common.step")}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("journey.errors.runs")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {top.map((entry) => (
                    <Table.Tr key={`${entry.code}-${entry.step}`}>
                      <Table.Td>
                        <Anchor component={Link} to={runsLink(entry.code)} ff="monospace" fz="sm">
                          {entry.code || t("journey.errors.noCode")}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{entry.step ? stepName(entry.step) : ""}</Table.Td>
                      <Table.Td style={{ textAlign: "right" }} className="tabular">
                        {formatNumber(entry.count, language)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </QueryState>
    </Paper>
  );
}
