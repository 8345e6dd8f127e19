// the French locale alone: the whole package would cost half a second and 15 MB at start
import { faker as fakerFR } from "@faker-js/faker/locale/fr";
import type { OfferKey, StepKey } from "@vigie/demo-bank";
import { type Arrival, seededRandom } from "./traffic-shape.js";

/** Steps a prospect fills in (after landing, before the account is opened). */
export const FORM_STEPS = ["identity", "contact", "offer", "documents", "signature"] as const;

/**
 * Share of prospects who, having reached a step's page, give up there. Documents are where most
 * prospects stop (they do not have them at hand); see docs/adr/0052.
 */
export const ABANDONMENT: Record<Exclude<StepKey, "landing">, number> = {
  identity: 0.18,
  contact: 0.07,
  offer: 0.09,
  documents: 0.16,
  signature: 0.05,
  "account-opened": 0,
};

/** Share of prospects who are minors (refused at identity: AGE_INELIGIBLE). */
export const MINOR_SHARE = 0.03;

/** Mean think time before submitting each step, ms. */
const THINK_MS: Record<StepKey, number> = {
  landing: 20_000,
  identity: 60_000,
  contact: 50_000,
  offer: 35_000,
  documents: 110_000,
  signature: 40_000,
  "account-opened": 3_000,
};

/** Everything a simulated prospect will type and do, decided up front from the seed. */
export interface ProspectPlan {
  /** Stable identity of the simulated prospect: seed, minute and rank of arrival. */
  key: string;
  arrival: Date;
  identity: { civilite: "M." | "Mme"; prenom: string; nom: string; dateNaissance: string };
  contact: {
    email: string;
    telephone: string;
    adresse: string;
    codePostal: string;
    ville: string;
    rappel: boolean;
  };
  offer: { offre: OfferKey; revenus: number };
  /** Step whose page the prospect sees and then leaves; none when they go to the end. */
  abandonAt?: StepKey;
  /** Think time spent on each step before submitting it, ms. */
  thinkMs: Record<StepKey, number>;
  /** Tries a failing step once more (as many people do) before giving up. */
  retriesOnError: boolean;
}

const plain = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");

const DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr", "sfr.fr", "yahoo.fr"];

/** Plans one simulated prospect; the same arrival and seed always give the same plan. */
export function planProspect(arrival: Arrival, seed: number): ProspectPlan {
  const random = seededRandom(seed, arrival.minute, arrival.index, 7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const female = random() < 0.5;
  // faker keeps one global seeded state: seeding right before use makes the names reproducible
  fakerFR.seed([seed, arrival.minute, arrival.index]);
  const prenom = fakerFR.person.firstName(female ? "female" : "male");
  const nom = fakerFR.person.lastName();
  const adresse = fakerFR.location.streetAddress();
  const codePostal = fakerFR.location.zipCode("#####");
  const ville = fakerFR.location.city();

  const minor = random() < MINOR_SHARE;
  const age = minor ? 15 + Math.floor(random() * 3) : 18 + Math.floor(random() ** 1.6 * 60);
  const birth = new Date(arrival.at.getTime() - (age + random() * 0.95) * 365.25 * 86_400_000);

  const offerDraw = random();
  const offre: OfferKey = offerDraw < 0.5 ? "essentiel" : offerDraw < 0.85 ? "plus" : "premium";
  // premium is mostly chosen by people who can have it; about one in eight cannot (INCOME_TOO_LOW)
  const revenus =
    offre === "premium" ? 2000 + Math.round(random() * 4000) : 900 + Math.round(random() ** 2 * 4000);

  let abandonAt: StepKey | undefined;
  for (const step of FORM_STEPS) {
    if (random() < ABANDONMENT[step]) {
      abandonAt = step;
      break;
    }
  }
  const thinkMs = {} as Record<StepKey, number>;
  for (const [step, mean] of Object.entries(THINK_MS) as [StepKey, number][]) {
    // skewed: most are quick, a few take their time
    thinkMs[step] = Math.round(mean * (0.3 + 1.4 * random() ** 2));
  }
  const phone = `0${pick(["6", "7"])} ${Array.from({ length: 4 }, () => String(Math.floor(random() * 100)).padStart(2, "0")).join(" ")}`;
  return {
    key: `${seed}-${arrival.minute}-${arrival.index}`,
    arrival: arrival.at,
    identity: {
      civilite: female ? "Mme" : "M.",
      prenom,
      nom,
      dateNaissance: birth.toISOString().slice(0, 10),
    },
    contact: {
      email: `${plain(prenom)}.${plain(nom)}${Math.floor(random() * 100)}@${pick(DOMAINS)}`,
      telephone: phone,
      adresse,
      codePostal,
      ville,
      rappel: random() < 0.6,
    },
    offer: { offre, revenus },
    abandonAt,
    thinkMs,
    retriesOnError: random() < 0.5,
  };
}
