import type { FunnelAttribute } from "@vigie/contracts";
import { useCallback } from "react";
import { useSearchParams } from "react-router";

// Every attribute the server can break a funnel down by, with its place in the selector: the
// compiler keeps this complete when the contract gains one.
const ORDER: Record<FunnelAttribute, number> = { product: 0, channel: 1 };

/** Attributes the funnel can be broken down by, in the order the selector shows them. */
export const BREAKDOWN_ATTRIBUTES = (Object.keys(ORDER) as FunnelAttribute[]).sort(
  (a, b) => ORDER[a] - ORDER[b],
);

/** Translation key of one of an attribute's texts: its name, the section title, the empty line, the chart title. */
export function breakdownText(
  attribute: FunnelAttribute,
  text: "label" | "title" | "none" | "chartTitle",
): string {
  return `journey.breakdown.attributes.${attribute}.${text}`;
}

function isAttribute(value: string | null): value is FunnelAttribute {
  return value !== null && (BREAKDOWN_ATTRIBUTES as string[]).includes(value);
}

/** The attribute the funnel is broken down by, kept in the address (`by`) so a link reproduces it. */
export function useBreakdownAttribute() {
  const [params, setParams] = useSearchParams();
  const value = params.get("by");
  const by = isAttribute(value) ? value : null;
  const setBy = useCallback(
    (next: FunnelAttribute | null) =>
      setParams((current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set("by", next);
        else updated.delete("by");
        return updated;
      }),
    [setParams],
  );
  return { by, setBy };
}
