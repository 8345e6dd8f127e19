import type { Role } from "../../access.js";
import type { Config } from "../../config.js";
import type { ConnectedDatabase } from "../../db/connect.js";
import { SYSTEM_CONTEXT } from "../audit/service.js";
import { createAuthModule } from "../auth/module.js";

/**
 * `vigie user add <username> --role <role>`: creates a local account with a one-time password,
 * returned for printing (the user changes it at first sign-in).
 */
export async function addUserFromCommandLine(
  config: Config,
  database: ConnectedDatabase,
  input: { username: string; role: Role; displayName?: string },
): Promise<{ username: string; role: Role; oneTimePassword: string }> {
  const auth = createAuthModule({ config, db: database.db, ingestKeys: [] });
  const { user, oneTimePassword } = await auth.users.create(SYSTEM_CONTEXT, input);
  return { username: user.username, role: user.role, oneTimePassword: oneTimePassword as string };
}
