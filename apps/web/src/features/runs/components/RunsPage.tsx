import { Anchor, Badge, Select } from "@mantine/core";
import type { RunSummary } from "@vigie/contracts";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Column, DataTable } from "../../../components/DataTable.tsx";
import { FilterInput } from "../../../components/FilterInput.tsx";
import { FilterSelect, JourneyFilterSelect } from "../../../components/FilterSelect.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { periodOptions, useOptionalRange } from "../../../lib/use-optional-range.ts";
import { sortParam, useTableState } from "../../../lib/use-table-state.ts";
import { useRuns } from "../api/get-runs.ts";

const DEFAULTS = { sort: { key: "startedAt", order: "desc" as const } };
const OUTCOMES = ["completed", "failed", "rejected", "abandoned", "in_progress"] as const;

/** Every run, real and synthetic, searchable by journey, outcome, step, error code, attribute and time. */
export function RunsPage() {
  const { t } = useTranslation();
  const { language } = usePreferences();
  const { journeys, journeyName, stepName } = useJourneyNames();
  const { state, setState, filter, setFilter } = useTableState(DEFAULTS);
  const range = useOptionalRange();
  const journey = filter("journey");
  const query = useRuns({
    journey: journey || undefined,
    outcome: filter("outcome") || undefined,
    step: filter("step") || undefined,
    errorCode: filter("errorCode") || undefined,
    attribute: filter("attribute") || undefined,
    synthetic: filter("synthetic") || undefined,
    from: range?.from.toISOString(),
    to: range?.to.toISOString(),
    page: state.page,
    pageSize: state.pageSize,
    sort: sortParam(state),
  });

  const columns = useMemo<Column<RunSummary>[]>(
    () => [
      {
        key: "startedAt",
        header: t("runs.columns.startedAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.startedAt,
      },
      {
        key: "runId",
        header: t("runs.columns.runId"),
        kind: "text",
        value: (row) => row.runId,
        render: (row) => (
          <Anchor
            component={Link}
            to={`/runs/${encodeURIComponent(row.journey)}/${encodeURIComponent(row.runId)}`}
            ff="monospace"
            fz="sm"
          >
            {row.runId.length > 18 ? `${row.runId.slice(0, 17)}…` : row.runId}
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
        key: "outcome",
        header: t("runs.columns.outcome"),
        kind: "text",
        sortable: true,
        value: (row) => t(`state.${row.outcome}`),
        render: (row) => <StateBadge state={row.outcome} size="sm" />,
      },
      {
        key: "furthestStep",
        header: t("runs.columns.furthestStep"),
        kind: "text",
        value: (row) => stepName(row.journey, row.stoppedAtStep ?? row.furthestStep),
      },
      { key: "errorCode", header: t("runs.columns.errorCode"), kind: "text", value: (row) => row.errorCode },
      {
        key: "synthetic",
        header: t("runs.columns.origin"),
        kind: "text",
        value: (row) => (row.synthetic ? t("common.synthetic") : t("common.real")),
        render: (row) => (
          <Badge variant="outline" size="sm" color={row.synthetic ? "cyan.9" : "indigo.9"}>
            {row.synthetic ? t("common.synthetic") : t("common.real")}
          </Badge>
        ),
      },
      {
        key: "lastActivityAt",
        header: t("runs.columns.lastActivityAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.lastActivityAt,
      },
      {
        key: "attributes",
        header: t("runs.columns.attributes"),
        kind: "text",
        value: (row) =>
          Object.entries(row.attributes)
            .map(([name, value]) => `${name}=${value}`)
            .join(", "),
      },
    ],
    [t, journeyName, stepName],
  );

  const steps = journeys?.find((j) => j.key === journey)?.steps ?? [];
  const toolbar = (
    <>
      <JourneyFilterSelect filters={{ filter, setFilter }} width={200} />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="outcome"
        label={t("runs.columns.outcome")}
        options={OUTCOMES.map((outcome) => ({ value: outcome, label: t(`state.${outcome}`) }))}
        width={170}
      />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="step"
        label={t("common.step")}
        options={steps.map((s) => ({ value: s.key, label: s.name[language] }))}
        disabled={!journey}
        width={160}
      />
      <FilterInput
        label={t("runs.columns.errorCode")}
        value={filter("errorCode")}
        onApply={(v) => setFilter("errorCode", v)}
      />
      <FilterInput
        label={t("runs.attributeFilter")}
        value={filter("attribute")}
        onApply={(v) => setFilter("attribute", v)}
        width={170}
      />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="synthetic"
        label={t("runs.columns.origin")}
        options={[
          { value: "false", label: t("common.real") },
          { value: "true", label: t("common.synthetic") },
        ]}
        width={120}
      />
      <Select
        aria-label={t("common.period")}
        data={periodOptions(t, range?.preset ?? null)}
        value={range?.preset ?? ""}
        onChange={(value) => setFilter("range", value)}
        size="xs"
        w={160}
      />
    </>
  );

  return (
    <>
      <PageHeader title={t("runs.title")} subtitle={t("runs.subtitle")} />
      {query.error ? (
        <QueryState query={query}>{() => null}</QueryState>
      ) : (
        <DataTable
          caption={t("runs.title")}
          columns={columns}
          rows={query.data?.items}
          total={query.data?.total}
          state={state}
          onStateChange={setState}
          rowKey={(row) => `${row.journey}/${row.runId}`}
          exportName="runs"
          loading={query.isFetching}
          toolbar={toolbar}
          emptyText={t("runs.empty")}
        />
      )}
    </>
  );
}
