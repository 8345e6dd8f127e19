import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

// Dark enough for white bold text at 4.5:1 (WCAG AA), the same hues as the board.
const GREEN = "#087f5b";
const RED = "#c92a2a";
const AMBER = "#b45309";
const VIOLET = "#862e9c";
const BROWN = "#92400e";
const GREY = "#495057";
const BLUE = "#1864ab";

/** Colours of every state Vigie shows; never the only cue: the label is always written. */
export const STATE_COLORS: Record<string, string> = {
  up: GREEN,
  ok: GREEN,
  completed: GREEN,
  active: GREEN,
  closed: GREY,
  degraded: AMBER,
  under_exposed: VIOLET,
  down: RED,
  failing: RED,
  failed: RED,
  error: RED,
  open: RED,
  rejected: BROWN,
  abandoned: GREY,
  in_progress: BLUE,
  started: BLUE,
  no_data: GREY,
  no_traffic: GREY,
  unknown: GREY,
  paused: GREY,
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
      color={STATE_COLORS[state] ?? GREY}
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
