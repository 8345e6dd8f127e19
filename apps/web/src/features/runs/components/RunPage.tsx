import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { Figure } from "../../../components/Figure.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDuration, formatTimestamp } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useRun } from "../api/get-run.ts";

/** One run: its outcome, its steps and every event it sent, in time order. */
export function RunPage() {
  const { journey = "", runId = "" } = useParams();
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const query = useRun(journey, runId);
  return (
    <QueryState query={query}>
      {(run) => {
        const end = run.completedAt ?? run.lastActivityAt;
        return (
          <Stack gap="md">
            <PageHeader
              title={t("runs.detail.title", { runId: run.runId })}
              subtitle={journeyName(run.journey)}
              crumbs={[
                { label: t("runs.title"), to: "/runs" },
                { label: journeyName(run.journey), to: `/journeys/${encodeURIComponent(run.journey)}` },
              ]}
              actions={
                <Group gap="xs">
                  <StateBadge state={run.outcome} size="lg" />
                  <Badge variant="outline" size="lg" color={run.synthetic ? "cyan.9" : "indigo.9"}>
                    {run.synthetic ? t("common.synthetic") : t("common.real")}
                  </Badge>
                </Group>
              }
            />
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <Figure
                label={t("runs.columns.startedAt")}
                value={formatTimestamp(run.startedAt, language, timeZone)}
              />
              <Figure
                label={t("runs.detail.duration")}
                value={formatDuration(Date.parse(end) - Date.parse(run.startedAt), language)}
              />
              <Figure
                label={run.stoppedAtStep ? t("runs.detail.stoppedAt") : t("runs.columns.furthestStep")}
                value={stepName(run.journey, run.stoppedAtStep ?? run.furthestStep)}
                tone={run.outcome === "failed" ? "bad" : undefined}
                hint={run.errorCode ?? undefined}
              />
              <Figure
                label={t("runs.detail.errors")}
                value={String(run.errorCount)}
                hint={run.recoveredFailure ? t("runs.detail.recovered") : undefined}
              />
            </SimpleGrid>
            {Object.keys(run.attributes).length > 0 ? (
              <Group gap="xs">
                {Object.entries(run.attributes).map(([name, value]) => (
                  <Badge key={name} variant="outline" color="gray.8" tt="none">
                    {name}: {value}
                  </Badge>
                ))}
              </Group>
            ) : null}
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="events-title">
              <Title order={2} size="h5" id="events-title" mb="sm">
                {t("runs.detail.events")}
              </Title>
              <Table.ScrollContainer minWidth={720}>
                <Table striped fz="sm" data-testid="run-events">
                  <caption className="visually-hidden">{t("runs.detail.events")}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t("runs.detail.time")}</Table.Th>
                      <Table.Th scope="col">{t("common.step")}</Table.Th>
                      <Table.Th scope="col">{t("runs.columns.outcome")}</Table.Th>
                      <Table.Th scope="col" style={{ textAlign: "right" }}>
                        {t("runs.detail.durationMs")}
                      </Table.Th>
                      <Table.Th scope="col">{t("runs.detail.error")}</Table.Th>
                      <Table.Th scope="col">{t("runs.detail.source")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {run.events.map((event) => (
                      <Table.Tr key={`${event.source}/${event.id}`}>
                        <Table.Td className="tabular">
                          {formatTimestamp(event.time, language, timeZone)}
                        </Table.Td>
                        <Table.Td>{stepName(run.journey, event.step)}</Table.Td>
                        <Table.Td>
                          <StateBadge state={event.outcome} size="sm" />
                        </Table.Td>
                        <Table.Td style={{ textAlign: "right" }} className="tabular">
                          {formatDuration(event.durationMs, language)}
                        </Table.Td>
                        <Table.Td>
                          {event.errorCode ? (
                            <Text size="sm">
                              <Text span ff="monospace" fz="sm">
                                {event.errorCode}
                              </Text>
                              {event.errorMessage ? ` — ${event.errorMessage}` : ""}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <Text size="xs" c="dimmed" ff="monospace">
                            {event.source}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          </Stack>
        );
      }}
    </QueryState>
  );
}
