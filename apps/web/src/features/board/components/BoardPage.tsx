import { Button, Group, TextInput } from "@mantine/core";
import { IconDeviceDesktop, IconSearch } from "@tabler/icons-react";
import type { JourneyState } from "@vigie/contracts";
import { type MouseEvent, useCallback, useDeferredValue, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../../components/PageHeader.tsx";
import { QueryState } from "../../../components/QueryState.tsx";
import { formatNumber, formatTimestamp } from "../../../lib/format.ts";
import { useJourneyNames } from "../../../lib/journeys.ts";
import { usePreferences } from "../../../lib/preferences.tsx";
import { useBoard } from "../api/get-board.ts";
import { countByState, filterJourneys, STATE_ORDER, sortForBoard } from "../hooks/board-summary.ts";
import { useLiveBoard } from "../hooks/use-live-board.ts";
import classes from "./Board.module.css";
import { TileGrid } from "./TileGrid.tsx";

/** Home page: every journey as a tile, worst first, updated live. */
export function BoardPage() {
  const { t } = useTranslation();
  const { language, timeZone } = usePreferences();
  const board = useBoard();
  const { stepName } = useJourneyNames();
  useLiveBoard();
  const [params, setParams] = useSearchParams();
  const wall = params.get("wall") === "1";
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search);
  const stateFilter = (params.get("state") as JourneyState | null) ?? null;

  const journeys = board.data?.journeys;
  const sorted = useMemo(() => (journeys ? sortForBoard(journeys, language) : []), [journeys, language]);
  const shown = useMemo(
    () => filterJourneys(sorted, deferredSearch, stateFilter),
    [sorted, deferredSearch, stateFilter],
  );
  const counts = useMemo(() => countByState(journeys ?? []), [journeys]);
  const navigate = useNavigate();
  const translate = useCallback((key: string, values?: Record<string, unknown>) => t(key, values ?? {}), [t]);
  // One handler for every tile link: plain anchors, navigated on the client unless opened elsewhere.
  const onNavigate = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(event.currentTarget.getAttribute("href")!);
    },
    [navigate],
  );

  const toggleState = (state: JourneyState) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (current.get("state") === state) next.delete("state");
      else next.set("state", state);
      return next;
    });

  return (
    <div className={classes.board} data-wall={wall || undefined}>
      {wall ? (
        <Group justify="space-between" mb="sm">
          <h1 className={classes.wallTitle}>{t("board.title")}</h1>
          <Link to="/" className={classes.wallExit}>
            {t("board.exitWall")}
          </Link>
        </Group>
      ) : (
        <PageHeader
          title={t("board.title")}
          subtitle={
            board.data
              ? t("board.updatedAt", { time: formatTimestamp(board.data.generatedAt, language, timeZone) })
              : t("board.subtitle")
          }
          actions={
            <Button
              component={Link}
              to="/?wall=1"
              variant="default"
              size="sm"
              leftSection={<IconDeviceDesktop size={16} aria-hidden="true" />}
            >
              {t("board.wall")}
            </Button>
          }
        />
      )}
      <QueryState query={board}>
        {() => (
          <>
            <Group justify="space-between" mb="md" gap="sm">
              <ul className={classes.summary} aria-label={t("board.summary")}>
                {STATE_ORDER.map((state) => (
                  <li key={state}>
                    <button
                      type="button"
                      className={classes.summaryItem}
                      data-state={state}
                      aria-pressed={stateFilter === state}
                      onClick={() => toggleState(state)}
                      data-testid={`count-${state}`}
                    >
                      <span className={classes.summaryCount}>{counts[state]}</span>
                      <span>{t(`state.${state}`)}</span>
                    </button>
                  </li>
                ))}
              </ul>
              {wall ? null : (
                <Group gap="sm">
                  {/* announced as the filter narrows the board (tiles off screen are not in the page) */}
                  <span className={classes.shown} aria-live="polite" data-testid="board-shown">
                    {t("board.shown", {
                      count: shown.length,
                      shown: formatNumber(shown.length, language),
                      total: formatNumber(journeys?.length ?? 0, language),
                    })}
                  </span>
                  <TextInput
                    type="search"
                    aria-label={t("board.search")}
                    placeholder={t("board.search")}
                    leftSection={<IconSearch size={16} aria-hidden="true" />}
                    value={search}
                    onChange={(event) => setSearch(event.currentTarget.value)}
                    w={260}
                  />
                </Group>
              )}
            </Group>
            {shown.length === 0 ? (
              <p className={classes.empty}>{journeys?.length ? t("board.noMatch") : t("board.noJourney")}</p>
            ) : (
              <TileGrid
                journeys={shown}
                label={t("board.tiles")}
                language={language}
                timeZone={timeZone}
                stepName={stepName}
                t={translate}
                onNavigate={onNavigate}
              />
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}
