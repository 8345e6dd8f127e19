import type { BoardJourney } from "@vigie/contracts";
import { memo, type Ref } from "react";
import { formatDateTime, formatNumber, formatPercent, type Language } from "../../../lib/format.ts";
import { stepState } from "../hooks/board-summary.ts";
import classes from "./Board.module.css";

type Translate = (key: string, values?: Record<string, unknown>) => string;

export interface TileProps {
  journey: BoardJourney;
  /** Its place on the board, from 1, and how many journeys the board shows (for assistive technologies). */
  position: number;
  total: number;
  /** Row index, when the grid's virtualiser measures the tile for its row [none]. */
  row?: number | undefined;
  ref?: Ref<HTMLElement> | undefined;
  language: Language;
  timeZone: string;
  stepName(journey: string, step: string): string;
  /** Passed down rather than a hook per tile: a thousand subscriptions cost more than one. */
  t: Translate;
  /** Client-side navigation for the tile's links (plain anchors: cheaper than a router link each). */
  onNavigate(event: React.MouseEvent<HTMLAnchorElement>): void;
}

function availabilityTone(ratio: number | null, objective: number): string {
  if (ratio === null) return classes.muted!;
  return ratio >= objective ? classes.good! : classes.bad!;
}

/**
 * One journey on the board. Plain elements and CSS only (no UI-kit components): a thousand of them
 * must render in well under a second on a wall screen.
 */
export const JourneyTile = memo(function JourneyTile({
  journey,
  position,
  total,
  row,
  ref,
  language,
  timeZone,
  stepName,
  t,
  onNavigate,
}: TileProps) {
  const { availability, volume, lastHour, probe } = journey;
  const name = journey.name[language];
  const expected = volume.expected === null ? null : Math.round(volume.expected);
  const reasons = explain(journey, language, t, stepName);
  return (
    <article
      ref={ref}
      data-index={row}
      aria-posinset={position}
      aria-setsize={total}
      className={classes.tile}
      data-state={journey.state}
      data-testid={`tile-${journey.key}`}
      aria-label={name}
    >
      <header className={classes.tileHeader}>
        <h2 className={classes.tileTitle}>
          <a
            href={`/journeys/${encodeURIComponent(journey.key)}`}
            className={classes.tileLink}
            onClick={onNavigate}
          >
            {name}
          </a>
        </h2>
        <span className={classes.state} data-state={journey.state} data-testid="tile-state">
          {t(`state.${journey.state}`)}
        </span>
      </header>
      {reasons.length > 0 ? (
        <p className={classes.reasons} title={journey.reasons.join("; ")}>
          {reasons.join(" · ")}
        </p>
      ) : null}
      <dl className={classes.figures}>
        <div>
          <dt>{t("board.today")}</dt>
          <dd
            className={availabilityTone(availability.today.traffic.ratio, availability.objective)}
            data-testid="availability-today"
          >
            {formatPercent(availability.today.traffic.ratio, language)}
          </dd>
          <dd className={classes.sub}>
            {t("board.probesShort")} {formatPercent(availability.today.time.ratio, language)}
          </dd>
        </div>
        <div>
          <dt>{t("board.last7Days")}</dt>
          <dd className={availabilityTone(availability.last7Days.traffic.ratio, availability.objective)}>
            {formatPercent(availability.last7Days.traffic.ratio, language)}
          </dd>
          <dd className={classes.sub}>
            {t("board.objective")} {formatPercent(availability.objective, language, 1)}
          </dd>
        </div>
        <div>
          <dt>{t("board.lastHour")}</dt>
          <dd className={volume.underExposed ? classes.warn : undefined} data-testid="last-hour">
            {formatNumber(lastHour.started, language)}
          </dd>
          <dd className={classes.sub}>
            {expected === null
              ? t("board.noHistory")
              : t("board.expected", { count: expected, value: formatNumber(expected, language) })}
          </dd>
        </div>
      </dl>
      <ol className={classes.strip} aria-label={t("board.steps")}>
        {journey.steps.map((step) => {
          const state = stepState(step);
          const label = `${stepName(journey.key, step.key)}: ${t(`state.${state}`)}`;
          return (
            <li key={step.key} className={classes.stripStep} data-state={state} title={label}>
              <span className="visually-hidden">{label}</span>
            </li>
          );
        })}
      </ol>
      <footer className={classes.tileFooter}>
        <span>
          {t("board.probe")}: <strong data-state={probe.state}>{t(`state.${probe.state}`)}</strong>
          {probe.failingStep ? ` (${stepName(journey.key, probe.failingStep)})` : ""}
          {probe.since
            ? ` · ${t("common.since", { time: formatDateTime(probe.since, language, timeZone) })}`
            : ""}
        </span>
        {journey.openIncidents > 0 ? (
          <a
            href={`/incidents?journey=${encodeURIComponent(journey.key)}&status=open`}
            className={classes.incidents}
            onClick={onNavigate}
          >
            {t("board.openIncidents", { count: journey.openIncidents })}
          </a>
        ) : (
          <span className={classes.muted}>{t("board.noIncident")}</span>
        )}
      </footer>
    </article>
  );
});

/**
 * Why the journey is in its state, in the reader's language, from the structured figures (the API's
 * `reasons` are English sentences: kept as the tooltip).
 */
export function explain(
  journey: BoardJourney,
  language: Language,
  t: (key: string, values?: Record<string, unknown>) => string,
  stepName: (journey: string, step: string) => string,
): string[] {
  const reasons: string[] = [];
  if (journey.probe.state === "down") {
    reasons.push(
      journey.probe.failingStep
        ? t("board.reason.probeDownAt", { step: stepName(journey.key, journey.probe.failingStep) })
        : t("board.reason.probeDown"),
    );
  }
  for (const step of journey.steps) {
    const { ratio, bad } = step.traffic;
    if (ratio !== null && bad > 0 && ratio < 0.99) {
      reasons.push(
        t("board.reason.realErrorsAt", {
          step: stepName(journey.key, step.key),
          rate: formatPercent(1 - ratio, language, 1),
        }),
      );
    }
  }
  if (journey.volume.underExposed) {
    reasons.push(
      t("board.reason.underExposed", {
        actual: formatNumber(journey.volume.actual, language),
        expected: formatNumber(Math.round(journey.volume.expected ?? 0), language),
      }),
    );
  }
  if (journey.state === "no_data") reasons.push(t("board.reason.noData"));
  return reasons;
}
