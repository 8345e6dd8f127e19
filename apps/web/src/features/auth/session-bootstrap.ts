import { ApiError, onUnauthorized } from "../../lib/api.ts";
import { setCurrentUser } from "../../lib/session.ts";
import { fetchMe, type Me } from "./api/session.ts";

const SIGN_IN = "/sign-in";

/** Where to go after signing in: the page the user was sent away from. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  // Only a path of this site: never an absolute URL (open redirect).
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Tells the shell who is signed in. */
export function rememberUser(user: Me | null): void {
  setCurrentUser(user ? { id: user.id, name: user.displayName, roles: [user.role] } : null);
}

function toSignIn(): void {
  if (window.location.pathname === SIGN_IN) return;
  const next = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`${SIGN_IN}?next=${encodeURIComponent(next)}`);
}

/**
 * Once per page load: any 401 sends the browser to the sign-in page (back here afterwards), and a
 * session that must first change its password or enrol TOTP is sent to "my account".
 */
export function startSession(): void {
  if (typeof window === "undefined" || import.meta.env?.MODE === "test") return;
  onUnauthorized(toSignIn);
  if (window.location.pathname === SIGN_IN) return;
  fetchMe()
    .then(({ user, restricted }) => {
      rememberUser(user);
      if (restricted && window.location.pathname !== "/account") window.location.assign("/account");
    })
    .catch((error: unknown) => {
      if (!(error instanceof ApiError) || error.status !== 401) rememberUser(null);
    });
}
