import { Anchor, Group, Paper, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime, formatDuration, formatNumber } from "../../../lib/format.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import type { TimeRange } from "../../../lib/time-range.ts";
import { useJourneyIncidents } from "../api/get-journey-incidents.ts";

/** The journey's incidents in the range: when, where, which error, how many prospects. */
export function IncidentsSection({
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
  const { language } = usePreferences();
  const query = useJourneyIncidents(journey, range, timeZone);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby="incidents-title"
      data-testid="journey-incidents"
    >
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id="incidents-title">
          {t("journey.incidents.title")}
        </Title>
        <Anchor
          component={Link}
          size="sm"
          to={`/incidents?${new URLSearchParams({ journey, range: "custom", from: range.from.toISOString(), to: range.to.toISOString() })}`}
        >
          {t("journey.incidents.all")}
        </Anchor>
      </Group>
      <QueryState query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed" size="sm" ta="center" py="md">
              {t("journey.incidents.none")}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped fz="sm">
                <caption className="visually-hidden">{t("journey.incidents.title")}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("journey.incidents.start")}</Table.Th>
                    <Table.Th scope="col">{t("journey.incidents.duration")}</Table.Th>
                    <Table.Th scope="col">{t("journey.incidents.status")}</Table.Th>
                    <Table.Th scope="col">{t("journey.incidents.step")}</Table.Th>
                    <Table.Th scope="col">{t("journey.incidents.error")}</Table.Th>
                    <Table.Th scope="col" style={{ textAlign: "right" }}>
                      {t("journey.incidents.prospects")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((incident) => (
                    <Table.Tr key={incident.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/incidents/${incident.id}`} fz="sm">
                          {formatDateTime(incident.startedAt, language, timeZone)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {formatDuration(
                          (incident.endedAt ? Date.parse(incident.endedAt) : Date.now()) -
                            Date.parse(incident.startedAt),
                          language,
                        )}
                      </Table.Td>
                      <Table.Td>
                        <StateBadge state={incident.status} size="sm" />
                      </Table.Td>
                      <Table.Td>{incident.failingStep ? stepName(incident.failingStep) : ""}</Table.Td>
                      <Table.Td ff="monospace">{incident.topErrorCodes[0]?.code ?? ""}</Table.Td>
                      <Table.Td style={{ textAlign: "right" }} className="tabular">
                        {formatNumber(incident.prospectsAffected, language)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Paper>
  );
}
