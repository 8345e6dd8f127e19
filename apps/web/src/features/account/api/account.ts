import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiSend } from "../../../lib/api.ts";

/** Me as "my account" shows it. */
export interface Account {
  user: {
    id: string;
    username: string;
    displayName: string;
    role: string;
    totpEnabled: boolean;
    mustChangePassword: boolean;
    hasPassword: boolean;
    singleSignOn: boolean;
  } | null;
  restricted: "password_change_required" | "totp_enrolment_required" | null;
}

/** The signed-in user's account. */
export function useAccount() {
  return useQuery({
    queryKey: ["account"],
    queryFn: ({ signal }) => apiGet<Account>("/api/v1/me", undefined, signal),
  });
}

/** Changes my password: every other session of mine ends, this one is renewed. */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiSend<void>("POST", "/api/v1/me/password", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["account"] }),
  });
}

/** Starts TOTP enrolment: the secret to type or the otpauth:// link to open in an authenticator. */
export function useBeginTotp() {
  return useMutation({
    mutationFn: () => apiSend<{ secret: string; uri: string }>("POST", "/api/v1/me/totp"),
  });
}

/** Confirms enrolment, or turns TOTP off, with a current code. */
export function useTotpCode(action: "confirm" | "disable") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => apiSend<void>("POST", `/api/v1/me/totp/${action}`, { code }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["account"] }),
  });
}

/** Signs out here, or everywhere. */
export function signOut(everywhere: boolean): Promise<void> {
  return everywhere ? apiSend("POST", "/api/v1/session/end-all") : apiSend("DELETE", "/api/v1/session");
}
