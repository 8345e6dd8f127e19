/**
 * Requests held open by a session (server-sent events, WebSocket, long polls), so that ending the
 * session closes them at once instead of letting them stream on.
 */
export function createLiveConnections() {
  const bySession = new Map<string, Set<() => void>>();
  return {
    /** Remembers how to close a request of this session; call the returned function once it ends. */
    track(sessionId: string, close: () => void): () => void {
      let closers = bySession.get(sessionId);
      if (!closers) {
        closers = new Set();
        bySession.set(sessionId, closers);
      }
      closers.add(close);
      return () => {
        closers.delete(close);
        if (closers.size === 0 && bySession.get(sessionId) === closers) bySession.delete(sessionId);
      };
    },
    /** Closes every open request of these sessions. */
    closeSessions(sessionIds: Iterable<string>): number {
      let closed = 0;
      for (const id of sessionIds) {
        const closers = bySession.get(id);
        bySession.delete(id);
        for (const close of closers ?? []) {
          close();
          closed += 1;
        }
      }
      return closed;
    },
    /** Sessions with at least one open request. */
    openSessions: (): string[] => [...bySession.keys()],
  };
}

export type LiveConnections = ReturnType<typeof createLiveConnections>;
