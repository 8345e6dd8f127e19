import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiSend } from "../../../lib/api.ts";

/** The roles, from most to least powerful in their own area. */
export const ROLES = ["admin", "operator", "viewer", "sales"] as const;
export type Role = (typeof ROLES)[number];

/** A user account as admins see it. */
export interface UserAccount {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  singleSignOn: boolean;
  createdAt: string;
}

/** An API key (never its secret). */
export interface ApiKey {
  id: string;
  kind: "ingest" | "read";
  name: string;
  source: string | null;
  role: Role | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** One line of the audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  outcome: "success" | "failure";
  actor: { kind: string; id: string | null };
  target: { kind: string; id: string | null } | null;
  address: string | null;
  details: Record<string, unknown>;
}

/** Every user account. */
export function useUsers() {
  return useQuery({
    queryKey: ["users"],
    queryFn: ({ signal }) => apiGet<{ items: UserAccount[] }>("/api/v1/users", undefined, signal),
  });
}

/** Creates an account; the answer holds its one-time password, shown once. */
export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; displayName?: string; role: Role }) =>
      apiSend<{ user: UserAccount; oneTimePassword: string }>("POST", "/api/v1/users", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

/** Changes a role or the disabled state (the user's sessions end). */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: Role; disabled?: boolean }) =>
      apiSend<UserAccount>("PATCH", `/api/v1/users/${id}`, body),
    onSettled: () => client.invalidateQueries({ queryKey: ["users"] }),
  });
}

/** Gives a user a new one-time password (their sessions end). */
export function useResetPassword() {
  return useMutation({
    mutationFn: (id: string) =>
      apiSend<{ oneTimePassword: string }>("POST", `/api/v1/users/${id}/password-reset`),
  });
}

/** Every API key, revoked ones included. */
export function useKeys() {
  return useQuery({
    queryKey: ["keys"],
    queryFn: ({ signal }) => apiGet<{ items: ApiKey[] }>("/api/v1/keys", undefined, signal),
  });
}

/** Creates a key; the answer holds its secret, shown once. */
export function useCreateKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: "ingest" | "read"; name: string; source?: string; role?: Role }) =>
      apiSend<{ key: ApiKey; secret: string }>("POST", "/api/v1/keys", body),
    onSuccess: () => client.invalidateQueries({ queryKey: ["keys"] }),
  });
}

/** Revokes a key: refused from the next request on. */
export function useRevokeKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiSend<ApiKey>("DELETE", `/api/v1/keys/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ["keys"] }),
  });
}

/** The audit log, newest first, filtered by action prefix. */
export function useAudit(action: string) {
  return useQuery({
    queryKey: ["audit", action],
    queryFn: ({ signal }) =>
      apiGet<{ items: AuditEntry[] }>("/api/v1/audit", { action: action || undefined, limit: 200 }, signal),
  });
}
