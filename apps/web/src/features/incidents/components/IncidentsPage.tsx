import { Anchor, Badge, Group, Select, Text } from "@mantine/core";
import { IconEyeCheck } from "@tabler/icons-react";
import type { Incident } from "@vigie/contracts";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Column, DataTable } from "../../../components/DataTable.tsx";
import { FilterSelect, JourneyFilterSelect } from "../../../components/FilterSelect.tsx";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { StateBadge } from "../../../components/StateBadge.tsx";
import { formatDateTime } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { periodOptions, useOptionalRange } from "../../../lib/use-optional-range.ts";
import { sortParam, useTableState } from "../../../lib/use-table-state.ts";
import { useIncidents } from "../api/get-incidents.ts";
import { useLiveIncidents } from "../hooks/use-live-incidents.ts";

const DEFAULTS = { sort: { key: "startedAt", order: "desc" as const } };

/** Every incident, filtered, sorted and paged on the server; exported as shown. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const { journeyName, stepName } = useJourneyNames();
  const { state, setState, filter, setFilter } = useTableState(DEFAULTS);
  const range = useOptionalRange();
  useLiveIncidents();
  const query = useIncidents({
    journey: filter("journey") || undefined,
    status: filter("status") || undefined,
    seenBy: filter("seenBy") || undefined,
    acknowledged: filter("acknowledged") || undefined,
    from: range?.from.toISOString(),
    to: range?.to.toISOString(),
    page: state.page,
    pageSize: state.pageSize,
    sort: sortParam(state),
  });

  const columns = useMemo<Column<Incident>[]>(
    () => [
      {
        key: "startedAt",
        header: t("incidents.columns.startedAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.startedAt,
        render: (row) => (
          <Anchor component={Link} to={`/incidents/${row.id}`} fz="sm">
            {formatDateTime(row.startedAt, language, timeZone)}
          </Anchor>
        ),
      },
      {
        key: "endedAt",
        header: t("incidents.columns.endedAt"),
        kind: "datetime",
        sortable: true,
        value: (row) => row.endedAt,
      },
      {
        key: "journey",
        header: t("common.journey"),
        kind: "text",
        sortable: true,
        value: (row) => journeyName(row.journey),
      },
      {
        key: "status",
        header: t("incidents.columns.status"),
        kind: "text",
        value: (row) => t(`state.${row.status}`),
        render: (row) => <StateBadge state={row.status} size="sm" />,
      },
      {
        key: "acknowledged",
        header: t("incidents.columns.acknowledged"),
        kind: "text",
        value: (row) =>
          row.acknowledged
            ? row.acknowledged.by?.name || t("common.yes")
            : t("incidents.acknowledgedFilter.no"),
        render: (row) =>
          row.acknowledged ? (
            <Badge
              variant="filled"
              color="blue.9"
              size="sm"
              leftSection={<IconEyeCheck size={12} aria-hidden="true" />}
              style={{ textTransform: "none" }}
              title={formatDateTime(row.acknowledged.at, language, timeZone)}
            >
              {row.acknowledged.by?.name || t("common.yes")}
            </Badge>
          ) : (
            <Text size="sm" c="dimmed">
              {t("common.no")}
            </Text>
          ),
      },
      {
        key: "failingStep",
        header: t("incidents.columns.failingStep"),
        kind: "text",
        value: (row) => (row.failingStep ? stepName(row.journey, row.failingStep) : null),
      },
      {
        key: "error",
        header: t("incidents.columns.error"),
        kind: "text",
        value: (row) => row.topErrorCodes.map((e) => e.code).join(", "),
      },
      {
        key: "seenBy",
        header: t("incidents.columns.seenBy"),
        kind: "text",
        value: (row) => row.seenBy.map((s) => t(`incidents.seenBy.${s}`)).join(" + "),
        render: (row) => (
          <Group gap={4}>
            {row.seenBy.map((s) => (
              <Badge key={s} variant="filled" size="sm" color={s === "probes" ? "cyan.9" : "indigo.9"}>
                {t(`incidents.seenBy.${s}`)}
              </Badge>
            ))}
          </Group>
        ),
      },
      {
        key: "runsAffected",
        header: t("incidents.columns.runs"),
        kind: "integer",
        sortable: true,
        value: (row) => row.runsAffected,
      },
      {
        key: "prospectsAffected",
        header: t("incidents.columns.prospects"),
        kind: "integer",
        value: (row) => row.prospectsAffected,
      },
    ],
    [t, language, timeZone, journeyName, stepName],
  );

  const toolbar = (
    <>
      <JourneyFilterSelect filters={{ filter, setFilter }} width={220} />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="status"
        label={t("incidents.columns.status")}
        options={[
          { value: "open", label: t("state.open") },
          { value: "closed", label: t("state.closed") },
        ]}
        width={130}
      />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="seenBy"
        label={t("incidents.columns.seenBy")}
        options={[
          { value: "probes", label: t("incidents.seenBy.probes") },
          { value: "traffic", label: t("incidents.seenBy.traffic") },
        ]}
        width={150}
      />
      <FilterSelect
        filters={{ filter, setFilter }}
        name="acknowledged"
        label={t("incidents.columns.acknowledged")}
        options={[
          { value: "true", label: t("incidents.acknowledgedFilter.yes") },
          { value: "false", label: t("incidents.acknowledgedFilter.no") },
        ]}
        width={190}
      />
      <Select
        aria-label={t("common.period")}
        data={periodOptions(t, range?.preset ?? null)}
        value={range?.preset ?? ""}
        onChange={(value) => setFilter("range", value)}
        size="xs"
        w={170}
      />
    </>
  );

  return (
    <>
      <PageHeader title={t("incidents.title")} subtitle={t("incidents.subtitle")} />
      {query.error ? (
        <QueryState query={query}>{() => null}</QueryState>
      ) : (
        <DataTable
          caption={t("incidents.title")}
          columns={columns}
          rows={query.data?.items}
          total={query.data?.total}
          state={state}
          onStateChange={setState}
          rowKey={(row) => String(row.id)}
          exportName="incidents"
          loading={query.isFetching}
          toolbar={toolbar}
          emptyText={t("incidents.empty")}
        />
      )}
    </>
  );
}
