import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import { IconAlertOctagon, IconCircleCheck, IconRefresh } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { Figure } from "../../../components/Figure.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime, formatDuration, formatNumber } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useIncident } from "../api/get-incident.ts";
import { useLiveIncidents } from "../hooks/use-live-incidents.ts";

/** One incident: when, where, which errors, whom it touched, and how to see the runs behind it. */
export function IncidentPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const query = useIncident(id);
  useLiveIncidents();

  return (
    <QueryState query={query}>
      {(incident) => {
        const end = incident.endedAt ? Date.parse(incident.endedAt) : Date.now();
        const runsLink = `/runs?${new URLSearchParams({
          journey: incident.journey,
          outcome: "failed",
          range: "custom",
          from: incident.startedAt,
          to: new Date(end).toISOString(),
          ...(incident.failingStep ? { step: incident.failingStep } : {}),
        })}`;
        return (
          <Stack gap="md">
            <PageHeader
              title={t("incidents.detail.title", { journey: journeyName(incident.journey), id: incident.id })}
              subtitle={
                incident.failingStep
                  ? t("incidents.detail.subtitle", { step: stepName(incident.journey, incident.failingStep) })
                  : undefined
              }
              crumbs={[
                { label: t("incidents.title"), to: "/incidents" },
                {
                  label: journeyName(incident.journey),
                  to: `/journeys/${encodeURIComponent(incident.journey)}`,
                },
              ]}
              actions={
                <Group gap="xs">
                  <StateBadge state={incident.status} size="lg" />
                  {incident.seenBy.map((s) => (
                    <Badge key={s} variant="light" size="lg" color={s === "probes" ? "cyan.9" : "indigo.9"}>
                      {t(`incidents.seenBy.${s}`)}
                    </Badge>
                  ))}
                </Group>
              }
            />
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Figure
                label={t("incidents.detail.start")}
                value={formatDateTime(incident.startedAt, language, timeZone)}
              />
              <Figure
                label={t("incidents.detail.duration")}
                value={formatDuration(end - Date.parse(incident.startedAt), language)}
                hint={
                  incident.endedAt
                    ? t("incidents.detail.endedAt", {
                        time: formatDateTime(incident.endedAt, language, timeZone),
                      })
                    : t("incidents.detail.ongoing")
                }
              />
              <Figure
                label={t("incidents.columns.runs")}
                value={formatNumber(incident.runsAffected, language)}
                tone="bad"
              />
              <Figure
                label={t("incidents.columns.prospects")}
                value={formatNumber(incident.prospectsAffected, language)}
                tone="bad"
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Paper withBorder radius="md" p="md" component="section" aria-labelledby="timeline-title">
                <Title order={2} size="h5" id="timeline-title" mb="sm">
                  {t("incidents.detail.timeline")}
                </Title>
                <Timeline active={incident.endedAt ? 2 : 1} bulletSize={26} lineWidth={2}>
                  <Timeline.Item
                    bullet={<IconAlertOctagon size={16} aria-hidden="true" />}
                    color="red"
                    title={t("incidents.detail.opened")}
                  >
                    <Text size="sm" c="dimmed">
                      {formatDateTime(incident.startedAt, language, timeZone)}
                    </Text>
                    <Text size="sm">
                      {incident.failingStep
                        ? t("incidents.detail.failingAt", {
                            step: stepName(incident.journey, incident.failingStep),
                          })
                        : ""}
                    </Text>
                  </Timeline.Item>
                  <Timeline.Item
                    bullet={<IconRefresh size={16} aria-hidden="true" />}
                    title={t("incidents.detail.updated")}
                  >
                    <Text size="sm" c="dimmed">
                      {formatDateTime(incident.updatedAt, language, timeZone)}
                    </Text>
                  </Timeline.Item>
                  <Timeline.Item
                    bullet={<IconCircleCheck size={16} aria-hidden="true" />}
                    color="teal"
                    title={incident.endedAt ? t("incidents.detail.closed") : t("incidents.detail.stillOpen")}
                  >
                    <Text size="sm" c="dimmed">
                      {incident.endedAt ? formatDateTime(incident.endedAt, language, timeZone) : ""}
                    </Text>
                  </Timeline.Item>
                </Timeline>
              </Paper>
              <Paper withBorder radius="md" p="md" component="section" aria-labelledby="errors-title">
                <Title order={2} size="h5" id="errors-title" mb="sm">
                  {t("incidents.detail.errors")}
                </Title>
                {incident.topErrorCodes.length === 0 ? (
                  <Text c="dimmed" size="sm">
                    {t("incidents.detail.noErrorCode")}
                  </Text>
                ) : (
                  <Table striped fz="sm">
                    <caption className="visually-hidden">{t("incidents.detail.errors")}</caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t("incidents.columns.error")}</Table.Th>
                        <Table.Th scope="col" style={{ textAlign: "right" }}>
                          {t("incidents.detail.occurrences")}
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {incident.topErrorCodes.map((error) => (
                        <Table.Tr key={error.code}>
                          <Table.Td ff="monospace">{error.code}</Table.Td>
                          <Table.Td style={{ textAlign: "right" }} className="tabular">
                            {formatNumber(error.count, language)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
                <Group mt="md">
                  <Button component={Link} to={runsLink} variant="light" size="sm">
                    {t("incidents.detail.seeRuns")}
                  </Button>
                  <Anchor
                    component={Link}
                    to={`/journeys/${encodeURIComponent(incident.journey)}?${new URLSearchParams({ range: "custom", from: new Date(Date.parse(incident.startedAt) - 3_600_000).toISOString(), to: new Date(end + 3_600_000).toISOString() })}`}
                    size="sm"
                  >
                    {t("incidents.detail.seeJourney")}
                  </Anchor>
                </Group>
              </Paper>
            </SimpleGrid>
          </Stack>
        );
      }}
    </QueryState>
  );
}
