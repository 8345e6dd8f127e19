/** Key of the journey the demo bank implements (declared in vigie.config.yaml). */
export const DEMO_JOURNEY = "cco-subscription";

/** CloudEvents source of the bank's events. */
export const DEMO_SOURCE = "demo-bank";

/** The subscription's steps, in order, with their page path segment and French title. */
export const STEPS = [
  { key: "landing", path: "", title: "Accueil" },
  { key: "identity", path: "identite", title: "Votre identité" },
  { key: "contact", path: "coordonnees", title: "Vos coordonnées" },
  { key: "offer", path: "offre", title: "Votre offre" },
  { key: "documents", path: "pieces", title: "Vos pièces justificatives" },
  { key: "signature", path: "signature", title: "Signature électronique" },
  { key: "account-opened", path: "compte-ouvert", title: "Votre compte est ouvert" },
] as const;

export type StepKey = (typeof STEPS)[number]["key"];
export const STEP_KEYS: readonly StepKey[] = STEPS.map((s) => s.key);

/** Path of a prospect's page for a step (landing is the home page). */
export function stepPath(prospectId: string, step: StepKey): string {
  const found = STEPS.find((s) => s.key === step)!;
  return found.path === "" ? "/" : `/ouverture/${prospectId}/${found.path}`;
}

/** The step that follows `step`, if any. */
export function nextStep(step: StepKey): StepKey | undefined {
  return STEP_KEYS[STEP_KEYS.indexOf(step) + 1];
}

/** Offers a prospect can choose, with the monthly income each requires. */
export const OFFERS = {
  essentiel: { name: "Compte Essentiel", price: "0 € / mois", minIncome: 0 },
  plus: { name: "Compte Plus", price: "4 € / mois", minIncome: 0 },
  premium: { name: "Compte Premium", price: "12 € / mois", minIncome: 2500 },
} as const;
export type OfferKey = keyof typeof OFFERS;

/** Business refusal codes the bank emits. */
export const REJECTION_CODES = { underage: "AGE_INELIGIBLE", income: "INCOME_TOO_LOW" } as const;
