import { fireEvent, render, screen, within } from "@testing-library/react";
import type { Funnel } from "@vigie/contracts";
import { describe, expect, it, vi } from "vitest";
import { Providers } from "../../../app/Providers.tsx";
import { createI18n } from "../../../lib/i18n.ts";
import { funnelFixture } from "../../../test/fixtures.ts";
import { breakdownRows } from "../hooks/funnel-charts.ts";
import { BreakdownTable, FunnelBreakdown } from "./FunnelBreakdown.tsx";

const FROM = new Date("2026-11-18T23:00:00Z");
const TO = new Date("2026-11-25T23:00:00Z");
const STEP_NAMES: Record<string, string> = { identity: "Identité", offer: "Offre" };
const stepName = (step: string) => STEP_NAMES[step] ?? step;

/** A funnel by product: "essentiel" 1,000 started, "premium" 500, and 100 runs without a product. */
function funnelByProduct(): Funnel {
  const group = (value: string, scale: number) => ({
    value,
    figures: funnelFixture("cco", FROM, TO, scale).figures,
  });
  return {
    ...funnelFixture("cco", FROM, TO, 1.6),
    breakdown: {
      attribute: "product",
      groups: [group("", 0.1), group("essentiel", 1), group("premium", 0.5)],
    },
  };
}

function renderInFrench(element: React.ReactNode) {
  return render(
    <Providers i18n={createI18n("fr")} live={false} timeZone="Europe/Paris">
      {element}
    </Providers>,
  );
}

/** The row's cell texts, the (narrow) no-break spaces of French numbers read as spaces. */
function cells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole("cell")
    .map((cell) => (cell.textContent ?? "").replace(/[\u00a0\u202f]/g, " "));
}

describe("BreakdownTable", () => {
  it("shows one row per value, largest first and runs without the attribute last", () => {
    const rows = breakdownRows(funnelByProduct().breakdown!);
    renderInFrench(<BreakdownTable attribute="product" rows={rows} stepName={stepName} />);
    const table = screen.getByTestId("funnel-breakdown-table");
    const body = within(table).getAllByRole("row").slice(1);
    expect(body.map((row) => cells(row)[0])).toEqual(["essentiel", "premium", "(non renseigné)"]);
    expect(within(table).getAllByRole("columnheader")[0]!.textContent).toBe("Produit");
  });

  it("gives each value its started, completed, conversion, drop-off split, where most stop and time to convert", () => {
    const rows = breakdownRows(funnelByProduct().breakdown!);
    renderInFrench(<BreakdownTable attribute="product" rows={rows} stepName={stepName} />);
    const headers = within(screen.getByTestId("funnel-breakdown-table"))
      .getAllByRole("columnheader")
      .map((header) => header.textContent);
    expect(headers).toEqual([
      "Produit",
      "Parcours commencés",
      "Aboutis",
      "Conversion",
      "Échec technique",
      "Refus métier",
      "Abandon",
      "En cours",
      "Le plus perdus à",
      "Délai de souscription (médiane)",
    ]);
    // essentiel: 1,000 started, 480 completed; the fixture stops 40 + 6 × 5 for technical reasons,
    // 30 + 6 × 2 for business ones, 6 × 50 by abandonment, 7 × 3 still going; identity loses most
    const essentiel = screen
      .getByTestId("funnel-breakdown-table")
      .querySelector('tr[data-value="essentiel"]');
    expect(cells(essentiel as HTMLElement)).toEqual([
      "essentiel",
      "1 000",
      "480",
      "48,0 %",
      "70",
      "42",
      "300",
      "21",
      "Identité",
      "14 min",
    ]);
  });
});

describe("FunnelBreakdown", () => {
  it("asks for another attribute when the reader picks one", () => {
    const onByChange = vi.fn();
    renderInFrench(
      <FunnelBreakdown funnel={funnelByProduct()} by="product" onByChange={onByChange} stepName={stepName} />,
    );
    expect(screen.getByRole("heading", { name: "Entonnoir par produit" })).toBeTruthy();
    fireEvent.click(screen.getByText("Canal"));
    expect(onByChange).toHaveBeenCalledWith("channel");
  });

  it("says so when no journey of the period carried the attribute", () => {
    const funnel: Funnel = {
      ...funnelFixture("cco", FROM, TO),
      breakdown: {
        attribute: "channel",
        groups: [{ value: "", figures: funnelFixture("cco", FROM, TO).figures }],
      },
    };
    renderInFrench(<FunnelBreakdown funnel={funnel} by="channel" onByChange={vi.fn()} stepName={stepName} />);
    expect(screen.getByText("Aucun parcours de la période ne portait de canal.")).toBeTruthy();
    expect(screen.queryByTestId("funnel-breakdown-table")).toBeNull();
  });
});
