import {
  Button,
  Group,
  Pagination,
  Paper,
  Select,
  Skeleton,
  Table,
  Text,
  UnstyledButton,
} from "@mantine/core";
import {
  IconArrowDown,
  IconArrowsSort,
  IconArrowUp,
  IconFileSpreadsheet,
  IconFileTypeCsv,
} from "@tabler/icons-react";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ColumnKind,
  displayValue,
  download,
  type ExportColumn,
  exportFileName,
  toCsv,
  toXlsx,
} from "../lib/export.ts";
import { usePreferences } from "../lib/preferences.tsx";
import { PAGE_SIZES, type TableState } from "../lib/use-table-state.ts";
import classes from "./DataTable.module.css";

/** A column of a {@link DataTable}: same header, value and format on screen, in CSV and in XLSX. */
export interface Column<Row> extends ExportColumn<Row> {
  /** Also the API's sort field when `sortable`. */
  key: string;
  sortable?: boolean;
  /** Custom cell (a link, a badge); the export still uses `value`. */
  render?(row: Row): ReactNode;
}

const NUMERIC: ColumnKind[] = ["integer", "decimal", "percent", "duration"];

export interface DataTableProps<Row> {
  /** Accessible name of the table (read by screen readers, used as the sheet name). */
  caption: string;
  columns: Column<Row>[];
  rows: Row[] | undefined;
  /** Rows matching the filters on the server, all pages together. */
  total: number | undefined;
  state: TableState;
  onStateChange(state: TableState): void;
  rowKey(row: Row): string;
  /** Base of the export file names, e.g. "incidents". */
  exportName: string;
  loading?: boolean;
  emptyText?: string;
  /** Filters shown above the table. */
  toolbar?: ReactNode;
}

function SortIcon({ order }: { order: "asc" | "desc" | null }) {
  if (order === "asc") return <IconArrowUp size={14} aria-hidden="true" />;
  if (order === "desc") return <IconArrowDown size={14} aria-hidden="true" />;
  return <IconArrowsSort size={14} aria-hidden="true" opacity={0.4} />;
}

/**
 * A table whose sorting, filtering and paging happen on the server; it exports exactly the rows shown,
 * with the same columns and formats, to CSV or XLSX in one click.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { t } = useTranslation();
  const preferences = usePreferences();
  const { columns, rows, total, state, onStateChange } = props;
  const [exporting, setExporting] = useState<"csv" | "xlsx" | null>(null);
  const pages = Math.max(1, Math.ceil((total ?? 0) / state.pageSize));
  const context = { language: preferences.language, timeZone: preferences.timeZone };

  const toggleSort = (key: string) => {
    const current = state.sort?.key === key ? state.sort.order : null;
    const order = current === "desc" ? "asc" : "desc";
    onStateChange({ ...state, page: 1, sort: { key, order } });
  };

  const exportAs = async (format: "csv" | "xlsx") => {
    if (!rows) return;
    setExporting(format);
    try {
      const blob =
        format === "csv"
          ? new Blob([toCsv(rows, columns, context)], { type: "text/csv;charset=utf-8" })
          : await toXlsx(rows, columns, context, props.caption);
      download(blob, exportFileName(props.exportName, format, preferences.timeZone));
    } finally {
      setExporting(null);
    }
  };

  const first = (state.page - 1) * state.pageSize + 1;
  const last = Math.min(total ?? 0, state.page * state.pageSize);

  return (
    <Paper withBorder radius="md" className={classes.wrapper}>
      <Group justify="space-between" p="sm" gap="sm" className={classes.toolbar}>
        <Group gap="sm">{props.toolbar}</Group>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            leftSection={<IconFileSpreadsheet size={16} aria-hidden="true" />}
            onClick={() => void exportAs("xlsx")}
            loading={exporting === "xlsx"}
            disabled={!rows?.length}
          >
            {t("table.exportXlsx")}
          </Button>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconFileTypeCsv size={16} aria-hidden="true" />}
            onClick={() => void exportAs("csv")}
            loading={exporting === "csv"}
            disabled={!rows?.length}
          >
            {t("table.exportCsv")}
          </Button>
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table
          striped
          highlightOnHover
          verticalSpacing="xs"
          className={classes.table}
          aria-busy={props.loading}
        >
          <caption className="visually-hidden">{props.caption}</caption>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => {
                const order = state.sort?.key === column.key ? state.sort.order : null;
                const numeric = NUMERIC.includes(column.kind);
                return (
                  <Table.Th
                    key={column.key}
                    scope="col"
                    aria-sort={order === "asc" ? "ascending" : order === "desc" ? "descending" : undefined}
                    style={{ textAlign: numeric ? "right" : "left" }}
                  >
                    {column.sortable ? (
                      <UnstyledButton className={classes.sort} onClick={() => toggleSort(column.key)}>
                        <span>{column.header}</span>
                        <SortIcon order={order} />
                      </UnstyledButton>
                    ) : (
                      column.header
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows === undefined
              ? Array.from({ length: 5 }, (_, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
                  <Table.Tr key={index}>
                    {columns.map((column) => (
                      <Table.Td key={column.key}>
                        <Skeleton height={14} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))
              : rows.map((row) => (
                  <Table.Tr key={props.rowKey(row)}>
                    {columns.map((column) => (
                      <Table.Td
                        key={column.key}
                        className={NUMERIC.includes(column.kind) ? "tabular" : undefined}
                        style={{
                          textAlign: NUMERIC.includes(column.kind) ? "right" : "left",
                          whiteSpace: column.kind === "text" ? undefined : "nowrap",
                        }}
                      >
                        {column.render
                          ? column.render(row)
                          : displayValue(column.kind, column.value(row), context)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
            {rows && rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Text c="dimmed" ta="center" py="lg">
                    {props.emptyText ?? t("table.empty")}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" p="sm" className={classes.footer}>
        <Text size="sm" c="dimmed" aria-live="polite">
          {total ? t("table.range", { first, last, total }) : t("table.noRows")}
        </Text>
        <Group gap="sm">
          <Select
            aria-label={t("table.pageSize")}
            size="xs"
            w={90}
            data={PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }))}
            value={String(state.pageSize)}
            allowDeselect={false}
            onChange={(value) => value && onStateChange({ ...state, page: 1, pageSize: Number(value) })}
          />
          <Pagination
            size="sm"
            total={pages}
            value={state.page}
            onChange={(page) => onStateChange({ ...state, page })}
            getControlProps={(control) => ({
              "aria-label": t(`table.${control}`),
            })}
            getItemProps={(page) => ({ "aria-label": t("table.page", { page }) })}
          />
        </Group>
      </Group>
    </Paper>
  );
}
