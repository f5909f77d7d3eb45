/** The languages the bot speaks and understands. */
export const LANGUAGES = ['en', 'de', 'fr', 'nl'] as const;

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language part of a BCP 47 locale (`de-AT` → `de`), or null when the bot does not speak it. */
export function languageOf(locale: unknown): Language | null {
  if (typeof locale !== 'string') return null;
  const language = locale.trim().slice(0, 2).toLowerCase();
  return isLanguage(language) ? language : null;
}

/** A BCP 47 locale as channels and configuration write it: `en`, `de-DE`, `zh-Hant-TW`. */
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
