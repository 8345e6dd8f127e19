import { Anchor, Table, Text } from "@mantine/core";
import type { RunSummary } from "@vigie/contracts";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime, formatNumber } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";

/** The first real runs that failed during the incident, each linking to its detail, and a link to all of them. */
export function AffectedRuns({
  runs,
  allRunsLink,
}: {
  runs: { items: RunSummary[]; total: number };
  allRunsLink: string;
}) {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { stepName } = useJourneyNames();
  if (runs.total === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("incidents.runs.none")}
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={480}>
        <Table striped fz="sm" data-testid="affected-runs">
          <caption className="visually-hidden">{t("incidents.runs.title")}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("incidents.runs.run")}</Table.Th>
              <Table.Th scope="col">{t("incidents.runs.startedAt")}</Table.Th>
              <Table.Th scope="col">{t("incidents.runs.outcome")}</Table.Th>
              <Table.Th scope="col">{t("incidents.runs.step")}</Table.Th>
              <Table.Th scope="col">{t("incidents.columns.error")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.items.map((run) => (
              <Table.Tr key={run.runId}>
                <Table.Td ff="monospace">
                  <Anchor
                    component={Link}
                    to={`/runs/${encodeURIComponent(run.journey)}/${encodeURIComponent(run.runId)}`}
                    fz="sm"
                  >
                    {run.runId}
                  </Anchor>
                </Table.Td>
                <Table.Td className="tabular">{formatDateTime(run.startedAt, language, timeZone)}</Table.Td>
                <Table.Td>
                  <StateBadge state={run.outcome} size="sm" />
                </Table.Td>
                <Table.Td>{run.stoppedAtStep ? stepName(run.journey, run.stoppedAtStep) : ""}</Table.Td>
                <Table.Td ff="monospace">{run.errorCode ?? ""}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Anchor component={Link} to={allRunsLink} size="sm" mt="xs" display="inline-block">
        {t("incidents.runs.seeAll", { count: runs.total, total: formatNumber(runs.total, language) })}
      </Anchor>
    </>
  );
}
