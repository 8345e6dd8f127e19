import { fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../app/Providers.tsx";
import { createI18n } from "../lib/i18n.ts";
import type { TableState } from "../lib/use-table-state.ts";
import { type Column, DataTable } from "./DataTable.tsx";

interface Row {
  id: string;
  startedAt: string;
  availability: number;
}

const columns: Column<Row>[] = [
  { key: "id", header: "Identifiant", kind: "text", value: (r) => r.id },
  { key: "startedAt", header: "Début", kind: "datetime", sortable: true, value: (r) => r.startedAt },
  {
    key: "availability",
    header: "Disponibilité",
    kind: "percent",
    sortable: true,
    value: (r) => r.availability,
  },
];
const rows: Row[] = [
  { id: "run-1", startedAt: "2026-11-25T13:05:00Z", availability: 0.9952 },
  { id: "run-2", startedAt: "2026-07-01T08:00:00Z", availability: 1 },
];
const plain = (text: string | null) => (text ?? "").replace(/[\u202f\u00a0]/g, " ");

function Harness({ onChange, total = 120 }: { onChange: (state: TableState) => void; total?: number }) {
  const [state, setState] = useState<TableState>({ page: 1, pageSize: 25, sort: null });
  return (
    <DataTable
      caption="Parcours"
      columns={columns}
      rows={rows}
      total={total}
      state={state}
      onStateChange={(next) => {
        setState(next);
        onChange(next);
      }}
      rowKey={(row) => row.id}
      exportName="runs"
    />
  );
}

function renderTable(onChange = vi.fn(), total?: number) {
  render(
    <Providers i18n={createI18n("fr")} live={false} timeZone="Europe/Paris">
      <Harness onChange={onChange} total={total} />
    </Providers>,
  );
  return onChange;
}

afterEach(() => vi.restoreAllMocks());

describe("DataTable", () => {
  it("shows the rows in French formats and the Paris timezone", () => {
    renderTable();
    const row = screen.getByText("run-1").closest("tr")!;
    expect(within(row).getByText("25/11/2026 14:05")).toBeTruthy();
    expect(plain(within(row).getAllByRole("cell")[2]!.textContent)).toBe("99,52 %");
    expect(plain(screen.getByText(/sur 120/).textContent)).toBe("1–25 sur 120");
  });

  it("asks the server for descending then ascending order when a header is clicked twice", () => {
    const onChange = renderTable();
    const header = screen.getByRole("button", { name: /Début/ });
    fireEvent.click(header);
    expect(onChange).toHaveBeenLastCalledWith({
      page: 1,
      pageSize: 25,
      sort: { key: "startedAt", order: "desc" },
    });
    expect(screen.getByRole("columnheader", { name: /Début/ }).getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(header);
    expect(onChange).toHaveBeenLastCalledWith({
      page: 1,
      pageSize: 25,
      sort: { key: "startedAt", order: "asc" },
    });
  });

  it("asks the server for the next page", () => {
    const onChange = renderTable();
    fireEvent.click(screen.getByRole("button", { name: "Page suivante" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ page: 2 }));
  });

  it("exports the rows shown as a French CSV file in one click", async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return "blob:test";
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    renderTable();
    fireEvent.click(screen.getByRole("button", { name: "CSV" }));
    expect(click).toHaveBeenCalledOnce();
    const text = plain(await blobs[0]!.text()).replace(/^\uFEFF/, "");
    expect(text.split("\r\n").slice(0, 3)).toEqual([
      "Identifiant;Début;Disponibilité",
      "run-1;25/11/2026 14:05;99,52 %",
      "run-2;01/07/2026 10:00;100,00 %",
    ]);
  });

  it("says so when no row matches", () => {
    render(
      <Providers i18n={createI18n("en")} live={false}>
        <DataTable
          caption="Runs"
          columns={columns}
          rows={[]}
          total={0}
          state={{ page: 1, pageSize: 25, sort: null }}
          onStateChange={() => {}}
          rowKey={(row) => row.id}
          exportName="runs"
        />
      </Providers>,
    );
    expect(screen.getByText("No row matches.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Excel" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
