/**
 * Multi-window, multi-burn-rate SLO alerts as in the Google SRE workbook ("Alerting on SLOs",
 * table 5-8): a window pair fires when both its long and its short window consume the error budget
 * faster than `factor` times the sustainable rate. Factors are derived from the share of the budget
 * a window may consume and the SLO period, so a 28-day objective gets its own factors.
 */

/** One window pair of a burn-rate rule. */
export interface BurnWindow {
  severity: "page" | "ticket";
  longMs: number;
  shortMs: number;
  /** Share of the period's error budget consumed in `longMs` that deserves this severity. */
  budgetShare: number;
}

const H = 3_600_000;

/** The workbook's recommended windows: 2 % in 1 h and 5 % in 6 h page; 10 % in 3 d tickets. */
export const WORKBOOK_WINDOWS: BurnWindow[] = [
  { severity: "page", longMs: 1 * H, shortMs: 5 * 60_000, budgetShare: 0.02 },
  { severity: "page", longMs: 6 * H, shortMs: 30 * 60_000, budgetShare: 0.05 },
  { severity: "ticket", longMs: 72 * H, shortMs: 6 * H, budgetShare: 0.1 },
];

/** A window pair with its derived factor and the error rate above which it fires. */
export interface DerivedBurnWindow extends BurnWindow {
  factor: number;
  /** Error rate (errors / requests) that burns at `factor`; above 1 it can never be reached. */
  errorRateThreshold: number;
  /** True when the objective makes this window unable to ever fire. */
  impossible: boolean;
}

/**
 * Derives each window's burn-rate factor (`budgetShare × period / longWindow`, 14.4, 6 and 1 for a
 * 30-day period) and the matching error-rate threshold for an availability objective.
 */
export function deriveBurnWindows(
  objective: number,
  periodMs: number,
  windows: BurnWindow[] = WORKBOOK_WINDOWS,
): DerivedBurnWindow[] {
  const budget = 1 - objective;
  return windows.map((window) => {
    const factor = Math.round(((window.budgetShare * periodMs) / window.longMs) * 1000) / 1000;
    const errorRateThreshold = factor * budget;
    return { ...window, factor, errorRateThreshold, impossible: errorRateThreshold > 1 };
  });
}

/** Plain warnings for window pairs that an objective makes impossible (a page that can never come). */
export function burnRateWarnings(objective: number, periodMs: number, windows?: BurnWindow[]): string[] {
  return deriveBurnWindows(objective, periodMs, windows)
    .filter((w) => w.impossible)
    .map(
      (w) =>
        `With an objective of ${(objective * 100).toFixed(3).replace(/\.?0+$/, "")} %, the ${w.severity} rule ` +
        `over ${w.longMs / H} h needs an error rate of ${(w.errorRateThreshold * 100).toFixed(0)} % ` +
        "(more than every request failing): it can never fire. Raise the objective or lower its factor.",
    );
}

/** Burn rate of a window: its error rate divided by the error budget. */
export function burnRate(errors: number, total: number, objective: number): number {
  if (total <= 0) return 0;
  return errors / total / (1 - objective);
}
