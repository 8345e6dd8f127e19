import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, formatNumber, formatPercent, NO_VALUE } from "./format.ts";

// Intl puts narrow no-break spaces in French numbers; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("formatting for the reader", () => {
  it("writes French percentages with a decimal comma and a spaced percent sign", () => {
    expect(plain(formatPercent(0.99524, "fr"))).toBe("99,52 %");
  });

  it("writes English percentages with a decimal point", () => {
    expect(formatPercent(0.99524, "en")).toBe("99.52%");
  });

  it("never rounds an imperfect availability up to 100 %", () => {
    expect(plain(formatPercent(0.99999, "fr"))).toBe("99,99 %");
    expect(plain(formatPercent(1, "fr"))).toBe("100,00 %");
  });

  it("shows a dash, not zero, when there is no figure", () => {
    expect(formatPercent(null, "fr")).toBe(NO_VALUE);
    expect(formatNumber(undefined, "en")).toBe(NO_VALUE);
  });

  it("groups thousands the French way", () => {
    expect(plain(formatNumber(1234567, "fr"))).toBe("1 234 567");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
  });

  it("writes dates day first in the chosen timezone", () => {
    expect(formatDateTime("2026-11-25T13:05:00Z", "fr", "Europe/Paris")).toBe("25/11/2026 14:05");
    expect(formatDateTime("2026-11-25T13:05:00Z", "en", "UTC")).toBe("25/11/2026, 13:05");
  });

  it("writes durations in the most readable unit", () => {
    expect(plain(formatDuration(850, "fr"))).toBe("850 ms");
    expect(formatDuration(2400, "fr")).toBe("2,4 s");
    expect(formatDuration(200_000, "en")).toBe("3 min 20 s");
    expect(formatDuration(3_900_000, "fr")).toBe("1 h 05 min");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000, "fr")).toBe("2 j 3 h");
  });
});
