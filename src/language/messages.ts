import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import type { Locale } from 'date-fns';
import { format, parseISO } from 'date-fns';
import { de as deDate, enGB, enUS, fr as frDate, nl as nlDate } from 'date-fns/locale';
import { IntlMessageFormat } from 'intl-messageformat';
import de from '../../locales/de.json' with { type: 'json' };
import en from '../../locales/en.json' with { type: 'json' };
import fr from '../../locales/fr.json' with { type: 'json' };
import nl from '../../locales/nl.json' with { type: 'json' };
import { addDays, todayIn } from '../domain/archiveDate.js';
import type { Role } from '../domain/roles.js';
import { LOCALE_PATTERN, type Language, languageOf } from './languages.js';

/**
 * Every sentence the bot says comes from `locales/<language>.json`, written in ICU
 * MessageFormat: `{code}` for a value, `{count, plural, one {…} other {…}}` for plurals,
 * `{audience, select, photographer {…} other {…}}` where the words depend on who reads
 * them (German customers are addressed with "Sie", photographers with "du").
 * English defines the keys; the type check below fails the build when another language
 * misses one.
 */
export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const CATALOGS: Readonly<Record<Language, Catalog>> = { en, de, fr, nl } satisfies Record<Language, Catalog>;

export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * Who the bot speaks to. Every message may select on it through the implicit argument
 * `audience`; `unknown` (nobody has said yet) reads the `other` branch, the polite form.
 */
export type Audience = Role | 'unknown';
export const AUDIENCE_ARGUMENT = 'audience';

/** An argument of a message: its name and how it is formatted. */
export interface MessageArgument {
  name: string;
  kind: 'text' | 'number' | 'plural' | 'select';
}

interface CompiledMessage {
  formatter: IntlMessageFormat;
  arguments: MessageArgument[];
}

/** Compiled once per language and key: parsing is the expensive part of formatting. */
const compiled = new Map<Language, Map<MessageKey, CompiledMessage>>();

function argumentsOf(elements: readonly MessageFormatElement[], found = new Map<string, MessageArgument['kind']>()): Map<string, MessageArgument['kind']> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        if (!found.has(element.value)) found.set(element.value, 'text');
        break;
      case TYPE.number:
        found.set(element.value, 'number');
        break;
      case TYPE.plural:
        found.set(element.value, 'plural');
        for (const option of Object.values(element.options)) argumentsOf(option.value, found);
        break;
      case TYPE.select:
        found.set(element.value, 'select');
        for (const option of Object.values(element.options)) argumentsOf(option.value, found);
        break;
      case TYPE.tag:
        argumentsOf(element.children, found);
        break;
      default:
        break;
    }
  }
  return found;
}

function compile(language: Language, key: MessageKey): CompiledMessage {
  let ofLanguage = compiled.get(language);
  if (ofLanguage === undefined) {
    ofLanguage = new Map();
    compiled.set(language, ofLanguage);
  }
  let message = ofLanguage.get(key);
  if (message === undefined) {
    // Tags are off: a "<" in a sentence is a character, never markup.
    const ast = parse(CATALOGS[language][key], { ignoreTag: true, requiresOtherClause: true });
    const args = [...argumentsOf(ast)].map(([name, kind]) => ({ name, kind }));
    message = { formatter: new IntlMessageFormat(ast, language, undefined, { ignoreTag: true }), arguments: args };
    ofLanguage.set(key, message);
  }
  return message;
}

/** The arguments a message takes, for checking that every language asks for the same ones. */
export function messageArguments(language: Language, key: MessageKey): MessageArgument[] {
  return compile(language, key).arguments;
}

/**
 * The sentence `key` in `language` with its values filled in. A value that is missing
 * stays visible as `{name}` instead of failing the turn; `audience` defaults to unknown.
 */
export function translate(language: Language, key: MessageKey, values: MessageValues = {}): string {
  const { formatter, arguments: args } = compile(language, key);
  const filled: Record<string, string | number> = { ...values };
  for (const { name, kind } of args) {
    if (filled[name] !== undefined) continue;
    if (name === AUDIENCE_ARGUMENT) filled[name] = 'unknown';
    else filled[name] = kind === 'select' ? 'other' : kind === 'plural' || kind === 'number' ? Number.NaN : `{${name}}`;
  }
  return String(formatter.format(filled));
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
  /** Items in a sentence, as the language joins them: "A, B and C", „A, B und C“, « A, B et C ». */
  list(items: readonly string[], type?: 'and' | 'or'): string;
  /** A calendar date (yyyy-MM-dd) written out for this locale: "December 20, 2026", "20. Dezember 2026". */
  longDate(isoDate: string): string;
  /** With the weekday: "Sunday, December 20, 2026". */
  fullDate(isoDate: string): string;
  /** For buttons: "Sun, Dec 6", "So 6.12.", "dim. 6 déc.", "zo 6 dec". */
  shortDate(isoDate: string): string;
  /** A near date in a sentence, with its weekday: "Monday, Nov 30", "Montag, 30.11.", "lundi 30 nov.". */
  weekdayDate(isoDate: string): string;
  /** A day and month that may not exist ("31 November"), for saying so. */
  dayMonth(day: number, month: number): string;
  /**
   * A moment as the clocks of `timeZone` show it, for someone who may be elsewhere: its day
   * seen from `now` (today, tomorrow, or another), the date ("Monday, December 7",
   * "Montag, 7. Dezember") and the time with the zone ("9:00 AM GMT+1", "09:00 MEZ").
   */
  momentIn(instant: Date, timeZone: string, now: Date): Moment;
}

export interface Moment {
  day: 'today' | 'tomorrow' | 'other';
  date: string;
  time: string;
}

function momentIn(locale: string, instant: Date, timeZone: string, now: Date): Moment {
  const today = todayIn(timeZone, now);
  const day = todayIn(timeZone, instant);
  const tomorrow = addDays(today, 1);
  return {
    day: day === today ? 'today' : day === tomorrow ? 'tomorrow' : 'other',
    date: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(instant),
    time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(instant),
  };
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

const WEEKDAY_DATE: Record<Language, string> = { en: 'EEEE d MMM', de: 'EEEE, d.M.', fr: 'EEEE d MMM', nl: 'EEEE d MMM' };

const LIST_TYPES = { and: 'conjunction', or: 'disjunction' } as const;

/**
 * List formatters per locale and kind, made when first needed and shared: a localizer is
 * made for every turn, and an Intl formatter costs more to make than most turns use it.
 * Locales come from channels, so the set is bounded.
 */
const LIST_FORMATS = new Map<string, Intl.ListFormat>();
const MAX_LIST_FORMATS = 64;

function listFormat(locale: string, type: keyof typeof LIST_TYPES): Intl.ListFormat {
  const key = `${locale} ${type}`;
  let formatter = LIST_FORMATS.get(key);
  if (formatter === undefined) {
    formatter = new Intl.ListFormat(locale, { type: LIST_TYPES[type] });
    if (LIST_FORMATS.size >= MAX_LIST_FORMATS) LIST_FORMATS.clear();
    LIST_FORMATS.set(key, formatter);
  }
  return formatter;
}

/**
 * Calendar dates as written, per date locale and pattern: the same archive date is written for
 * every parent of a school, and date-fns parses and formats it anew each time. A calendar
 * date reads the same in every time zone, so the text can be kept. Emptied when full.
 */
const WRITTEN_DATES = new Map<string, string>();
const MAX_WRITTEN_DATES = 2048;

/** The day 1 before the month's name. */
const FIRST_OF_MONTH = /(^|\s)1(?= \p{L})/u;

/** A date as French writes it: the first of a month as an ordinal ("lundi 1er mars"); other locales as they are. */
function withFirstOfMonth(text: string, dates: Locale): string {
  return dates.code?.startsWith('fr') === true ? text.replace(FIRST_OF_MONTH, (_, before: string) => `${before}1er`) : text;
}

function writeDate(isoDate: string, pattern: string, dates: Locale): string {
  const key = `${dates.code ?? ''} ${pattern} ${isoDate}`;
  let text = WRITTEN_DATES.get(key);
  if (text === undefined) {
    text = withFirstOfMonth(format(parseISO(isoDate), pattern, { locale: dates }), dates);
    if (WRITTEN_DATES.size >= MAX_WRITTEN_DATES) WRITTEN_DATES.clear();
    WRITTEN_DATES.set(key, text);
  }
  return text;
}

/**
 * The words for one person in one locale. `audience` says who reads them; a function is
 * asked on every sentence, since the role can become known in the middle of a turn.
 */
export function localizer(locale: string, audience: Audience | (() => Role | null) = 'unknown'): Localizer {
  const language = languageOf(locale) ?? 'en';
  const dates = dateLocale(locale);
  const listLocale = LOCALE_PATTERN.test(locale) ? locale : language;
  const reader = (): Audience => (typeof audience === 'function' ? (audience() ?? 'unknown') : audience);
  return {
    locale,
    language,
    t: (key, values) => translate(language, key, { [AUDIENCE_ARGUMENT]: reader(), ...values }),
    list: (items, type = 'and') => listFormat(listLocale, type).format(items),
    longDate: (isoDate) => writeDate(isoDate, LONG_DATE.get(dates) ?? 'PPP', dates),
    fullDate: (isoDate) => writeDate(isoDate, FULL_DATE.get(dates) ?? 'PPPP', dates),
    shortDate: (isoDate) => writeDate(isoDate, dates === enUS ? 'EEE, MMM d' : SHORT_DATE[language], dates),
    weekdayDate: (isoDate) => writeDate(isoDate, dates === enUS ? 'EEEE, MMM d' : WEEKDAY_DATE[language], dates),
    momentIn: (instant, timeZone, now) => momentIn(listLocale, instant, timeZone, now),
    dayMonth: (day, month) =>
      withFirstOfMonth(translate(language, 'date.dayMonth', { day, month: format(new Date(2001, month - 1, 1), 'LLLL', { locale: dates }) }), dates),
  };
}
