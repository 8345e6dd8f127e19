import { Box, Paper, Table, Text, Title, UnstyledButton } from "@mantine/core";
import { BarChart, LineChart } from "echarts/charts";
import {
  AriaComponent,
  BrushComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  ToolboxComponent,
  TooltipComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

// Only what Vigie draws, so the chart code stays small; SVG keeps text crisp on a wall screen and
// lets the end-to-end tests read what is drawn.
echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  MarkAreaComponent,
  BrushComponent,
  ToolboxComponent,
  AriaComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** The same figures as the chart, as a table: the text alternative for screen readers and the curious. */
export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface ChartProps {
  title: string;
  /** One sentence saying what the chart shows, read before the chart. */
  description?: string;
  option: ChartOption;
  table: ChartTable;
  height?: number;
  /** Called with the brushed interval (time axis) to zoom the whole page into it. */
  onBrush?(from: Date, to: Date): void;
  actions?: ReactNode;
  testId?: string;
}

/** An ECharts chart (SVG) with a title, its data as a table a click away, and brushing to zoom. */
export function Chart({
  title,
  description,
  option,
  table,
  height = 260,
  onBrush,
  actions,
  testId,
}: ChartProps) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const instance = useRef<echarts.ECharts | null>(null);
  const brush = useRef(onBrush);
  brush.current = onBrush;
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const titleId = useId();

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, null, { renderer: "svg" });
    instance.current = chart;
    chart.on("brushEnd", (params) => {
      const area = (params as { areas?: { coordRange?: [number, number] }[] }).areas?.[0];
      const [from, to] = area?.coordRange ?? [];
      chart.dispatchAction({ type: "brush", areas: [] });
      if (from !== undefined && to !== undefined && to > from) brush.current?.(new Date(from), new Date(to));
    });
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => chart.resize());
    observer?.observe(element.current);
    return () => {
      observer?.disconnect();
      chart.dispose();
      instance.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = instance.current;
    if (!chart) return;
    chart.setOption(
      {
        aria: { enabled: true, label: { description: description ?? title } },
        animationDuration: 300,
        ...(onBrush
          ? {
              // brushing needs the toolbox component, but its buttons stay hidden: dragging is enough
              toolbox: { show: false },
              brush: {
                xAxisIndex: 0,
                brushType: "lineX",
                brushMode: "single",
                throttleType: "debounce",
                brushStyle: { color: "rgba(31,76,158,0.15)", borderColor: "rgba(31,76,158,0.6)" },
              },
            }
          : {}),
        ...option,
      },
      { notMerge: true },
    );
    if (onBrush) {
      chart.dispatchAction({
        type: "takeGlobalCursor",
        key: "brush",
        brushOption: { brushType: "lineX", brushMode: "single" },
      });
    }
  }, [option, description, title, onBrush]);

  return (
    <Paper withBorder radius="md" p="md" data-testid={testId} aria-labelledby={titleId} component="section">
      <Box
        mb="xs"
        style={{ display: "flex", justifyContent: "space-between", gap: 8, alignItems: "baseline" }}
      >
        <div>
          <Title order={3} size="h5" id={titleId}>
            {title}
          </Title>
          {description ? (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          ) : null}
        </div>
        <Box style={{ display: "flex", gap: 12, alignItems: "center" }}>
          {actions}
          <UnstyledButton
            onClick={() => setShowTable((value) => !value)}
            aria-expanded={showTable}
            aria-controls={tableId}
            fz="xs"
            c="vigie.8"
            td="underline"
          >
            {showTable ? t("chart.hideTable") : t("chart.showTable")}
          </UnstyledButton>
        </Box>
      </Box>
      <div ref={element} style={{ height, width: "100%" }} aria-hidden={showTable} />
      {onBrush ? (
        <Text size="xs" c="dimmed">
          {t("chart.brushHint")}
        </Text>
      ) : null}
      <div id={tableId} hidden={!showTable}>
        {showTable ? (
          <Table.ScrollContainer minWidth={400} mah={320}>
            <Table striped withTableBorder fz="xs">
              <caption className="visually-hidden">{title}</caption>
              <Table.Thead>
                <Table.Tr>
                  {table.columns.map((column) => (
                    <Table.Th key={column} scope="col">
                      {column}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((row, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
                  <Table.Tr key={index}>
                    {row.map((cell, cellIndex) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                      <Table.Td key={cellIndex}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </div>
    </Paper>
  );
}
