import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { ValidationError } from "../../errors.js";

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~30 ms here, enough to make guessing slow.
const ARGON2ID = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const MIN_PASSWORD_LENGTH = 12;
// Bounded so that a megabyte-long "password" cannot make hashing a denial of service.
const MAX_PASSWORD_LENGTH = 256;

/** Refuses a password too short or too long to be a sensible one. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(`A password has at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
}

/** The argon2id hash (PHC string) of a password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a hash. Without a hash (unknown user, SSO-only account) it checks
 * against a dummy one anyway, so the answer takes as long whether the user exists or not.
 */
export async function passwordMatches(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  const candidate = password.slice(0, MAX_PASSWORD_LENGTH);
  if (!passwordHash) {
    await verify(await dummyHash, candidate).catch(() => false);
    return false;
  }
  return verify(passwordHash, candidate).catch(() => false);
}

/** A random one-time password for a new account or a reset (shown once). */
export function generateOneTimePassword(): string {
  // 18 bytes → 24 base64url characters, ~144 bits.
  return randomBytes(18).toString("base64url");
}
