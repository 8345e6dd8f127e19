import type { FieldError } from "./forms.js";
import { OFFERS, STEPS, type StepKey, stepPath } from "./journey.js";
import type { ProspectRecord } from "./prospects.js";

/** Escapes text for HTML. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f9;color:#1c2430}
header{background:#0b3d6b;color:#fff;padding:1rem 2rem;font-weight:600;font-size:1.2rem}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:.8rem 0 .3rem;font-weight:500}
input,select{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
input[type=radio],input[type=checkbox]{width:auto}
button{margin-top:1.2rem;font-size:1rem;padding:.6rem 1.4rem;background:#0b3d6b;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#b00020;font-size:.9rem}.progress{color:#5b6675;font-size:.9rem}.ref{color:#5b6675;font-size:.8rem}
.box{padding:1rem;border-radius:6px;background:#eef3f8;margin:1rem 0}`;

/** The page frame around every screen. */
export function layout(title: string, step: StepKey | "error", body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — Banque Démo</title><style>${STYLE}</style></head>
<body><header>Banque Démo</header><main data-step="${step}">${body}</main></body></html>`;
}

function progress(step: StepKey): string {
  const index = STEPS.findIndex((s) => s.key === step);
  return `<p class="progress">Étape ${index} sur ${STEPS.length - 1}</p>`;
}

function reference(record: ProspectRecord): string {
  return `<p class="ref">Dossier n° <span data-testid="prospect-id">${escapeHtml(record.id)}</span></p>`;
}

function errorFor(errors: FieldError[], field: string): string {
  const found = errors.find((e) => e.field === field);
  return found
    ? `<p class="error" data-testid="field-error" data-field="${field}">${escapeHtml(found.reason)}</p>`
    : "";
}

function input(
  field: string,
  label: string,
  values: Record<string, unknown>,
  errors: FieldError[],
  attributes = 'type="text"',
): string {
  return `<label for="${field}">${label}</label><input id="${field}" name="${field}" ${attributes} value="${escapeHtml(
    values[field],
  )}" required>${errorFor(errors, field)}`;
}

/** The home page; without the start button when the offer is under-exposed. */
export function landingPage(startAvailable: boolean): string {
  const start = startAvailable
    ? `<form method="post" action="/ouverture"><button data-testid="start" type="submit">Ouvrir mon compte</button></form>`
    : `<p class="box" data-testid="unavailable">Offre momentanément indisponible. Revenez un peu plus tard.</p>`;
  return layout(
    "Ouvrez votre compte courant",
    "landing",
    `<h1>Ouvrez votre compte courant en 10 minutes</h1>
<p>Carte bancaire incluse, sans condition de revenus pour le Compte Essentiel, 100 % en ligne.</p>
<ul><li>Votre identité et vos coordonnées</li><li>Le choix de votre offre</li><li>Vos pièces justificatives</li><li>Votre signature électronique</li></ul>
${start}`,
  );
}

/** The form of one step, with the prospect's previous input and errors. */
export function stepPage(
  record: ProspectRecord,
  step: StepKey,
  values: Record<string, unknown> = {},
  errors: FieldError[] = [],
): string {
  const title = STEPS.find((s) => s.key === step)!.title;
  const action = stepPath(record.id, step);
  let fields = "";
  let enctype = "";
  let submit = "Continuer";
  if (step === "identity") {
    const civ = String(values.civilite ?? "");
    fields = `<label for="civilite">Civilité</label><select id="civilite" name="civilite" required>
<option value=""></option><option value="M."${civ === "M." ? " selected" : ""}>M.</option><option value="Mme"${civ === "Mme" ? " selected" : ""}>Mme</option></select>${errorFor(errors, "civilite")}
${input("prenom", "Prénom", values, errors)}${input("nom", "Nom", values, errors)}
${input("dateNaissance", "Date de naissance", values, errors, 'type="date"')}`;
  } else if (step === "contact") {
    fields = `${input("email", "Adresse e-mail", values, errors, 'type="email"')}
${input("telephone", "Téléphone mobile", values, errors, 'type="tel"')}
${input("adresse", "Adresse", values, errors)}${input("codePostal", "Code postal", values, errors, 'inputmode="numeric"')}
${input("ville", "Ville", values, errors)}
<label><input type="checkbox" name="rappel"${values.rappel ? " checked" : ""}> J'accepte qu'un conseiller me rappelle si je rencontre un problème</label>`;
  } else if (step === "offer") {
    const chosen = String(values.offre ?? "");
    fields = `${Object.entries(OFFERS)
      .map(
        ([key, offer]) =>
          `<label><input type="radio" name="offre" value="${key}"${chosen === key ? " checked" : ""} required> ${offer.name} — ${offer.price}${
            offer.minIncome ? ` (revenus nets d'au moins ${offer.minIncome} € / mois)` : ""
          }</label>`,
      )
      .join("\n")}${errorFor(errors, "offre")}
${input("revenus", "Revenus mensuels nets (€)", values, errors, 'type="number" min="0" step="1"')}`;
  } else if (step === "documents") {
    enctype = ' enctype="multipart/form-data"';
    fields = `<p>Formats acceptés : PDF, JPEG ou PNG, 5 Mo au plus par fichier.</p>
<label for="pieceIdentite">Pièce d'identité</label><input id="pieceIdentite" type="file" name="pieceIdentite" accept=".pdf,.jpg,.jpeg,.png" required>${errorFor(errors, "pieceIdentite")}
<label for="justificatifDomicile">Justificatif de domicile</label><input id="justificatifDomicile" type="file" name="justificatifDomicile" accept=".pdf,.jpg,.jpeg,.png" required>${errorFor(errors, "justificatifDomicile")}`;
  } else if (step === "signature") {
    submit = "Signer";
    fields = `<p>Votre contrat est prêt. Un code de signature vous a été envoyé par SMS.</p>
<p class="box">SMS (démo) : votre code est <strong data-testid="otp">${escapeHtml(record.otp)}</strong></p>
<label><input type="checkbox" name="accepteConditions" required> J'accepte les conditions générales et la convention de compte</label>${errorFor(errors, "accepteConditions")}
${input("code", "Code de signature", {}, errors, 'inputmode="numeric" autocomplete="one-time-code"')}`;
  }
  return layout(
    title,
    step,
    `${progress(step)}<h1>${title}</h1>${reference(record)}
<form method="post" action="${action}"${enctype}>${fields}
<button data-testid="submit" type="submit">${submit}</button></form>`,
  );
}

/** The last page: the account is open. */
export function openedPage(record: ProspectRecord): string {
  const name = record.identity ? `${record.identity.prenom} ${record.identity.nom}` : "";
  return layout(
    "Votre compte est ouvert",
    "account-opened",
    `<h1>Bienvenue ${escapeHtml(name)} !</h1>${reference(record)}
<p>Votre compte courant est ouvert. Votre carte arrive sous 5 jours ouvrés.</p>
<p class="box">IBAN : <strong data-testid="iban">${escapeHtml(record.iban)}</strong></p>`,
  );
}

/** A business refusal, final for this application. */
export function rejectedPage(record: ProspectRecord, step: StepKey, message: string): string {
  return layout(
    "Demande non aboutie",
    step,
    `<h1>Nous ne pouvons pas donner suite</h1>${reference(record)}<p data-testid="rejected">${escapeHtml(message)}</p>`,
  );
}

/** A technical failure (injected fault, bank down). */
export function technicalErrorPage(code: string, step: StepKey | "error" = "error"): string {
  return layout(
    "Service indisponible",
    step,
    `<h1>Service momentanément indisponible</h1>
<p data-testid="technical-error">Une erreur technique est survenue (code ${escapeHtml(code)}). Veuillez réessayer dans quelques instants.</p>`,
  );
}
