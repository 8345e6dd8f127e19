import { describe, expect, it } from "vitest";
import { inhibitedBy } from "./inhibition.js";

const alert = (ruleKey: string, kind: string, journey: string | null = "cco", severity = "page") => ({
  ruleKey,
  kind,
  journey,
  severity,
});

describe("inhibition", () => {
  it("holds a journey's error-rate, burn-rate, latency and volume alerts while it is down", () => {
    const down = alert("cco.down", "probe-down");
    for (const kind of ["error-rate", "burn-rate", "latency", "under-exposure"]) {
      expect(inhibitedBy(alert(`cco.${kind}`, kind), [down])).toBe("inhibited by cco.down");
    }
  });

  it("does not hold another journey's alerts", () => {
    expect(
      inhibitedBy(alert("loan.errors", "error-rate", "loan"), [alert("cco.down", "probe-down")]),
    ).toBeNull();
  });

  it("holds the ticket burn-rate alert while the page one fires", () => {
    const page = alert("cco.burn-page", "burn-rate", "cco", "page");
    expect(inhibitedBy(alert("cco.burn-ticket", "burn-rate", "cco", "ticket"), [page])).toBe(
      "inhibited by cco.burn-page",
    );
    expect(inhibitedBy(page, [alert("cco.burn-ticket", "burn-rate", "cco", "ticket")])).toBeNull();
  });

  it("holds under-exposure while ingestion is stalled", () => {
    const stalled = alert("ingestion", "ingestion-stalled", null);
    expect(inhibitedBy(alert("cco.volume", "under-exposure"), [stalled])).toBe("inhibited by ingestion");
    expect(inhibitedBy(alert("cco.errors", "error-rate"), [stalled])).toBeNull();
  });
});
