import { Badge, type MantineColor } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Colours of every state Vigie shows; never the only cue: the label is always written. */
export const STATE_COLORS: Record<string, MantineColor> = {
  up: "teal",
  ok: "teal",
  completed: "teal",
  closed: "gray",
  degraded: "orange",
  under_exposed: "grape",
  down: "red",
  failing: "red",
  failed: "red",
  error: "red",
  open: "red",
  rejected: "yellow",
  abandoned: "gray",
  in_progress: "blue",
  started: "blue",
  no_data: "gray",
  no_traffic: "gray",
  unknown: "gray",
  paused: "gray",
};

/** A state as a coloured, labelled badge ("En panne", "Dégradé"…); the label comes from `state.<value>`. */
export function StateBadge({
  state,
  size = "md",
}: {
  state: string;
  size?: "xs" | "sm" | "md" | "lg" | "xl";
}) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATE_COLORS[state] ?? "gray"}
      variant="filled"
      size={size}
      radius="sm"
      data-state={state}
      style={{ minWidth: "max-content" }}
    >
      {t(`state.${state}`)}
    </Badge>
  );
}
