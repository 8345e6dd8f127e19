import { generateSecret, generateURI, verify } from "otplib";

/** A new base32 TOTP secret (160 bits) and the otpauth:// URI an authenticator app scans. */
export function newTotpSecret(label: string): { secret: string; uri: string } {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: "Vigie", label, secret }) };
}

/**
 * The RFC 6238 time step a code belongs to, if it is valid now (one step of clock drift either way)
 * and later than `afterStep` (a code already used, or older, is refused).
 */
export async function totpStep(
  secret: string,
  code: string,
  afterStep: number | null,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  try {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: 30,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && "timeStep" in result ? result.timeStep : undefined;
  } catch {
    // otplib throws on a replayed step (afterTimeStep) and on a malformed secret: both mean "no".
    return undefined;
  }
}
