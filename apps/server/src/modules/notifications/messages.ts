import { wallClockAt } from "@vigie/zoned-time";
import { type Escaping, escapeFor, fillTemplate } from "./template.js";

/** What happened, as stored in the outbox; rendered per channel and language at delivery. */
export interface Notice {
  kind: "firing" | "resolved" | "repeat" | "escalation" | "flapping" | "channel-down";
  alertId: number | null;
  ruleKey: string | null;
  ruleKind: string | null;
  severity: "page" | "ticket";
  journey: string | null;
  journeyName: { fr: string; en: string } | null;
  step: string | null;
  stepName: { fr: string; en: string } | null;
  /** Start of the firing episode (ISO). */
  since: string | null;
  /** When this notice was decided (ISO). */
  at: string;
  /** End of the episode, for a recovery (ISO). */
  resolvedAt: string | null;
  /** Distinct real prospects who hit a technical failure during the episode. */
  prospectsAffected: number | null;
  /** Figures of the rule (rate, runs, p95, observed, expected…). */
  facts: Record<string, unknown>;
  /** Path of the incident or alert page, made absolute with the public URL when known. */
  link: string;
}

/** One notice in words, in one language. */
export interface RenderedMessage {
  title: string;
  text: string;
  html: string;
  linkLabel: string;
}

export type Language = "fr" | "en";

/** Template variables an audience may use in its own templates. */
export const TEMPLATE_VARIABLES = [
  "journey",
  "step",
  "since",
  "at",
  "duration",
  "prospects",
  "summary",
  "link",
] as const;

function clock(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  const w = wallClockAt(Date.parse(iso), timeZone);
  return `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
}

/** "38 min", "2 h 05", "3 j 4 h" (fr) / "38 min", "2 h 05 min", "3 d 4 h" (en). */
export function humanDuration(ms: number, language: Language): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24)
    return rest
      ? `${hours} h ${String(rest).padStart(2, "0")}${language === "en" ? " min" : ""}`
      : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} ${language === "fr" ? "j" : "d"}${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

function percent(value: unknown, language: Language): string {
  const n = typeof value === "number" ? value * 100 : 0;
  const text = n >= 10 ? n.toFixed(0) : n.toFixed(1);
  return language === "fr" ? `${text.replace(".", ",")} %` : `${text}%`;
}

function num(value: unknown, language: Language): string {
  const n = typeof value === "number" ? value : 0;
  return new Intl.NumberFormat(language === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 1 }).format(n);
}

function seconds(ms: unknown, language: Language): string {
  const n = typeof ms === "number" ? ms : 0;
  return n >= 1000 ? `${num(n / 1000, language)} s` : `${num(n, language)} ms`;
}

interface Words {
  journey: string;
  step: string;
  since: string;
  at: string;
  duration: string;
  prospects: string;
}

/** The one-line summary of a notice; values are inserted as plain text and escaped later. */
function summaryOf(notice: Notice, language: Language, w: Words): string {
  const f = notice.facts;
  const fr = language === "fr";
  const atStep = w.step ? (fr ? ` à l'étape ${w.step}` : ` at the ${w.step} step`) : "";
  const blocked =
    notice.prospectsAffected && notice.prospectsAffected > 0
      ? fr
        ? ` — ${w.prospects} prospect${notice.prospectsAffected > 1 ? "s" : ""} bloqué${notice.prospectsAffected > 1 ? "s" : ""}`
        : ` — ${w.prospects} prospect${notice.prospectsAffected > 1 ? "s" : ""} blocked`
      : "";
  const affected =
    notice.prospectsAffected && notice.prospectsAffected > 0
      ? fr
        ? ` — ${w.prospects} prospect${notice.prospectsAffected > 1 ? "s" : ""} touché${notice.prospectsAffected > 1 ? "s" : ""}`
        : ` — ${w.prospects} prospect${notice.prospectsAffected > 1 ? "s" : ""} affected`
      : "";
  switch (notice.kind) {
    case "resolved":
      return fr
        ? `${w.journey} : retour à la normale à ${w.at}, après ${w.duration} de perturbation${affected}`
        : `${w.journey}: back to normal at ${w.at}, after ${w.duration} of disruption${affected}`;
    case "flapping":
      return fr
        ? `${w.journey} instable${atStep} : l'état change sans cesse depuis ${w.since} ; l'alerte reste ouverte jusqu'à stabilisation`
        : `${w.journey} unstable${atStep}: the state keeps changing since ${w.since}; the alert stays open until it settles`;
    case "channel-down":
      return fr
        ? `Le canal « ${String(f.channel)} » (${String(f.channelKind)}) de l'audience « ${String(f.audience)} » ne reçoit plus les alertes depuis ${w.since} : ${String(f.error ?? "")}`
        : `Channel "${String(f.channel)}" (${String(f.channelKind)}) of audience "${String(f.audience)}" no longer receives alerts since ${w.since}: ${String(f.error ?? "")}`;
    default:
      break;
  }
  switch (notice.ruleKind) {
    case "probe-down":
      return fr
        ? `${w.journey} indisponible${atStep} depuis ${w.since}${blocked}`
        : `${w.journey} unavailable${atStep} since ${w.since}${blocked}`;
    case "error-rate":
      return fr
        ? `${w.journey} : ${percent(f.errorRate, language)} d'erreurs techniques${atStep} depuis ${w.since} (${num(f.errors, language)} sur ${num(f.attempts, language)} tentatives)${affected}`
        : `${w.journey}: ${percent(f.errorRate, language)} technical errors${atStep} since ${w.since} (${num(f.errors, language)} out of ${num(f.attempts, language)} attempts)${affected}`;
    case "latency":
      return fr
        ? `${w.journey} lent${atStep} depuis ${w.since} : 95 % des réponses en ${seconds(f.p95Ms, language)} ou moins (objectif ${seconds(f.thresholdMs, language)})`
        : `${w.journey} slow${atStep} since ${w.since}: 95% of answers within ${seconds(f.p95Ms, language)} (objective ${seconds(f.thresholdMs, language)})`;
    case "burn-rate":
      return fr
        ? `${w.journey} : le budget d'erreurs s'épuise ${num(f.burnRate, language)} fois trop vite depuis ${w.since} (objectif de disponibilité ${percent(f.objective, language)})${affected}`
        : `${w.journey}: the error budget burns ${num(f.burnRate, language)} times too fast since ${w.since} (availability objective ${percent(f.objective, language)})${affected}`;
    case "under-exposure": {
      const what =
        f.measure === "completions"
          ? fr
            ? "souscriptions terminées"
            : "completions"
          : fr
            ? "démarrages"
            : "starts";
      return fr
        ? `${w.journey} sous-exposé : ${num(f.observed, language)} ${what} sur la dernière heure contre ${num(f.expected, language)} habituellement ce jour à cette heure (depuis ${w.since})`
        : `${w.journey} under-exposed: ${num(f.observed, language)} ${what} in the last hour against ${num(f.expected, language)} usually on this day at this time (since ${w.since})`;
    }
    case "ingestion-stalled":
      return fr
        ? `Aucun événement reçu depuis ${w.since}, de toutes les sources : problème de collecte probable, pas une baisse de prospects`
        : `No event received since ${w.since} from any source: most likely a collection problem, not fewer prospects`;
    default:
      return fr
        ? `${w.journey} : alerte ${notice.ruleKey ?? ""}`
        : `${w.journey}: alert ${notice.ruleKey ?? ""}`;
  }
}

/**
 * Renders a notice in plain words for non-technical readers, in French or English, with times in
 * `timeZone`. An audience's own template (firing or resolved) replaces the summary; it can use only
 * the TEMPLATE_VARIABLES, each escaped for where it lands.
 */
export function renderNotice(
  notice: Notice,
  language: Language,
  timeZone: string,
  templates: { firing?: string; resolved?: string } = {},
  escaping: Escaping = "text",
): RenderedMessage {
  const fr = language === "fr";
  const journey = notice.journeyName?.[language] ?? notice.journey ?? "Vigie";
  const step = notice.stepName?.[language] ?? notice.step ?? "";
  const endMs = Date.parse(notice.resolvedAt ?? notice.at);
  const durationMs = notice.since ? endMs - Date.parse(notice.since) : 0;
  const words: Words = {
    journey,
    step,
    since: clock(notice.since, timeZone),
    at: clock(notice.resolvedAt ?? notice.at, timeZone),
    duration: humanDuration(durationMs, language),
    prospects: String(notice.prospectsAffected ?? 0),
  };
  const summary = summaryOf(notice, language, words);
  const custom =
    notice.kind === "resolved"
      ? templates.resolved
      : notice.kind === "channel-down"
        ? undefined
        : templates.firing;
  const values = { ...words, summary, link: notice.link };
  const body = (how: Escaping) => (custom ? fillTemplate(custom, values, how) : escapeFor(summary, how));
  const prefix =
    notice.kind === "repeat"
      ? fr
        ? "Rappel : "
        : "Reminder: "
      : notice.kind === "escalation"
        ? fr
          ? `Sans prise en charge depuis ${words.duration} : `
          : `Not acknowledged for ${words.duration}: `
        : "";
  const linkLabel =
    notice.kind === "channel-down"
      ? fr
        ? "Voir les envois"
        : "See deliveries"
      : fr
        ? "Voir l'incident"
        : "See the incident";
  const title = `${prefix}${body("text")}`;
  const text = `${title}\n\n${linkLabel}${fr ? " : " : ": "}${notice.link}`;
  const html =
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif">` +
    `<p>${escapeFor(prefix, "html")}${body("html")}</p>` +
    `<p><a href="${escapeFor(notice.link, "html")}">${escapeFor(linkLabel, "html")}</a></p></body></html>`;
  return {
    title: escaping === "text" ? title : `${escapeFor(prefix, escaping)}${body(escaping)}`,
    text,
    html,
    linkLabel,
  };
}
