import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Providers } from "../app/Providers.tsx";
import { createI18n } from "../lib/i18n.ts";
import { presetRange } from "../lib/time-range.ts";
import { TimeRangePicker } from "./TimeRangePicker.tsx";

const NOW = new Date("2026-11-25T14:05:00Z");

function renderPicker(onChange = vi.fn(), onCompareChange = vi.fn()) {
  render(
    <Providers i18n={createI18n("fr")} live={false} timeZone="Europe/Paris">
      <TimeRangePicker
        range={presetRange("7d", NOW, "Europe/Paris")}
        onChange={onChange}
        compare={false}
        onCompareChange={onCompareChange}
        now={NOW}
      />
    </Providers>,
  );
  return { onChange, onCompareChange };
}

describe("TimeRangePicker", () => {
  it("says which period is shown, in the reader's timezone", () => {
    renderPicker();
    expect(screen.getByTestId("range-summary").textContent).toBe(
      "Du 19/11/2026 00:00 au 25/11/2026 15:05 (Europe/Paris)",
    );
  });

  it("turns a preset into Paris day boundaries", () => {
    const { onChange } = renderPicker();
    fireEvent.click(screen.getByText("Hier"));
    expect(onChange).toHaveBeenCalledWith({
      preset: "yesterday",
      from: new Date("2026-11-23T23:00:00Z"),
      to: new Date("2026-11-24T23:00:00Z"),
    });
  });

  it("switches the comparison with the previous period", () => {
    const { onCompareChange } = renderPicker();
    fireEvent.click(screen.getByLabelText("Comparer à la période précédente"));
    expect(onCompareChange).toHaveBeenCalledWith(true);
  });
});
