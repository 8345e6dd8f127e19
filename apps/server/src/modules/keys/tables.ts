import type { Generated } from "kysely";
import type { Role } from "../../access.js";

/** Tables owned by the keys module. */
export interface KeysTables {
  api_keys: {
    id: Generated<string>;
    kind: "ingest" | "read";
    name: string;
    source: string | null;
    role: Role | null;
    prefix: string;
    secret_hash: Buffer;
    created_by: string | null;
    created_at: Generated<Date>;
    last_used_at: Date | null;
    revoked_at: Date | null;
  };
}
