import { Alert, Anchor, Badge, List } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Column, DataTable } from "../../../components/DataTable.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatDuration } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useTableState } from "../../../lib/use-table-state.ts";
import { useProbes } from "../api/probes.ts";
import type { Probe } from "../api/types.ts";
import { describeSchedule, localPage } from "../hooks/local-table.ts";
import { LastResult } from "./LastResult.tsx";
import { ProbeActions } from "./ProbeActions.tsx";

const DEFAULTS = { sort: { key: "name", order: "asc" as const } };

/** Every probe: what it watches, when it runs, its last result; run now, pause, resume. */
export function ProbesPage() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { journeyName } = useJourneyNames();
  const { state, setState } = useTableState(DEFAULTS);
  const query = useProbes();

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
        value: (row) => t(`probes.kind.${row.kind}`),
        render: (row) => (
          <Badge variant="light" color={row.kind === "browser" ? "grape.9" : "blue.9"} size="sm">
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
        key: "lastResult",
        header: t("probes.columns.lastResult"),
        kind: "text",
        value: (row) => row.lastRunId ?? "",
        render: (row) => <LastResult runId={row.lastRunId} />,
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
    [t, language, journeyName],
  );
  // The export leaves out the action buttons' column.
  const page = useMemo(
    () =>
      localPage(query.data?.probes ?? [], state, (row, key) => {
        const value = (row as unknown as Record<string, unknown>)[key];
        return typeof value === "string" || typeof value === "number" ? value : null;
      }),
    [query.data, state],
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
              rows={page.rows}
              total={page.total}
              state={state}
              onStateChange={setState}
              rowKey={(row) => row.name}
              exportName="probes"
              emptyText={t("probes.empty")}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
