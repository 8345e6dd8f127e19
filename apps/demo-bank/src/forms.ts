import { OFFERS, type OfferKey } from "./journey.js";
import type { ProspectRecord } from "./prospects.js";

/** A field the prospect must correct (shown next to it). */
export interface FieldError {
  field: string;
  reason: string;
}

type Parsed<T> = { value: T; errors?: undefined } | { value?: undefined; errors: FieldError[] };

const text = (body: Record<string, unknown>, field: string) => {
  const value = body[field];
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
};
const checked = (value: unknown) => value === true || value === "on" || value === "true";

function result<T>(errors: FieldError[], value: () => T): Parsed<T> {
  return errors.length > 0 ? { errors } : { value: value() };
}

/** Age in whole years on `at` of someone born on `birth` (YYYY-MM-DD). */
export function ageOn(birth: string, at: Date): number {
  const [y, m, d] = birth.split("-").map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age -= 1;
  return age;
}

/** Identity step: civility, names, birth date. */
export function parseIdentity(
  body: Record<string, unknown>,
  now: Date,
): Parsed<NonNullable<ProspectRecord["identity"]>> {
  const errors: FieldError[] = [];
  const civilite = text(body, "civilite");
  if (!["M.", "Mme"].includes(civilite)) errors.push({ field: "civilite", reason: "Choisissez M. ou Mme." });
  for (const field of ["prenom", "nom"]) {
    const value = text(body, field);
    if (value.length < 1 || value.length > 100) {
      errors.push({ field, reason: "Ce champ est obligatoire (100 caractères au plus)." });
    }
  }
  const dateNaissance = text(body, "dateNaissance");
  const date = /^\d{4}-\d{2}-\d{2}$/.test(dateNaissance) ? new Date(`${dateNaissance}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== dateNaissance) {
    errors.push({ field: "dateNaissance", reason: "Date de naissance attendue au format AAAA-MM-JJ." });
  } else if (date > now || ageOn(dateNaissance, now) > 120) {
    errors.push({ field: "dateNaissance", reason: "Cette date de naissance n'est pas plausible." });
  }
  return result(errors, () => ({
    civilite,
    prenom: text(body, "prenom"),
    nom: text(body, "nom"),
    dateNaissance,
  }));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$/;

/** Contact step: e-mail, phone, postal address, consent to be called back. */
export function parseContact(body: Record<string, unknown>): Parsed<NonNullable<ProspectRecord["contact"]>> {
  const errors: FieldError[] = [];
  const email = text(body, "email");
  if (!EMAIL.test(email) || email.length > 320)
    errors.push({ field: "email", reason: "Adresse e-mail invalide." });
  const telephone = text(body, "telephone");
  if (!PHONE.test(telephone)) {
    errors.push({ field: "telephone", reason: "Numéro de téléphone français attendu (ex. 06 12 34 56 78)." });
  }
  for (const field of ["adresse", "ville"]) {
    const value = text(body, field);
    if (value.length < 1 || value.length > 200) errors.push({ field, reason: "Ce champ est obligatoire." });
  }
  const codePostal = text(body, "codePostal");
  if (!/^\d{5}$/.test(codePostal)) errors.push({ field: "codePostal", reason: "Code postal à 5 chiffres." });
  return result(errors, () => ({
    email,
    telephone,
    adresse: text(body, "adresse"),
    codePostal,
    ville: text(body, "ville"),
    rappel: checked(body.rappel),
  }));
}

/** Offer step: the chosen card and the monthly income. */
export function parseOffer(body: Record<string, unknown>): Parsed<NonNullable<ProspectRecord["offer"]>> {
  const errors: FieldError[] = [];
  const offre = text(body, "offre");
  if (!(offre in OFFERS)) errors.push({ field: "offre", reason: "Choisissez une offre." });
  const revenusText = text(body, "revenus");
  const revenus = Number(revenusText);
  if (!/^\d{1,7}$/.test(revenusText)) {
    errors.push({ field: "revenus", reason: "Revenus mensuels nets en euros (nombre entier)." });
  }
  return result(errors, () => ({ offre: offre as OfferKey, revenus }));
}

/** Signature step: terms accepted and the SMS code typed back. */
export function parseSignature(body: Record<string, unknown>, otp: string): Parsed<true> {
  const errors: FieldError[] = [];
  if (!checked(body.accepteConditions)) {
    errors.push({ field: "accepteConditions", reason: "Vous devez accepter les conditions générales." });
  }
  if (text(body, "code") !== otp) errors.push({ field: "code", reason: "Code de signature incorrect." });
  return result(errors, () => true as const);
}

/** Document kinds accepted, recognised by their first bytes (the announced type is not trusted). */
export function documentType(head: Buffer): "application/pdf" | "image/jpeg" | "image/png" | undefined {
  if (head.subarray(0, 4).toString("latin1") === "%PDF") return "application/pdf";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  return undefined;
}
