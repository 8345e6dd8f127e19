import { type Kysely, sql } from "kysely";
import { type Config, oidcSchema } from "../../config.js";
import type { Database } from "../../db/schema.js";
import { ValidationError } from "../../errors.js";
import type { AuditContext, AuditService } from "../audit/service.js";
import type { OidcSettings } from "./oidc.js";
import { keepMaskedSecrets, maskSecrets } from "./secrets.js";

const SECRET_PATHS = ["clientSecret"];

/** Where the single sign-on settings in force come from. */
export type SsoSource = "config" | "database" | "none";

/**
 * Single sign-on settings: from the configuration file until an admin saves them in the UI, then
 * from the database (every instance reads them there). Answers mask the client secret; saving the
 * mask back keeps the stored secret.
 */
export function createSsoSettings(deps: { db: Kysely<Database>; config: Config; audit: AuditService }) {
  const { db, config, audit } = deps;

  async function current(): Promise<{ source: SsoSource; settings: OidcSettings | null }> {
    const row = await db.selectFrom("sso_settings").select("settings").executeTakeFirst();
    if (row)
      return { source: row.settings ? "database" : "none", settings: row.settings as OidcSettings | null };
    return config.auth.oidc
      ? { source: "config", settings: config.auth.oidc }
      : { source: "none", settings: null };
  }

  return {
    /** The settings in force, secrets unmasked: for the sign-in flow only, never for an answer. */
    current,

    /** The settings in force, as an answer may show them. */
    async view() {
      const { source, settings } = await current();
      return { source, settings: settings ? maskSecrets(settings, SECRET_PATHS) : null };
    },

    /** Saves new settings (null turns single sign-on off); a masked secret keeps the stored one. */
    async save(ctx: AuditContext, input: Record<string, unknown> | null) {
      const before = await current();
      let settings: OidcSettings | null = null;
      if (input !== null) {
        const merged = keepMaskedSecrets(input, before.settings ?? {}, SECRET_PATHS);
        const parsed = oidcSchema.safeParse(merged);
        if (!parsed.success) {
          throw new ValidationError(
            parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`).join("; "),
          );
        }
        settings = parsed.data;
      }
      await db
        .insertInto("sso_settings")
        .values({
          settings: settings ? JSON.stringify(settings) : null,
          updated_by: ctx.actor.kind === "user" ? (ctx.actor.id ?? null) : null,
        })
        .onConflict((oc) =>
          oc.column("singleton").doUpdateSet({
            settings: settings ? JSON.stringify(settings) : null,
            updated_at: sql<Date>`now()`,
            updated_by: ctx.actor.kind === "user" ? (ctx.actor.id ?? null) : null,
          }),
        )
        .execute();
      const changed = Object.keys({ ...(before.settings ?? {}), ...(settings ?? {}) }).filter(
        (key) =>
          JSON.stringify((before.settings as Record<string, unknown> | null)?.[key]) !==
          JSON.stringify((settings as Record<string, unknown> | null)?.[key]),
      );
      // Names of the changed fields only: a secret's value never reaches the log.
      await audit.record({
        ...ctx,
        action: "config.sso_changed",
        details: { changed, enabled: settings !== null },
      });
      return {
        source: (settings ? "database" : "none") as SsoSource,
        settings: settings ? maskSecrets(settings, SECRET_PATHS) : null,
      };
    },
  };
}

export type SsoSettings = ReturnType<typeof createSsoSettings>;
