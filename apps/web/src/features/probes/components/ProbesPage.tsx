import { Alert, Anchor, Badge, Group, List, Text } from "@mantine/core";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Column, DataTable } from "../../../components/DataTable.tsx";
import { FilterInput } from "../../../components/FilterInput.tsx";
import { FilterSelect, JourneyFilterSelect } from "../../../components/FilterSelect.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDuration } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { sortParam, useTableState } from "../../../lib/use-table-state.ts";
import { useProbes } from "../api/probes.ts";
import type { Probe } from "../api/types.ts";
import { describeSchedule } from "../hooks/schedule.ts";
import { ProbeActions } from "./ProbeActions.tsx";

const DEFAULTS = { sort: { key: "name", order: "asc" as const } };
const STATES = ["active", "paused", "failing", "passing", "never-run"] as const;

/** Every probe: what it watches, when it runs, its last result; run now, pause, resume. */
export function ProbesPage() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const { state, setState, filter, setFilter } = useTableState(DEFAULTS);
  const query = useProbes({
    journey: filter("journey") || undefined,
    kind: filter("kind") || undefined,
    state: filter("state") || undefined,
    search: filter("search") || undefined,
    page: state.page,
    pageSize: state.pageSize,
    sort: sortParam(state),
  });

  const lastResultText = useCallback(
    (row: Probe) => {
      if (row.lastOutcome === null) return t("probes.neverRun");
      if (row.lastOutcome === "passed") return t("probes.outcome.passed");
      const where = row.lastFailedStep ? stepName(row.journey, row.lastFailedStep) : null;
      return [t("probes.outcome.failed"), where, row.lastErrorCode].filter(Boolean).join(" · ");
    },
    [t, stepName],
  );

  const columns = useMemo<Column<Probe>[]>(
    () => [
      {
        key: "name",
        header: t("probes.columns.name"),
        kind: "text",
        sortable: true,
        value: (row) => row.name,
        render: (row) => (
          <Anchor component={Link} to={`/probes/${encodeURIComponent(row.name)}`} fz="sm" fw={600}>
            {row.name}
          </Anchor>
        ),
      },
      {
        key: "journey",
        header: t("common.journey"),
        kind: "text",
        sortable: true,
        value: (row) => journeyName(row.journey),
      },
      {
        key: "kind",
        header: t("probes.columns.kind"),
        kind: "text",
        sortable: true,
        value: (row) => t(`probes.kind.${row.kind}`),
        render: (row) => (
          <Badge variant="outline" color={row.kind === "browser" ? "grape.9" : "blue.9"} size="sm">
            {t(`probes.kind.${row.kind}`)}
          </Badge>
        ),
      },
      {
        key: "schedule",
        header: t("probes.columns.schedule"),
        kind: "text",
        value: (row) =>
          row.paused
            ? t("state.paused")
            : describeSchedule(
                row.schedule,
                (k, v) => t(k, v ?? {}),
                (ms) => formatDuration(ms, language),
              ),
      },
      {
        key: "lastRunAt",
        header: t("probes.columns.lastRunAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.lastRunAt,
      },
      {
        key: "lastOutcome",
        header: t("probes.columns.lastResult"),
        kind: "text",
        sortable: true,
        value: (row) => lastResultText(row),
        render: (row) =>
          row.lastOutcome === null ? (
            t("probes.neverRun")
          ) : (
            <Group gap={6} wrap="nowrap">
              <StateBadge state={row.lastOutcome === "passed" ? "ok" : "failing"} size="sm" />
              {row.lastOutcome === "failed" ? <Text size="xs">{lastResultText(row)}</Text> : null}
            </Group>
          ),
      },
      {
        key: "nextRunAt",
        header: t("probes.columns.nextRunAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => (row.paused ? null : row.nextRunAt),
      },
      {
        key: "actions",
        header: t("probes.columns.actions"),
        kind: "text",
        value: () => null,
        render: (row) => <ProbeActions probe={row} compact />,
      },
    ],
    [t, language, journeyName, lastResultText],
  );

  const toolbar = (
    <>
      <FilterInput
        label={t("probes.search")}
        value={filter("search")}
        onApply={(v) => setFilter("search", v)}
      />
      <JourneyFilterSelect filters={{ filter, setFilter }} width={200} />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="kind"
        label={t("probes.columns.kind")}
        options={(["http", "browser"] as const).map((kind) => ({
          value: kind,
          label: t(`probes.kind.${kind}`),
        }))}
        width={130}
      />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="state"
        label={t("probes.state.label")}
        options={STATES.map((value) => ({ value, label: t(`probes.state.${value}`) }))}
        width={160}
      />
    </>
  );

  return (
    <>
      <PageHeader title={t("probes.title")} subtitle={t("probes.subtitle")} />
      <QueryState query={query}>
        {(list) => (
          <>
            {list.invalid.length > 0 ? (
              <Alert color="orange" title={t("probes.invalid")} mb="md">
                <List size="sm">
                  {list.invalid.map((file) => (
                    <List.Item key={file.file}>
                      <strong>{file.file}</strong>: {file.problems.join("; ")}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
            <DataTable
              caption={t("probes.title")}
              columns={columns}
              rows={list.items}
              total={list.total}
              state={state}
              onStateChange={setState}
              rowKey={(row) => row.name}
              exportName="probes"
              loading={query.isFetching}
              toolbar={toolbar}
              emptyText={
                ["search", "journey", "kind", "state"].some((name) => filter(name))
                  ? t("probes.noMatch")
                  : t("probes.empty")
              }
            />
          </>
        )}
      </QueryState>
    </>
  );
}
