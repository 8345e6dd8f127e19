import { useQuery } from "@tanstack/react-query";
import { apiGet, apiSend } from "../../../lib/api.ts";

/** The signed-in user as the API shows it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: "admin" | "operator" | "viewer" | "sales";
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

/** Ways to sign in offered by this Vigie. */
export interface AuthMethods {
  password: boolean;
  oidc: { label: string; startUrl: string } | null;
}

/** The signed-in user and what they must do first; 401 when signed out. */
export function fetchMe(): Promise<{ user: Me | null; restricted: string | null }> {
  return apiGet("/api/v1/me");
}

/** Signs in with a password (and TOTP code); the server sets the session cookie. */
export function signIn(body: { username: string; password: string; totp?: string }): Promise<{ user: Me }> {
  return apiSend("POST", "/api/v1/session", body);
}

/** Password and single sign-on, as configured. */
export function useAuthMethods() {
  return useQuery({
    queryKey: ["auth-methods"],
    queryFn: ({ signal }) => apiGet<AuthMethods>("/api/v1/auth/methods", undefined, signal),
    staleTime: 5 * 60_000,
  });
}
