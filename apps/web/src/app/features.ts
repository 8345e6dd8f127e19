import type { Feature, NavItem } from "./feature.ts";

const modules = import.meta.glob<{ feature: Feature }>("../features/*/index.{ts,tsx}", { eager: true });

/** Every feature found under src/features, in path order. */
export const FEATURES: Feature[] = Object.keys(modules)
  .sort()
  .map((path) => modules[path]!.feature)
  .filter(Boolean);

/** The main navigation, all features' links by their `order`. */
export const NAV_ITEMS: NavItem[] = FEATURES.flatMap((feature) => feature.nav ?? []).sort(
  (a, b) => a.order - b.order,
);
