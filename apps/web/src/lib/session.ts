import { useSyncExternalStore } from "react";

/** The signed-in user as the shell needs it (the auth feature sets it; null when signed out or unknown). */
export interface CurrentUser {
  id: string;
  name: string;
  roles: string[];
}

let current: CurrentUser | null = null;
const listeners = new Set<() => void>();

/** Sets the signed-in user (called by the auth feature after sign-in, sign-out or session check). */
export function setCurrentUser(user: CurrentUser | null): void {
  current = user;
  for (const listener of listeners) listener();
}

/** The signed-in user, re-rendering when it changes. */
export function useCurrentUser(): CurrentUser | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
