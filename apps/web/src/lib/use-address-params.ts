import { useCallback, useRef } from "react";
import { type NavigateOptions, useSearchParams } from "react-router";

/**
 * The address's query parameters, and an update that always starts from the latest ones. React
 * Router hands a functional update the parameters of the last render, so two quick changes (a
 * preset, then the compare switch) would have the second undo the first; this keeps the newest.
 */
export function useAddressParams() {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  const rendered = useRef(params);
  // a render that still shows the old address must not undo an update on its way
  if (rendered.current !== params) {
    rendered.current = params;
    latest.current = params;
  }
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => {
      const next = change(new URLSearchParams(latest.current));
      latest.current = next;
      setParams(next, options);
    },
    [setParams],
  );
  return [params, update] as const;
}
