import type { Generated } from "kysely";

/** Tables owned by the sessions module. */
export interface SessionsTables {
  sessions: {
    token_hash: Buffer;
    user_id: string;
    created_at: Generated<Date>;
    last_seen_at: Generated<Date>;
    expires_at: Date;
    ended_at: Date | null;
    ended_reason: string | null;
    address: string | null;
    method: "password" | "oidc" | "test";
  };
  sign_in_failures: { at: Generated<Date>; account: string; address: string };
  oidc_attempts: { state: string; code_verifier: string; nonce: string; created_at: Generated<Date> };
}
