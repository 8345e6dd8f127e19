import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import type { Language } from "./format.ts";

/** Languages of the UI; French first (the bank's staff), English second. */
export const LANGUAGES: readonly Language[] = ["fr", "en"];

type Messages = Record<string, unknown>;

// Shared strings live in src/locales, each feature's in features/<noun>/locales: a feature brings its
// own translations without touching a central file. Keys are namespaced by the file's top-level keys.
const shared = import.meta.glob<Messages>("../locales/*.json", { eager: true, import: "default" });
const features = import.meta.glob<Messages>("../features/*/locales/*.json", {
  eager: true,
  import: "default",
});

function deepMerge(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      existing &&
      typeof existing === "object"
    ) {
      deepMerge(existing as Messages, value as Messages);
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** Every message of a language, shared and per-feature files merged. */
export function messagesOf(language: Language): Messages {
  const merged: Messages = {};
  for (const [path, messages] of Object.entries({ ...shared, ...features })) {
    if (path.endsWith(`/${language}.json`)) deepMerge(merged, structuredClone(messages));
  }
  return merged;
}

/** Keys asked for but absent from a language: the end-to-end tests read this list, it must stay empty. */
export const missingKeys: string[] = [];

const STORAGE_KEY = "vigie.language";

/** The language to start in: the user's last choice, else the browser's if English, else French. */
export function initialLanguage(): Language {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  if (stored === "fr" || stored === "en") return stored;
  const browser = typeof navigator === "undefined" ? "fr" : navigator.language;
  return browser.toLowerCase().startsWith("en") ? "en" : "fr";
}

/** Remembers the chosen language and applies it to the document. */
export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

/** Creates the i18next instance used by the app (and by component tests, in the language they ask). */
export function createI18n(language: Language = initialLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    resources: {
      fr: { translation: messagesOf("fr") },
      en: { translation: messagesOf("en") },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (languages, _namespace, key) => {
      missingKeys.push(`${languages.join(",")}:${key}`);
    },
    initAsync: false,
  });
  if (typeof document !== "undefined") document.documentElement.lang = language;
  return instance;
}
