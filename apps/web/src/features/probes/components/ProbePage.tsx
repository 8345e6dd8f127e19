import { Anchor, Badge, Group, Stack, Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { type Column, DataTable } from "../../../components/DataTable.tsx";
import { FilterSelect } from "../../../components/FilterSelect.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime, formatDuration } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { sortParam, useTableState } from "../../../lib/use-table-state.ts";
import { useProbe, useProbeRuns } from "../api/probes.ts";
import type { ProbeRun } from "../api/types.ts";
import { describeSchedule } from "../hooks/schedule.ts";
import { ProbeActions } from "./ProbeActions.tsx";

const DEFAULTS = { sort: { key: "startedAt", order: "desc" as const } };

/** One probe: its schedule and its latest runs. */
export function ProbePage() {
  const { name = "" } = useParams();
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const { state, setState, filter, setFilter } = useTableState(DEFAULTS);
  const probe = useProbe(name).data;
  const runs = useProbeRuns(name, {
    outcome: filter("outcome") || undefined,
    page: state.page,
    pageSize: state.pageSize,
    sort: sortParam(state),
  });

  const columns = useMemo<Column<ProbeRun>[]>(
    () => [
      {
        key: "startedAt",
        header: t("probes.run.startedAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.startedAt,
        render: (row) => (
          <Anchor component={Link} to={`/probes/runs/${encodeURIComponent(row.runId)}`} fz="sm">
            {formatDateTime(row.startedAt, language, timeZone)}
          </Anchor>
        ),
      },
      {
        key: "outcome",
        header: t("probes.run.outcome"),
        kind: "text",
        sortable: true,
        value: (row) => t(`probes.outcome.${row.outcome}`),
        render: (row) => <StateBadge state={row.outcome === "passed" ? "ok" : "failing"} size="sm" />,
      },
      {
        key: "durationMs",
        header: t("probes.run.duration"),
        kind: "duration",
        sortable: true,
        value: (row) => row.durationMs,
      },
      {
        key: "failedStep",
        header: t("probes.run.failedStep"),
        kind: "text",
        value: (row) => (row.failedStep ? stepName(row.journey, row.failedStep) : null),
      },
      { key: "error", header: t("probes.run.error"), kind: "text", value: (row) => row.error?.code ?? null },
      {
        key: "trigger",
        header: t("probes.run.trigger"),
        kind: "text",
        value: (row) => t(`probes.trigger.${row.trigger}`),
      },
      {
        key: "attempts",
        header: t("probes.run.attempts"),
        kind: "integer",
        value: (row) => row.attempts.length,
      },
    ],
    [t, language, timeZone, stepName],
  );
  return (
    <Stack gap="md">
      <PageHeader
        title={name}
        subtitle={
          probe
            ? `${journeyName(probe.journey)} · ${t(`probes.kind.${probe.kind}`)} · ${describeSchedule(
                probe.schedule,
                (k, v) => t(k, v ?? {}),
                (ms) => formatDuration(ms, language),
              )}`
            : undefined
        }
        crumbs={[{ label: t("probes.title"), to: "/probes" }]}
        actions={probe ? <ProbeActions probe={probe} /> : null}
      />
      {probe?.description ? <Text size="sm">{probe.description}</Text> : null}
      {probe ? (
        <Group gap="xs">
          {probe.paused ? (
            <StateBadge state="paused" />
          ) : (
            <Badge variant="outline" color="teal.9">
              {t("state.active")}
            </Badge>
          )}
          {probe.steps.map((step) => (
            <Badge key={step.name} variant="outline" color="gray.8" tt="none">
              {step.step ? stepName(probe.journey, step.step) : step.name}
            </Badge>
          ))}
        </Group>
      ) : null}
      <QueryState query={runs}>
        {(page) => (
          <DataTable
            caption={t("probes.runs")}
            columns={columns}
            rows={page.items}
            total={page.total}
            loading={runs.isFetching}
            state={state}
            onStateChange={setState}
            rowKey={(row) => row.runId}
            exportName={`probe-${name}`}
            toolbar={
              <FilterSelect
                filters={{ filter, setFilter }}
                name="outcome"
                label={t("probes.run.outcome")}
                options={[
                  { value: "passed", label: t("probes.outcome.passed") },
                  { value: "failed", label: t("probes.outcome.failed") },
                ]}
                width={150}
              />
            }
          />
        )}
      </QueryState>
    </Stack>
  );
}
