import { isTimeZone } from "@vigie/zoned-time";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Language } from "./format.ts";
import { rememberLanguage } from "./i18n.ts";
import { DEFAULT_TIME_ZONE } from "./time-range.ts";

const TZ_KEY = "vigie.timeZone";

/** The reader's choices that shape every figure on screen. */
export interface Preferences {
  language: Language;
  timeZone: string;
  setLanguage(language: Language): void;
  setTimeZone(timeZone: string): void;
}

const PreferencesContext = createContext<Preferences | null>(null);

/** The timezone the reader chose on this browser, else Europe/Paris. */
export function storedTimeZone(): string {
  const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(TZ_KEY);
  return stored && isTimeZone(stored) ? stored : DEFAULT_TIME_ZONE;
}

/** Provides language and timezone (Europe/Paris unless the user picked another), kept across visits. */
export function PreferencesProvider({
  children,
  timeZone: initialZone,
}: {
  children: ReactNode;
  timeZone?: string;
}) {
  const { i18n } = useTranslation();
  const [timeZone, setZone] = useState(initialZone ?? storedTimeZone);
  const language = (i18n.language === "en" ? "en" : "fr") as Language;
  const setLanguage = useCallback(
    (next: Language) => {
      void i18n.changeLanguage(next);
      rememberLanguage(next);
    },
    [i18n],
  );
  const setTimeZone = useCallback((next: string) => {
    if (!isTimeZone(next)) return;
    localStorage.setItem(TZ_KEY, next);
    setZone(next);
  }, []);
  const value = useMemo(
    () => ({ language, timeZone, setLanguage, setTimeZone }),
    [language, timeZone, setLanguage, setTimeZone],
  );
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

/** The current language and timezone. */
export function usePreferences(): Preferences {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error("usePreferences() needs a <PreferencesProvider>");
  return value;
}
