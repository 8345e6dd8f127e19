import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { type ExportColumn, exportFileName, toCsv, toXlsx } from "./export.ts";

interface Row {
  journey: string;
  availability: number | null;
  startedAt: string;
  runs: number;
}

const columns: ExportColumn<Row>[] = [
  { header: "Parcours", kind: "text", value: (r) => r.journey },
  { header: "Disponibilité", kind: "percent", value: (r) => r.availability },
  { header: "Début", kind: "datetime", value: (r) => r.startedAt },
  { header: "Parcours touchés", kind: "integer", value: (r) => r.runs },
];
const rows: Row[] = [
  { journey: "Compte courant", availability: 0.99524, startedAt: "2026-11-25T13:05:00Z", runs: 1234 },
  { journey: "=cmd|' /C calc'!A0", availability: null, startedAt: "2026-07-01T08:00:00Z", runs: 0 },
];
const fr = { language: "fr" as const, timeZone: "Europe/Paris" };
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("exports", () => {
  it("writes French CSV with semicolons, decimal commas and Paris times", () => {
    const lines = plain(toCsv(rows, columns, fr))
      .replace(/^\uFEFF/, "")
      .split("\r\n");
    expect(lines[0]).toBe("Parcours;Disponibilité;Début;Parcours touchés");
    expect(lines[1]).toBe("Compte courant;99,52 %;25/11/2026 14:05;1 234");
  });

  it("writes English CSV with commas and quotes fields that hold one", () => {
    const csv = toCsv([{ ...rows[0]!, journey: "Card, premium" }], columns, {
      language: "en",
      timeZone: "UTC",
    });
    expect(csv.split("\r\n")[1]).toBe('"Card, premium",99.52%,"25/11/2026, 13:05","1,234"');
  });

  it("neutralises a value that Excel would run as a formula and leaves absent figures empty", () => {
    const line = toCsv(rows, columns, fr).split("\r\n")[2]!;
    expect(line.startsWith("'=cmd")).toBe(true);
    expect(line.split(";")[1]).toBe("");
  });

  it("writes an XLSX whose numbers and dates are typed, with the reader's wall-clock time", async () => {
    const blob = await toXlsx(rows, columns, fr, "Incidents");
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    const shared = strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array());
    expect((sheet.match(/<row /g) ?? []).length).toBe(3);
    expect(`${sheet}${shared}`).toContain("Compte courant");
    expect(sheet).toContain(">0.99524<");
    expect(sheet).toContain(">1234<");
    // 25/11/2026 14:05 in Paris as an Excel serial date: 46351 days + 14:05
    expect(sheet).toMatch(/>46351\.586805\d*</);
  });

  it("stamps file names in the reader's timezone", () => {
    expect(exportFileName("runs", "xlsx", "Europe/Paris", new Date("2026-11-25T23:30:00Z"))).toBe(
      "vigie-runs-2026-11-26-0030.xlsx",
    );
  });
});
