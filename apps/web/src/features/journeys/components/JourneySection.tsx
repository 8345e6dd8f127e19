import { Group, Paper, Table, Text, Title } from "@mantine/core";
import { type ReactNode, useId } from "react";
import { QueryState } from "../../../components/QueryState.tsx";

/** A column of a {@link SectionTable}. */
export interface SectionColumn<Row> {
  key: string;
  header: string;
  /** Right-aligned, tabular figures [false]. */
  numeric?: boolean;
  cell(row: Row): ReactNode;
}

/** A small table of a journey section: caption for screen readers, header row, one row per item. */
export function SectionTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowProps,
  minWidth,
  testId,
}: {
  caption: string;
  columns: SectionColumn<Row>[];
  rows: Row[];
  rowKey(row: Row): string;
  /** Extra attributes of a row (a highlight, a data attribute for tests). */
  rowProps?(row: Row): Record<string, unknown>;
  /** Scrolls sideways below this width [none]. */
  minWidth?: number;
  testId?: string;
}) {
  const table = (
    <Table striped fz="sm" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th
              key={column.key}
              scope="col"
              style={column.numeric ? { textAlign: "right" } : undefined}
            >
              {column.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) =>
              column.numeric ? (
                <Table.Td key={column.key} style={{ textAlign: "right" }} className="tabular">
                  {column.cell(row)}
                </Table.Td>
              ) : (
                <Table.Td key={column.key}>{column.cell(row)}</Table.Td>
              ),
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}

/**
 * The frame of a journey page section that shows one query: title (with actions beside it), a
 * sentence saying what it shows, the loading and error states, and a line when there is nothing.
 */
export function JourneySection<T>({
  title,
  description,
  actions,
  query,
  summary,
  empty,
  testId,
  children,
}: {
  title: string;
  /** What the section shows, in one sentence, under the title. */
  description?: string;
  /** Beside the title (a link to the full list). */
  actions?: ReactNode;
  /** A TanStack Query result (or anything shaped like one). */
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch(): unknown };
  /** A line about the answer, above the content and the empty line. */
  summary?(data: T): ReactNode;
  /** When `when` says the answer has nothing to show, `text` stands in for the content. */
  empty?: { when(data: T): boolean; text: string };
  testId: string;
  children(data: T): ReactNode;
}) {
  const titleId = useId();
  const heading = (
    <Title order={3} size="h5" id={titleId}>
      {title}
    </Title>
  );
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={titleId} data-testid={testId}>
      {actions ? (
        <Group justify="space-between" mb={description ? 0 : "xs"}>
          {heading}
          {actions}
        </Group>
      ) : (
        heading
      )}
      {description ? (
        <Text size="xs" c="dimmed" mb="xs">
          {description}
        </Text>
      ) : null}
      <QueryState query={query}>
        {(data) => (
          <>
            {summary ? (
              <Text size="xs" c="dimmed" mb="xs">
                {summary(data)}
              </Text>
            ) : null}
            {empty?.when(data) ? (
              <Text c="dimmed" size="sm" ta="center" py="md">
                {empty.text}
              </Text>
            ) : (
              children(data)
            )}
          </>
        )}
      </QueryState>
    </Paper>
  );
}
