import type { Locale } from 'date-fns';
import { format, parseISO } from 'date-fns';
import { de as deDate, enGB, enUS, fr as frDate, nl as nlDate } from 'date-fns/locale';
import de from '../../locales/de.json' with { type: 'json' };
import en from '../../locales/en.json' with { type: 'json' };
import fr from '../../locales/fr.json' with { type: 'json' };
import nl from '../../locales/nl.json' with { type: 'json' };
import { LOCALE_PATTERN, type Language, languageOf } from './languages.js';

/**
 * Every sentence the bot says comes from `locales/<language>.json`. English defines the
 * keys; the type check below fails the build when another language misses one.
 */
export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const CATALOGS: Readonly<Record<Language, Catalog>> = { en, de, fr, nl } satisfies Record<Language, Catalog>;

export type MessageValues = Readonly<Record<string, string | number>>;

export function translate(language: Language, key: MessageKey, values: MessageValues = {}): string {
  const template = CATALOGS[language][key];
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = values[name];
    return value === undefined ? placeholder : String(value);
  });
}

export function messageKeys(language: Language): string[] {
  return Object.keys(CATALOGS[language]);
}

function dateLocale(locale: string): Locale {
  switch (languageOf(locale)) {
    case 'de':
      return deDate;
    case 'fr':
      return frDate;
    case 'nl':
      return nlDate;
    default:
      return /^en-(US|PH|CA)?$/i.test(locale) || locale === 'en' ? enUS : enGB;
  }
}

/** Picks the locale the bot answers in: the channel's when the bot speaks it, else the default. */
export function resolveLocale(requested: unknown, fallback: string): string {
  const trimmed = typeof requested === 'string' ? requested.trim() : undefined;
  if (trimmed && languageOf(trimmed) !== null && LOCALE_PATTERN.test(trimmed)) return trimmed;
  return languageOf(fallback) !== null ? fallback : 'en-US';
}

export interface Localizer {
  readonly locale: string;
  readonly language: Language;
  t(key: MessageKey, values?: MessageValues): string;
  /** A calendar date (yyyy-MM-dd) written out for this locale: "December 20, 2026", "20. Dezember 2026". */
  longDate(isoDate: string): string;
  /** With the weekday: "Sunday, December 20, 2026". */
  fullDate(isoDate: string): string;
  /** For buttons: "Sun, Dec 6", "So 6.12.", "dim. 6 déc.", "zo 6 dec". */
  shortDate(isoDate: string): string;
  /** A day and month that may not exist ("31 November"), for saying so. */
  dayMonth(day: number, month: number): string;
}

/** English without ordinals ("October 12, 2026", "12 October 2026"); the others as date-fns writes them. */
const LONG_DATE = new Map<Locale, string>([
  [enUS, 'MMMM d, yyyy'],
  [enGB, 'd MMMM yyyy'],
]);

const FULL_DATE = new Map<Locale, string>([
  [enUS, 'EEEE, MMMM d, yyyy'],
  [enGB, 'EEEE d MMMM yyyy'],
]);

const SHORT_DATE: Record<Language, string> = { en: 'EEE d MMM', de: 'EEEEEE d.M.', fr: 'EEE d MMM', nl: 'EEEEEE d MMM' };

export function localizer(locale: string): Localizer {
  const language = languageOf(locale) ?? 'en';
  const dates = dateLocale(locale);
  return {
    locale,
    language,
    t: (key, values) => translate(language, key, values),
    longDate: (isoDate) => format(parseISO(isoDate), LONG_DATE.get(dates) ?? 'PPP', { locale: dates }),
    fullDate: (isoDate) => format(parseISO(isoDate), FULL_DATE.get(dates) ?? 'PPPP', { locale: dates }),
    shortDate: (isoDate) => format(parseISO(isoDate), dates === enUS ? 'EEE, MMM d' : SHORT_DATE[language], { locale: dates }),
    dayMonth: (day, month) =>
      translate(language, 'date.dayMonth', { day, month: format(new Date(2001, month - 1, 1), 'LLLL', { locale: dates }) }),
  };
}
