import { wallClockAt } from "@vigie/zoned-time";
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  type Language,
  NO_VALUE,
} from "./format.ts";

/** How a column's value is typed, formatted on screen and written to a spreadsheet. */
export type ColumnKind = "text" | "integer" | "decimal" | "percent" | "datetime" | "date" | "duration";

/** A column as exports see it: its header (already translated) and its raw value per row. */
export interface ExportColumn<Row> {
  header: string;
  kind: ColumnKind;
  value(row: Row): string | number | Date | null | undefined;
}

export interface ExportContext {
  language: Language;
  timeZone: string;
}

/** The value as the screen shows it (and as the CSV carries it): "99,52 %", "25/11/2026 14:05". */
export function displayValue(
  kind: ColumnKind,
  value: string | number | Date | null | undefined,
  { language, timeZone }: ExportContext,
): string {
  if (value === null || value === undefined || value === "") return NO_VALUE;
  switch (kind) {
    case "integer":
      return formatNumber(Number(value), language);
    case "decimal":
      return formatNumber(Number(value), language, 2);
    case "percent":
      return formatPercent(Number(value), language);
    case "datetime":
      return formatDateTime(value, language, timeZone);
    case "date":
      return formatDate(value, language, timeZone);
    case "duration":
      return formatDuration(Number(value), language);
    default:
      return String(value);
  }
}

function csvCell(text: string, separator: string): string {
  // Leading =, +, - or @ would run as a formula in Excel: neutralised with a quote (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /["\n\r]/.test(safe) || safe.includes(separator) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows as CSV, formatted as on screen. French Excel expects ";" between fields (the comma is the
 * decimal separator); a byte-order mark makes it read UTF-8. "—" (no value) is written as empty.
 */
export function toCsv<Row>(rows: Row[], columns: ExportColumn<Row>[], context: ExportContext): string {
  const separator = context.language === "fr" ? ";" : ",";
  const lines = [columns.map((column) => csvCell(column.header, separator)).join(separator)];
  for (const row of rows) {
    lines.push(
      columns
        .map((column) => {
          const text = displayValue(column.kind, column.value(row), context);
          return csvCell(text === NO_VALUE ? "" : text, separator);
        })
        .join(separator),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

// Excel number formats; Excel renders them with the reader's own separators (so "99,52 %" in French).
const XLSX_FORMATS: Partial<Record<ColumnKind, string>> = {
  integer: "#,##0",
  decimal: "#,##0.00",
  percent: "0.00%",
  datetime: "dd/mm/yyyy hh:mm",
  date: "dd/mm/yyyy",
};

/** Excel stores wall-clock times: the instant is shifted to the reader's timezone before writing. */
function toWallClockDate(value: Date, timeZone: string): Date {
  const w = wallClockAt(value.getTime(), timeZone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

/** The rows as an XLSX workbook (one sheet, frozen header), numbers and dates typed, not text. */
export async function toXlsx<Row>(
  rows: Row[],
  columns: ExportColumn<Row>[],
  context: ExportContext,
  sheet = "Vigie",
): Promise<Blob> {
  const { default: writeXlsxFile } = await import("write-excel-file/universal");
  const header = columns.map((column) => ({ value: column.header, fontWeight: "bold" as const }));
  const body = rows.map((row) =>
    columns.map((column) => {
      const raw = column.value(row);
      if (raw === null || raw === undefined || raw === "") return null;
      const format = XLSX_FORMATS[column.kind];
      if (column.kind === "datetime" || column.kind === "date") {
        const date = raw instanceof Date ? raw : new Date(raw);
        if (Number.isNaN(date.getTime())) return null;
        return { value: toWallClockDate(date, context.timeZone), type: Date, format: format! };
      }
      if (column.kind === "duration") return { value: displayValue("duration", raw, context), type: String };
      if (format) return { value: Number(raw), type: Number, format };
      return { value: String(raw), type: String };
    }),
  );
  const widths = columns.map((column) => ({
    width: Math.min(48, Math.max(12, column.header.length + 2, column.kind === "datetime" ? 18 : 0)),
  }));
  return writeXlsxFile([header, ...body] as never, {
    sheet: sheet.slice(0, 31),
    columns: widths,
    stickyRowsCount: 1,
  }).toBlob();
}

/** Offers a blob as a download with that file name. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name such as "vigie-incidents-2026-11-25-1405.xlsx", stamped in the reader's timezone. */
export function exportFileName(
  base: string,
  extension: "csv" | "xlsx",
  timeZone: string,
  now = new Date(),
): string {
  const wall = toWallClockDate(now, timeZone).toISOString();
  return `vigie-${base}-${wall.slice(0, 10)}-${wall.slice(11, 13)}${wall.slice(14, 16)}.${extension}`;
}
