import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";

/** What the server pushes on /api/v1/live when stored events change what the board shows. */
export interface LiveChange {
  /** Journeys whose figures changed. */
  journeys: string[];
  /** When the server noticed, ISO 8601. */
  at: string;
}

export type LiveStatus = "connecting" | "open" | "closed";

type Listener = (change: LiveChange) => void;

interface LiveHub {
  status: LiveStatus;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveHub>({ status: "closed", subscribe: () => () => {} });

/** The server-sent events endpoint; same origin, with the session cookie. */
export const LIVE_URL = "/api/v1/live";

/**
 * Holds one EventSource for the whole app (the browser reconnects it by itself) and hands each
 * "change" message to the features that subscribed.
 */
export function LiveProvider({ children, url = LIVE_URL }: { children: ReactNode; url?: string }) {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const listeners = useRef(new Set<Listener>());
  const hub = useRef<LiveHub>({
    status: "connecting",
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") {
      setStatus("closed");
      return;
    }
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setStatus("open");
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "closed" : "connecting");
    source.addEventListener("change", (message) => {
      let change: LiveChange;
      try {
        change = JSON.parse((message as MessageEvent<string>).data) as LiveChange;
      } catch {
        return;
      }
      for (const listener of listeners.current) listener(change);
    });
    return () => source.close();
  }, [url]);

  hub.current = { ...hub.current, status };
  return <LiveContext.Provider value={hub.current}>{children}</LiveContext.Provider>;
}

/** Whether live updates are flowing (shown in the header). */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/**
 * Calls `onChange` for each pushed change, at most once per `throttleMs` (changes in between are
 * merged), so a burst of events refreshes a page once, not a thousand times.
 */
export function useLiveChanges(onChange: (journeys: Set<string>) => void, throttleMs = 1000): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    let pending: Set<string> | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const flush = () => {
      timer = undefined;
      last = Date.now();
      const journeys = pending ?? new Set<string>();
      pending = null;
      latest.current(journeys);
    };
    const unsubscribe = subscribe((change) => {
      pending ??= new Set();
      for (const journey of change.journeys) pending.add(journey);
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, last + throttleMs - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe, throttleMs]);
}
