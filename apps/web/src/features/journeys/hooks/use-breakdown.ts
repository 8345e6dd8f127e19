import type { FunnelAttribute } from "@vigie/contracts";
import { useCallback } from "react";
import { useSearchParams } from "react-router";

/** Label key of each attribute the server can break a funnel down by (the compiler keeps it complete). */
export const BREAKDOWN_LABELS: Record<FunnelAttribute, string> = {
  product: "journey.breakdown.product",
  channel: "journey.breakdown.channel",
};

/** Attributes the funnel can be broken down by, in the order the selector shows them. */
export const BREAKDOWN_ATTRIBUTES = Object.keys(BREAKDOWN_LABELS) as FunnelAttribute[];

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
