import { useCallback, useMemo } from "react";
import { useAddressParams } from "./use-address-params.ts";

export type SortOrder = "asc" | "desc";

/** Page, page size and sort of a server-side table, kept in the address so that a view can be shared. */
export interface TableState {
  page: number;
  pageSize: number;
  sort: { key: string; order: SortOrder } | null;
}

export const PAGE_SIZES = [25, 50, 100] as const;

/** Parses `page`, `size` and `sort=key:asc|desc` from the address. */
export function tableStateFromSearch(
  params: URLSearchParams,
  defaults: Partial<TableState> = {},
): TableState {
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "", 10) || defaults.page || 1);
  const size = Number.parseInt(params.get("size") ?? "", 10);
  const pageSize = (PAGE_SIZES as readonly number[]).includes(size) ? size : (defaults.pageSize ?? 25);
  const [key, order] = (params.get("sort") ?? "").split(":");
  const sort =
    key && (order === "asc" || order === "desc")
      ? { key, order: order as SortOrder }
      : (defaults.sort ?? null);
  return { page, pageSize, sort };
}

/** The `sort` query parameter the API expects ("startedAt:desc"), or undefined. */
export function sortParam(state: TableState): string | undefined {
  return state.sort ? `${state.sort.key}:${state.sort.order}` : undefined;
}

/**
 * Table state and filters in the address. `setFilter` resets to page 1 (the old page may not exist
 * under the new filter).
 */
export function useTableState(defaults: Partial<TableState> = {}) {
  const [params, setParams] = useAddressParams();
  const state = useMemo(() => tableStateFromSearch(params, defaults), [params, defaults]);
  const setState = useCallback(
    (next: TableState) => {
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          updated.set("page", String(next.page));
          updated.set("size", String(next.pageSize));
          if (next.sort) updated.set("sort", `${next.sort.key}:${next.sort.order}`);
          else updated.delete("sort");
          return updated;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const setFilter = useCallback(
    (name: string, value: string | null | undefined) => {
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (value) updated.set(name, value);
          else updated.delete(name);
          updated.set("page", "1");
          return updated;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const filter = useCallback((name: string) => params.get(name) ?? "", [params]);
  return { state, setState, filter, setFilter };
}
