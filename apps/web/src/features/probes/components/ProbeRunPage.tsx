import {
  Alert,
  Badge,
  Code,
  Group,
  Image,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { Figure } from "../../../components/Figure.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDuration, formatTimestamp } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useProbeRun } from "../api/probes.ts";
import type { ProbeAttempt } from "../api/types.ts";

function Attempt({ attempt, journey }: { attempt: ProbeAttempt; journey: string }) {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { stepName } = useJourneyNames();
  const longest = Math.max(1, ...attempt.steps.map((s) => s.durationMs));
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-label={t("probes.run.attempt", { n: attempt.attempt })}
    >
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {t("probes.run.attempt", { n: attempt.attempt })}
        </Title>
        <Group gap="xs">
          <StateBadge state={attempt.outcome === "passed" ? "ok" : "failing"} size="sm" />
          <Text size="sm" c="dimmed">
            {formatDuration(attempt.durationMs, language)}
          </Text>
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table fz="sm" striped>
          <caption className="visually-hidden">{t("probes.run.steps")}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("probes.run.phase")}</Table.Th>
              <Table.Th scope="col">{t("probes.run.stepName")}</Table.Th>
              <Table.Th scope="col">{t("probes.run.outcome")}</Table.Th>
              <Table.Th scope="col" w="30%">
                {t("probes.run.duration")}
              </Table.Th>
              <Table.Th scope="col">{t("probes.run.checks")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {attempt.steps.map((step, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional
              <Table.Tr key={index}>
                <Table.Td>{t(`probes.phase.${step.phase}`)}</Table.Td>
                <Table.Td>
                  {step.step ? stepName(journey, step.step) : step.name}
                  {step.status ? (
                    <Text span size="xs" c="dimmed">
                      {" "}
                      HTTP {step.status}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <StateBadge state={step.outcome} size="sm" />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <div
                      aria-hidden="true"
                      style={{
                        height: 8,
                        borderRadius: 4,
                        width: `${Math.max(2, (step.durationMs / longest) * 100)}%`,
                        background: step.outcome === "ok" ? "#1f4c9e" : "#c92a2a",
                      }}
                    />
                    <Text size="xs" className="tabular" style={{ whiteSpace: "nowrap" }}>
                      {formatDuration(step.durationMs, language)}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <List size="xs" spacing={2} listStyleType="none">
                    {step.assertions.map((assertion, i) => (
                      <List.Item
                        // biome-ignore lint/suspicious/noArrayIndexKey: assertions are positional
                        key={i}
                        icon={
                          assertion.passed ? (
                            <IconCheck size={12} color="#087f5b" aria-label={t("probes.run.passed")} />
                          ) : (
                            <IconX size={12} color="#c92a2a" aria-label={t("probes.run.failed")} />
                          )
                        }
                      >
                        <Code fz="xs">{assertion.assertion}</Code>
                        {!assertion.passed && assertion.actual !== undefined ? ` → ${assertion.actual}` : ""}
                      </List.Item>
                    ))}
                  </List>
                  {step.error ? (
                    <Text size="xs" c="red.8">
                      {step.error.code}: {step.error.message}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {attempt.consoleErrors.length > 0 ? (
        <Alert color="orange" title={t("probes.run.consoleErrors")} mt="sm">
          <List size="xs">
            {attempt.consoleErrors.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: console lines are positional
              <List.Item key={i}>
                <Code fz="xs">{line}</Code>
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Paper>
  );
}

/** One probe run: per-step timings, assertion messages, console errors and the failure screenshot. */
export function ProbeRunPage() {
  const { runId = "" } = useParams();
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const query = useProbeRun(runId);
  return (
    <QueryState query={query}>
      {(run) => (
        <Stack gap="md">
          <PageHeader
            title={t("probes.run.title", { probe: run.probe })}
            subtitle={`${journeyName(run.journey)} · ${formatTimestamp(run.startedAt, language, timeZone)}`}
            crumbs={[
              { label: t("probes.title"), to: "/probes" },
              { label: run.probe, to: `/probes/${encodeURIComponent(run.probe)}` },
            ]}
            actions={
              <Group gap="xs">
                <StateBadge state={run.outcome === "passed" ? "ok" : "failing"} size="lg" />
                <Badge variant="outline" size="lg" color="vigie.9">
                  {t(`probes.trigger.${run.trigger}`)}
                </Badge>
              </Group>
            }
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <Figure label={t("probes.run.duration")} value={formatDuration(run.durationMs, language)} />
            <Figure
              label={t("probes.run.failedStep")}
              value={run.failedStep ? stepName(run.journey, run.failedStep) : "—"}
              tone={run.failedStep ? "bad" : undefined}
              hint={run.error ? `${run.error.code}: ${run.error.message}` : undefined}
            />
            <Figure label={t("probes.run.attempts")} value={String(run.attempts.length)} />
            <Figure
              label={t("probes.run.cleanup")}
              value={run.cleanupOk === null ? "—" : run.cleanupOk ? t("common.yes") : t("common.no")}
              tone={run.cleanupOk === false ? "bad" : undefined}
            />
          </SimpleGrid>
          {run.attempts.map((attempt) => (
            <Attempt key={attempt.attempt} attempt={attempt} journey={run.journey} />
          ))}
          {run.screenshot ? (
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="screenshot-title">
              <Title order={2} size="h5" id="screenshot-title" mb="sm">
                {t("probes.run.screenshot")}
              </Title>
              <Image
                src={run.screenshot}
                alt={t("probes.run.screenshotAlt", { probe: run.probe })}
                radius="sm"
                maw={960}
              />
            </Paper>
          ) : null}
        </Stack>
      )}
    </QueryState>
  );
}
