import { InvalidCredentialsError, TooManyRequestsError } from "../../errors.js";
import type { AuditService } from "../audit/service.js";
import { passwordMatches } from "../users/passwords.js";
import type { UsersRepository } from "../users/repository.js";
import { totpStep } from "../users/totp.js";
import type { SessionsRepository } from "./repository.js";
import type { SessionsService } from "./service.js";

/** How many failed sign-ins are tolerated, from `config.auth.signInLimits`. */
export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  window: number;
}

export interface SignInInput {
  username: string;
  password: string;
  /** The current TOTP code, for accounts with TOTP enabled. */
  totp?: string;
  /** Client address, resolved through trusted proxies only. */
  address: string;
}

/**
 * Password (and TOTP) sign-in. Unknown users, disabled users and wrong passwords get the same
 * answer after the same work (a password hash is always verified); failures are counted per
 * account and per address, and past the limit every attempt is refused with 429 before any check.
 */
export function createSignIn(deps: {
  users: UsersRepository;
  sessions: SessionsService;
  sessionsRepository: SessionsRepository;
  audit: AuditService;
  limits: SignInLimits;
}) {
  const { users, sessions, sessionsRepository, audit, limits } = deps;

  return async function signIn(input: SignInInput) {
    const account = input.username.trim().toLowerCase().slice(0, 200);
    const { address } = input;
    const counts = await sessionsRepository.countFailures(account, address, limits.window);
    if (counts.byAccount >= limits.perAccount || counts.byAddress >= limits.perAddress) {
      await audit.record({
        action: "session.sign_in",
        outcome: "failure",
        actor: { kind: "anonymous" },
        address,
        details: { reason: "rate_limited" },
      });
      throw new TooManyRequestsError(
        "Too many failed sign-ins; try again later.",
        Math.ceil(limits.window / 1000),
      );
    }

    const user = await users.findByUsername(account);
    const passwordOk = await passwordMatches(user?.password_hash, input.password);
    const fail = async (reason: string, error = new InvalidCredentialsError()) => {
      await sessionsRepository.recordFailure(account, address);
      await audit.record({
        action: "session.sign_in",
        outcome: "failure",
        actor: { kind: "anonymous" },
        ...(user ? { target: { kind: "user", id: user.id } } : {}),
        address,
        details: { reason },
      });
      return error;
    };
    if (!user || !passwordOk || user.disabled_at !== null) {
      throw await fail(!user ? "unknown_user" : user.disabled_at ? "disabled" : "wrong_password");
    }
    if (user.totp_enabled_at && user.totp_secret) {
      if (!input.totp) {
        // The password was right: no failure counted, the client asks for the code.
        throw new InvalidCredentialsError("totp_required", "Enter the code of your authenticator app.");
      }
      const step = await totpStep(user.totp_secret, input.totp, user.totp_last_step);
      if (step === undefined || !(await users.useTotpStep(user.id, step))) {
        throw await fail(
          "wrong_totp",
          new InvalidCredentialsError("invalid_credentials", "Wrong or already used code."),
        );
      }
    }
    await sessionsRepository.clearAccountFailures(account);
    const session = await sessions.open(user.id, { address, method: "password" });
    await audit.record({
      action: "session.sign_in",
      actor: { kind: "user", id: user.id },
      address,
      details: { method: "password", totp: Boolean(user.totp_enabled_at) },
    });
    return { ...session, user };
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
