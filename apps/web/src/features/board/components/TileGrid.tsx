import { defaultRangeExtractor, type Range, useWindowVirtualizer } from "@tanstack/react-virtual";
import type { BoardJourney } from "@vigie/contracts";
import {
  type FocusEvent,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { flushSync } from "react-dom";
import classes from "./Board.module.css";
import { JourneyTile, type TileProps } from "./JourneyTile.tsx";

/**
 * Boards up to this many journeys render every tile, so that the browser's find-in-page sees them
 * all; larger ones render only the rows on screen (see docs/adr/0085).
 */
export const ALL_TILES_UP_TO = 100;
/** Space between rows, as `.grid`'s gap. */
const ROW_GAP = 12;
/** A tile's height before it is measured: most tiles, on a desktop screen. */
const ESTIMATED_ROW = 200;
/** The row holding the focus stays rendered while the page is scrolled up to this many rows away. */
const FOCUS_KEPT_WITHIN = 10;

interface TileGridProps extends Omit<TileProps, "journey" | "position" | "total" | "row" | "ref"> {
  journeys: BoardJourney[];
  label: string;
}

/**
 * Columns the grid's CSS lays out (`auto-fill`: read back from the browser, never guessed) and where
 * the grid starts in the page, read again when the grid is resized or `journeys` change (the
 * figures above it may then wrap differently), not on every scroll.
 */
function useGridLayout(grid: RefObject<HTMLElement | null>, journeys: unknown) {
  const [layout, setLayout] = useState({ columns: 1, top: 0 });
  const read = useCallback(() => {
    const element = grid.current;
    if (!element) return;
    const columns = Math.max(
      1,
      getComputedStyle(element).gridTemplateColumns.split(" ").filter(Boolean).length,
    );
    const top = Math.round(element.getBoundingClientRect().top + window.scrollY);
    setLayout((current) => (current.columns === columns && current.top === top ? current : { columns, top }));
  }, [grid]);
  useLayoutEffect(() => {
    const element = grid.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(read);
    observer.observe(element);
    return () => observer.disconnect();
  }, [grid, read]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the journeys change
  useLayoutEffect(read, [read, journeys]);
  return layout;
}

/** Every tile while the page is being printed (printing shows what the DOM holds). */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    // synchronously, so that the print layout that follows `beforeprint` has every tile
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);
  return printing;
}

/**
 * The board's tiles as a feed of articles, in the grid's reading order. Large boards render only the
 * rows on screen plus two above and below, so that a thousand journeys cost what a screenful does;
 * Tab still walks every tile in order (the next row is always rendered), and the row holding the
 * focus stays rendered when the page scrolls a few screens away from it.
 */
export function TileGrid({ journeys, label, ...tile }: TileGridProps) {
  const grid = useRef<HTMLDivElement>(null);
  const { columns, top: scrollMargin } = useGridLayout(grid, journeys);
  const printing = usePrinting();
  const virtual = journeys.length > ALL_TILES_UP_TO && !printing;
  const focusedRow = useRef<number | null>(null);
  const rangeExtractor = useCallback((range: Range) => {
    const rows = defaultRangeExtractor(range);
    const focused = focusedRow.current;
    if (focused === null || focused >= range.count || rows.includes(focused)) return rows;
    // rows stay contiguous (the grid lays them out in order): fill the gap up to the focused one,
    // unless the page was scrolled far from it (that would render most of the board again)
    const first = Math.min(rows[0] ?? focused, focused);
    const last = Math.max(rows.at(-1) ?? focused, focused);
    if (last - first + 1 > rows.length + FOCUS_KEPT_WITHIN) return rows;
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: Math.ceil(journeys.length / columns),
    estimateSize: () => ESTIMATED_ROW,
    gap: ROW_GAP,
    overscan: 2,
    scrollMargin,
    rangeExtractor,
    enabled: virtual,
    // the first render already knows the screen: no pass with every tile before the window is read
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });

  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const position = event.target.closest("article")?.getAttribute("aria-posinset");
    focusedRow.current = position ? Math.floor((Number(position) - 1) / columns) : null;
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) focusedRow.current = null;
  };

  let shown = journeys;
  let first = 0;
  let padding = { top: 0, bottom: 0 };
  if (virtual) {
    const rows = virtualizer.getVirtualItems();
    const top = rows[0];
    const bottom = rows.at(-1);
    first = (top?.index ?? 0) * columns;
    shown = top && bottom ? journeys.slice(first, (bottom.index + 1) * columns) : [];
    padding = {
      top: top ? top.start - scrollMargin : 0,
      bottom: bottom ? virtualizer.getTotalSize() - (bottom.end - scrollMargin) : 0,
    };
  }

  return (
    <div
      ref={grid}
      role="feed"
      aria-label={label}
      aria-busy={false}
      className={classes.grid}
      style={{ paddingTop: padding.top, paddingBottom: padding.bottom }}
      data-testid="board-grid"
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {shown.map((journey, i) => {
        const index = first + i;
        // a row is as tall as its tallest tile and every tile stretches to it: any of them gives the
        // row's height (the virtualiser keeps one element per row)
        return (
          <JourneyTile
            key={journey.key}
            ref={virtual ? virtualizer.measureElement : undefined}
            row={virtual ? Math.floor(index / columns) : undefined}
            position={index + 1}
            total={journeys.length}
            journey={journey}
            {...tile}
          />
        );
      })}
    </div>
  );
}
