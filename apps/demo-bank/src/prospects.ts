import { randomBytes, randomInt } from "node:crypto";
import type { OfferKey, StepKey } from "./journey.js";

/** One prospect's application to open an account, as the bank keeps it. */
export interface ProspectRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** A probe's test prospect (flagged synthetic in Vigie). */
  synthetic: boolean;
  probe: string | null;
  /** The step the prospect has to do next (or the last one, once the account is opened). */
  step: StepKey;
  status: "in-progress" | "rejected" | "opened";
  /** Steps whose "started" event was emitted. */
  started: StepKey[];
  identity?: { civilite: string; prenom: string; nom: string; dateNaissance: string };
  contact?: {
    email: string;
    telephone: string;
    adresse: string;
    codePostal: string;
    ville: string;
    rappel: boolean;
  };
  offer?: { offre: OfferKey; revenus: number };
  documents?: { field: string; filename: string; mimetype: string; bytes: number }[];
  /** Code "sent by SMS" for the e-signature; shown on the page in this demo. */
  otp: string;
  iban?: string;
}

/**
 * The bank's prospect records, in memory and bounded (the oldest are forgotten first): a demo
 * must run for weeks without growing. See ADR 0051.
 */
export function createProspectStore(options: { max: number; now: () => Date }) {
  const records = new Map<string, ProspectRecord>();
  return {
    create(flags: { synthetic: boolean; probe: string | null }): ProspectRecord {
      const at = options.now().toISOString();
      const record: ProspectRecord = {
        id: `P-${randomBytes(6).toString("hex").toUpperCase()}`,
        createdAt: at,
        updatedAt: at,
        synthetic: flags.synthetic,
        probe: flags.probe,
        step: "identity",
        status: "in-progress",
        started: ["landing"],
        otp: String(randomInt(0, 1_000_000)).padStart(6, "0"),
      };
      records.set(record.id, record);
      while (records.size > options.max) {
        const oldest = records.keys().next().value as string;
        records.delete(oldest);
      }
      return record;
    },
    get: (id: string): ProspectRecord | undefined => records.get(id),
    /** Records a change (the record is mutated by the caller, this stamps it). */
    touch(record: ProspectRecord): void {
      record.updatedAt = options.now().toISOString();
    },
    /** Deletes a prospect (a probe's teardown); false if unknown. */
    delete: (id: string): boolean => records.delete(id),
    size: () => records.size,
  };
}

export type ProspectStore = ReturnType<typeof createProspectStore>;

/** A French IBAN with valid check digits (for display only: the bank is fictitious). */
export function newIban(): string {
  const bban = `30004${String(randomInt(0, 100_000)).padStart(5, "0")}${String(randomInt(0, 1e9)).padStart(11, "0")}${String(randomInt(0, 100)).padStart(2, "0")}`;
  // ISO 13616: move "FR00" to the end, letters to numbers, 98 - (n mod 97)
  const numeric = `${bban}152700`;
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  const check = String(98 - remainder).padStart(2, "0");
  return `FR${check}${bban}`.replace(/(.{4})/g, "$1 ").trim();
}
