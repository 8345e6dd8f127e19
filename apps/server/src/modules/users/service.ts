import type { Role } from "../../access.js";
import { ConflictError, InvalidCredentialsError, NotFoundError, ValidationError } from "../../errors.js";
import type { AuditContext, AuditService } from "../audit/service.js";
import type { SessionsService } from "../sessions/service.js";
import {
  checkPasswordStrength,
  generateOneTimePassword,
  hashPassword,
  passwordMatches,
} from "./passwords.js";
import type { UserRow, UsersRepository } from "./repository.js";
import { newTotpSecret, totpStep } from "./totp.js";

/** A user as shown by the API: never a hash or a secret. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  hasPassword: boolean;
  singleSignOn: boolean;
  createdAt: Date;
}

/** The API's view of a user row. */
export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled_at !== null,
    totpEnabled: row.totp_enabled_at !== null,
    mustChangePassword: row.must_change_password,
    hasPassword: row.password_hash !== null,
    singleSignOn: row.oidc_subject !== null,
    createdAt: row.created_at,
  };
}

const USERNAME = /^[\p{L}\p{N}._@+-]{2,100}$/u;

/** User accounts: creation, roles, passwords and TOTP; every change audited and ending sessions when it must. */
export function createUsersService(deps: {
  repository: UsersRepository;
  sessions: SessionsService;
  audit: AuditService;
}) {
  const { repository, sessions, audit } = deps;

  async function existing(id: string): Promise<UserRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await repository.findById(id) : undefined;
    if (!row) throw new NotFoundError(`No user ${id}.`);
    return row;
  }

  return {
    list: async () => (await repository.list()).map(presentUser),
    get: async (id: string) => presentUser(await existing(id)),

    /**
     * Creates a local account. Without a password, a one-time password is generated and returned
     * (once): it must be changed at first sign-in.
     */
    async create(
      ctx: AuditContext,
      input: { username: string; displayName?: string; role: Role; password?: string },
    ): Promise<{ user: User; oneTimePassword?: string }> {
      if (!USERNAME.test(input.username)) {
        throw new ValidationError("A user name has 2 to 100 letters, digits or . _ @ + -.");
      }
      if (input.password !== undefined) checkPasswordStrength(input.password);
      const oneTimePassword = input.password === undefined ? generateOneTimePassword() : undefined;
      const row = await repository.insert({
        username: input.username,
        displayName: input.displayName?.trim() || input.username,
        role: input.role,
        passwordHash: await hashPassword(input.password ?? (oneTimePassword as string)),
        mustChangePassword: oneTimePassword !== undefined,
      });
      if (!row) throw new ConflictError("username_taken", `The user name "${input.username}" is taken.`);
      await audit.record({
        ...ctx,
        action: "user.created",
        target: { kind: "user", id: row.id },
        details: { role: row.role },
      });
      return { user: presentUser(row), ...(oneTimePassword ? { oneTimePassword } : {}) };
    },

    /**
     * On a fresh install (no user at all), creates the `admin` account with a one-time password to
     * print once; undefined when any user exists (or another instance just created it).
     */
    async createFirstAdmin(
      ctx: AuditContext,
    ): Promise<{ username: string; oneTimePassword: string } | undefined> {
      if ((await repository.countAll()) > 0) return undefined;
      const oneTimePassword = generateOneTimePassword();
      const row = await repository.insert({
        username: "admin",
        displayName: "Administrator",
        role: "admin",
        passwordHash: await hashPassword(oneTimePassword),
        mustChangePassword: true,
      });
      if (!row) return undefined;
      await audit.record({
        ...ctx,
        action: "user.created",
        target: { kind: "user", id: row.id },
        details: { role: "admin", firstStart: true },
      });
      return { username: row.username, oneTimePassword };
    },

    /** Changes role, display name or disabled state; a role change or disabling ends the user's sessions. */
    async update(
      ctx: AuditContext,
      id: string,
      changes: { role?: Role; displayName?: string; disabled?: boolean },
    ): Promise<User> {
      const before = await existing(id);
      const demoting = (changes.role && changes.role !== "admin") || changes.disabled === true;
      if (before.role === "admin" && demoting && (await repository.countAdmins()) <= 1) {
        throw new ConflictError("last_admin", "The last active admin cannot be demoted or disabled.");
      }
      const row = (await repository.update(id, {
        ...(changes.role ? { role: changes.role } : {}),
        ...(changes.displayName?.trim() ? { display_name: changes.displayName.trim() } : {}),
        ...(changes.disabled === undefined
          ? {}
          : { disabled_at: changes.disabled ? (before.disabled_at ?? new Date()) : null }),
      })) as UserRow;
      const target = { kind: "user", id };
      if (changes.role && changes.role !== before.role) {
        await sessions.endAll(id, "role_changed");
        await audit.record({
          ...ctx,
          action: "user.role_changed",
          target,
          details: { from: before.role, to: row.role },
        });
      }
      if (changes.disabled !== undefined && changes.disabled !== (before.disabled_at !== null)) {
        if (changes.disabled) await sessions.endAll(id, "disabled");
        await audit.record({ ...ctx, action: changes.disabled ? "user.disabled" : "user.enabled", target });
      }
      return presentUser(row);
    },

    /** An admin resets a password: a new one-time password, and every session of the user ends. */
    async resetPassword(ctx: AuditContext, id: string): Promise<{ oneTimePassword: string }> {
      await existing(id);
      const oneTimePassword = generateOneTimePassword();
      await repository.update(id, {
        password_hash: await hashPassword(oneTimePassword),
        must_change_password: true,
      });
      await sessions.endAll(id, "password_reset");
      await audit.record({ ...ctx, action: "user.password_reset", target: { kind: "user", id } });
      return { oneTimePassword };
    },

    /** A user changes their own password; every session of theirs ends (the caller opens a new one). */
    async changeOwnPassword(ctx: AuditContext, id: string, input: { current: string; next: string }) {
      const row = await existing(id);
      if (row.password_hash !== null && !(await passwordMatches(row.password_hash, input.current))) {
        await audit.record({
          ...ctx,
          action: "user.password_changed",
          outcome: "failure",
          target: { kind: "user", id },
        });
        throw new InvalidCredentialsError("invalid_credentials", "The current password is wrong.");
      }
      checkPasswordStrength(input.next);
      if (input.next === input.current)
        throw new ValidationError("The new password must differ from the current one.");
      await repository.update(id, {
        password_hash: await hashPassword(input.next),
        must_change_password: false,
      });
      await sessions.endAll(id, "password_changed");
      await audit.record({ ...ctx, action: "user.password_changed", target: { kind: "user", id } });
    },

    /** Starts TOTP enrolment: a new secret, enabled once a first code is confirmed. */
    async beginTotp(id: string): Promise<{ secret: string; uri: string }> {
      const row = await existing(id);
      if (row.totp_enabled_at)
        throw new ConflictError("totp_enabled", "TOTP is already enabled; disable it first.");
      const enrolment = newTotpSecret(row.username);
      await repository.update(id, { totp_secret: enrolment.secret, totp_last_step: null });
      return enrolment;
    },

    /** Confirms enrolment with a first code from the authenticator. */
    async confirmTotp(ctx: AuditContext, id: string, code: string): Promise<void> {
      const row = await existing(id);
      if (row.totp_enabled_at) throw new ConflictError("totp_enabled", "TOTP is already enabled.");
      if (!row.totp_secret) throw new ConflictError("totp_not_started", "Start the TOTP enrolment first.");
      const step = await totpStep(row.totp_secret, code, null);
      if (step === undefined || !(await repository.useTotpStep(id, step))) {
        throw new ValidationError("This code is not valid; check the authenticator's clock and try again.");
      }
      await repository.update(id, { totp_enabled_at: new Date() });
      await audit.record({ ...ctx, action: "user.totp_enabled", target: { kind: "user", id } });
    },

    /** Turns TOTP off, proven by a current code. */
    async disableTotp(ctx: AuditContext, id: string, code: string): Promise<void> {
      const row = await existing(id);
      if (!row.totp_enabled_at || !row.totp_secret)
        throw new ConflictError("totp_disabled", "TOTP is not enabled.");
      const step = await totpStep(row.totp_secret, code, row.totp_last_step);
      if (step === undefined || !(await repository.useTotpStep(id, step))) {
        throw new ValidationError("This code is not valid (or was already used).");
      }
      await repository.update(id, { totp_enabled_at: null, totp_secret: null, totp_last_step: null });
      await audit.record({ ...ctx, action: "user.totp_disabled", target: { kind: "user", id } });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
