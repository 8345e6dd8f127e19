import type { ComponentType } from "react";
import type { RouteObject } from "react-router";

/** A link in the main navigation, contributed by a feature. */
export interface NavItem {
  to: string;
  /** i18n key of the label. */
  labelKey: string;
  icon?: ComponentType<{ size?: number; stroke?: number }>;
  /** Position in the bar, ascending. */
  order: number;
}

/**
 * What a feature folder exports from its index.ts as `feature`: its routes (pages lazy-loaded so that
 * the board's initial JavaScript stays small) and its navigation links. The shell discovers every
 * features/<noun>/index.ts by itself: adding a feature edits no central file.
 */
export interface Feature {
  /** Pages shown inside the frame (header, navigation). */
  routes: RouteObject[];
  /** Pages shown without the frame, e.g. sign-in. */
  bareRoutes?: RouteObject[];
  nav?: NavItem[];
}
