import type { Generated } from "kysely";
import type { Role } from "../../access.js";

/** Tables owned by the users module. */
export interface UsersTables {
  users: {
    id: Generated<string>;
    username: string;
    display_name: string;
    role: Role;
    password_hash: string | null;
    must_change_password: Generated<boolean>;
    totp_secret: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
    oidc_issuer: string | null;
    oidc_subject: string | null;
    disabled_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
}
