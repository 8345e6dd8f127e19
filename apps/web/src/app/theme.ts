import { type CSSVariablesResolver, createTheme, type MantineColorsTuple } from "@mantine/core";

// A deep, sober blue: the colour people expect from a bank's own tools; state colours are kept for
// states only (green, orange, red, violet, grey) so that they stand out.
const vigie: MantineColorsTuple = [
  "#eef3fb",
  "#d9e2f2",
  "#aec2e6",
  "#809fda",
  "#5a82cf",
  "#4270c9",
  "#3566c7",
  "#2756b0",
  "#1f4c9e",
  "#12418c",
];

/** The Mantine theme of the whole app. */
export const theme = createTheme({
  primaryColor: "vigie",
  colors: { vigie },
  primaryShade: 8,
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: "650" },
  defaultRadius: "md",
  cursorType: "pointer",
  focusRing: "auto",
});

/** Mantine's dimmed grey is below 4.5:1 on the page background: a darker grey keeps hints readable. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
