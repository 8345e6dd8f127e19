import {
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router";
import { Figure } from "../../../components/Figure.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { ApiError } from "../../../lib/api.ts";
import { formatDateTime, formatDuration, formatNumber } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useCurrentUser } from "../../../lib/session.ts";
import { useIncident } from "../api/get-incident.ts";
import { useLiveIncidents } from "../hooks/use-live-incidents.ts";
import { AcknowledgeAction } from "./AcknowledgeAction.tsx";
import { AffectedRuns } from "./AffectedRuns.tsx";
import { AlertsSentTable } from "./AlertsSentTable.tsx";
import { IncidentTimeline } from "./IncidentTimeline.tsx";
import { NoteForm } from "./NoteForm.tsx";

/** Roles on duty: they acknowledge incidents and write notes (the server checks it too). */
const RESPONDERS = ["admin", "operator"];

/** A titled panel of the detail page, labelled for assistive technologies. */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h5" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/**
 * One incident: when, where, which errors, whom it touched, what happened since (timeline, alerts
 * sent), the runs behind it; those on duty acknowledge it and write notes.
 */
export function IncidentPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const query = useIncident(id);
  const user = useCurrentUser();
  const canRespond = user?.roles.some((role) => RESPONDERS.includes(role)) ?? false;
  useLiveIncidents();
  // an incident merged into another one: its old links lead to the one that absorbed it
  const mergedInto = query.error instanceof ApiError ? query.error.problem.mergedInto : undefined;
  if (typeof mergedInto === "number") return <Navigate to={`/incidents/${mergedInto}`} replace />;

  return (
    <QueryState query={query}>
      {(incident) => {
        const end = incident.endedAt ? Date.parse(incident.endedAt) : Date.now();
        // the same runs as the detail's table: real ones, started during the incident, failed
        const runsLink = `/runs?${new URLSearchParams({
          journey: incident.journey,
          outcome: "failed",
          synthetic: "false",
          range: "custom",
          from: incident.startedAt,
          to: new Date(end + 60_000).toISOString(),
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
                  <AcknowledgeAction incident={incident} canRespond={canRespond} />
                  <StateBadge state={incident.status} size="lg" />
                  {incident.seenBy.map((s) => (
                    <Badge key={s} variant="filled" size="lg" color={s === "probes" ? "cyan.9" : "indigo.9"}>
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
              <Section id="timeline-title" title={t("incidents.detail.timeline")}>
                <IncidentTimeline journey={incident.journey} timeline={incident.timeline} />
                {canRespond ? (
                  <>
                    <Divider my="md" />
                    <NoteForm incidentId={String(incident.id)} />
                  </>
                ) : null}
              </Section>
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
            <Section id="alerts-title" title={t("incidents.alerts.title")}>
              <AlertsSentTable alerts={incident.alertsSent} />
            </Section>
            {incident.runs ? (
              <Section id="runs-title" title={t("incidents.runs.title")}>
                <AffectedRuns runs={incident.runs} allRunsLink={runsLink} />
              </Section>
            ) : null}
          </Stack>
        );
      }}
    </QueryState>
  );
}
