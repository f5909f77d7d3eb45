import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  addDays,
  addMonths,
  calendarDate,
  daysInMonth,
  type IsoDate,
  isValidCalendarDate,
  MONDAY,
  nextWeekdayAfter,
  previousWeekdayBefore,
  SUNDAY,
  toIsoDate,
  type Weekday,
  weekdayOnOrAfter,
} from '../domain/archiveDate.js';
import { projectRoot } from '../projectRoot.js';
import { type Language, LANGUAGES, languageOf } from './languages.js';
import { foldLetters } from './textFolding.js';

/**
 * Reads the archive date a person typed: "20.12.", "12/20/2026", "20. Dezember",
 * "dimanche prochain", "over 3 weken", "let's say the 20th of December". The words come
 * from `locales/<language>.dates.json`; this file knows only the shapes dates are written in.
 *
 * The parser reports what was written and does not judge it: a past date is still a date
 * (`checkArchiveDate` refuses it). "Today" is used only to complete what was left out: the
 * year of "20.12." (the next 20 December that is not in the past), the day of "Sunday", "in
 * 3 weeks".
 */
export type DateReading =
  | { kind: 'date'; date: IsoDate }
  /**
   * A day that does not exist (`31.11.`, `29.02.2027`). `year` is the one written or, when
   * none was, the one inferred; `suggestions` are the real days either side: the last day of
   * that month and the first of the next.
   */
  | { kind: 'impossible'; day: number; month: number; year: number; suggestions: IsoDate[] }
  /** Several readings: `03/04/2027` in a locale without a day/month convention, or two dates in one message. Chronological. */
  | { kind: 'ambiguous'; options: IsoDate[] }
  | { kind: 'none' };

/** How a locale orders the numbers of `03/04/2027` (dotted dates are day-month everywhere). */
export type NumericDateOrder = 'day-month' | 'month-day' | 'ambiguous';

// ---------------------------------------------------------------------------------------
// Vocabulary: locales/<language>.dates.json, validated once at module load.

function indexed<T>(groups: readonly (readonly string[])[], meaning: (index: number) => T): (readonly [string, T])[] {
  return groups.flatMap((group, index) => group.map((word) => [word, meaning(index)] as const));
}

const order = z.enum(['day-month', 'month-day', 'ambiguous']);
const words = z.array(z.string().trim().min(1));
const someWords = words.min(1);

export const DatesVocabularySchema = z.strictObject({
  language: z.enum(LANGUAGES),
  /** January first; the first word of each is the full name, the others variants and abbreviations. */
  months: z.array(someWords).length(12),
  /** Sunday first, as `dayOfWeek`. Full names only: abbreviations ("So", "Sun", "Mar") are ordinary words too. */
  weekdays: z.array(someWords).length(7),
  numbers: z.record(z.string().trim().min(1), z.number().int().min(1).max(12)),
  /** Letters written after a day number: "20th", "1er", "20ste". */
  ordinalSuffixes: z.array(z.string().regex(/^\p{L}+$/u)),
  /** Between day and month: "20th of December". */
  dayMonthConnectors: words,
  /** Between month and day: "December the 20th". */
  monthDayConnectors: words,
  relative: z.strictObject({
    today: someWords,
    tomorrow: someWords,
    dayAfterTomorrow: someWords,
    yesterday: someWords,
    /** Before a duration: "in 3 weeks", "dans 3 semaines", "over 3 weken". */
    durationBefore: someWords,
    /** After a duration: "3 weeks from now". */
    durationAfter: words,
    /** A weekday in the past: "last Sunday", "dimanche dernier". */
    previousBefore: words,
    previousAfter: words,
    /** Beside a weekday, that day of next week (Monday to Sunday): "volgende week zondag", "Sonntag nächste Woche". */
    nextWeek: words,
  }),
  /**
   * Before a month's name: its end ("Ende Januar", "fin janvier", "end of January") or its
   * middle ("Mitte Januar", "mi-janvier"); and the end of this month ("Monatsende"). Each
   * is read as the Sunday there (see partOfMonth).
   */
  monthParts: z.strictObject({ end: words, middle: words, endOfThisMonth: words }),
  units: z.strictObject({ day: someWords, week: someWords, month: someWords, year: someWords }),
  /** Phrases that look like dates and are not: "guten Morgen". */
  ignore: words,
  numericDateOrder: z.strictObject({
    default: order,
    withoutRegion: order.optional(),
    regions: z.record(z.string().regex(/^(?:[A-Z]{2}|\d{3})$/), order).optional(),
  }),
}).superRefine((vocabulary, ctx) => {
  // Within one file a word (compared folded: "März" = "marz") means one thing.
  const categories: [string, (readonly [string, unknown])[]][] = [
    ['months', indexed(vocabulary.months, (i) => i)],
    ['weekdays', indexed(vocabulary.weekdays, (i) => i)],
    ['numbers', Object.entries(vocabulary.numbers)],
    ['units', Object.entries(vocabulary.units).flatMap(([unit, list]) => list.map((w) => [w, unit] as const))],
  ];
  for (const [path, entries] of categories) {
    const seen = new Map<string, unknown>();
    for (const [word, meaning] of entries) {
      const key = foldLetters(word);
      if (seen.has(key) && seen.get(key) !== meaning) ctx.addIssue({ code: 'custom', path: [path], message: `"${word}" has two meanings` });
      seen.set(key, meaning);
    }
  }
});

export type DatesVocabulary = z.infer<typeof DatesVocabularySchema>;

function loadVocabulary(language: Language): DatesVocabulary {
  const file = join(projectRoot(import.meta.url), 'locales', `${language}.dates.json`);
  const parsed = DatesVocabularySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid date vocabulary:\n${z.prettifyError(parsed.error)}`);
  if (parsed.data.language !== language) throw new Error(`${file} says it is "${parsed.data.language}"`);
  return parsed.data;
}

const VOCABULARIES: Readonly<Record<Language, DatesVocabulary>> = {
  en: loadVocabulary('en'),
  de: loadVocabulary('de'),
  fr: loadVocabulary('fr'),
  nl: loadVocabulary('nl'),
};

// ---------------------------------------------------------------------------------------
// Text and word lists in one comparable form: folded by foldLetters (./textFolding.ts), which
// keeps the dots, slashes and dashes a date is written with.

type Unit = 'day' | 'week' | 'month' | 'year';

/**
 * Word → meaning, first language first: a word another language uses differently
 * (French "hier" is yesterday, German "hier" is here) keeps the first language's meaning.
 */
function wordMap<T>(sources: readonly DatesVocabulary[], entries: (v: DatesVocabulary) => Iterable<readonly [string, T]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const vocabulary of sources) {
    for (const [word, meaning] of entries(vocabulary)) {
      const key = foldLetters(word);
      if (!map.has(key)) map.set(key, meaning);
    }
  }
  return map;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** An alternation of folded words, longest first ("december" before "dec"); never matches when empty. */
function alternation(list: Iterable<string>): string {
  const folded = [...new Set([...list].map(foldLetters))].filter((w) => w !== '');
  if (folded.length === 0) return '(?!)';
  return folded.sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegExp).join('|');
}

// Boundaries: a word is not part of a longer word; a number is not part of a longer number or date.
const WORD_START = '(?<![\\p{L}\\p{N}])';
const WORD_END = '(?![\\p{L}\\p{N}])';
const NUMBER_START = '(?<![\\p{L}\\p{N}])(?<![\\p{N}][./-])';
const NUMBER_END = '(?![\\p{N}])(?![./-]\\p{N})';

interface Lexicon {
  months: Map<string, number>;
  weekdays: Map<string, Weekday>;
  numbers: Map<string, number>;
  units: Map<string, Unit>;
  ignore: RegExp;
  iso: RegExp;
  numericWithYear: RegExp;
  numericWithoutYear: RegExp;
  dayMonthName: RegExp;
  monthNameDay: RegExp;
  dayOnly: RegExp;
  monthEnd: RegExp;
  monthMiddle: RegExp;
  endOfThisMonth: RegExp;
  durationBefore: RegExp;
  durationAfter: RegExp;
  weekday: RegExp;
  nextWeek: RegExp;
  dayAfterTomorrow: RegExp;
  tomorrow: RegExp;
  today: RegExp;
  yesterday: RegExp;
}

/**
 * Month names count in every language (a number must stand next to them, so they are safe);
 * the other words in the person's language, then in English.
 */
function buildLexicon(language: Language): Lexicon {
  const all = LANGUAGES.map((l) => VOCABULARIES[l]);
  const own = language === 'en' ? [VOCABULARIES.en] : [VOCABULARIES[language], VOCABULARIES.en];
  const pick = (f: (v: DatesVocabulary) => readonly string[], from = own) => alternation(from.flatMap(f));
  const rx = (source: string) => new RegExp(source, 'gu');

  const months = wordMap(all, (v) => indexed(v.months, (i) => i + 1));
  const weekdays = wordMap(own, (v) => indexed(v.weekdays, (i) => i as Weekday));
  const numbers = wordMap(own, (v) => Object.entries(v.numbers));
  const units = wordMap(own, (v) => (['day', 'week', 'month', 'year'] as const).flatMap((u) => v.units[u].map((w) => [w, u] as const)));

  const month = `(${alternation(months.keys())})`;
  const allSuffixes = `(?:${pick((v) => v.ordinalSuffixes, all)})`;
  const ownSuffixes = `(?:${pick((v) => v.ordinalSuffixes)})`;
  const unit = `(${alternation(units.keys())})`;
  const amount = `(\\d{1,4}|${alternation(numbers.keys())})`;
  const year = `(?:[ .,/-]{0,3}(\\d{4}|'\\d{2})(?![\\p{N}]))?`;
  const notBeforeUnit = `(?!\\.? ?${unit}${WORD_END})`;
  const phrase = (list: (v: DatesVocabulary) => readonly string[]) => rx(`${WORD_START}(?:${pick(list)})${WORD_END}`);
  // "fin d'avril" runs on after the apostrophe; "mi-janvier" takes a dash.
  const monthPart = (list: (v: DatesVocabulary) => readonly string[]) =>
    rx(`${WORD_START}(?:${pick(list)})(?:(?<=')|[ -]{1,3})${month}${WORD_END}\\.?${year}`);

  return {
    months,
    weekdays,
    numbers,
    units,
    ignore: phrase((v) => v.ignore),
    iso: rx(`${NUMBER_START}(\\d{4})([./-])(\\d{1,2})\\2(\\d{1,2})${NUMBER_END}`),
    numericWithYear: rx(`${NUMBER_START}(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})${NUMBER_END}`),
    numericWithoutYear: rx(`${NUMBER_START}(\\d{1,2})([./-])(\\d{1,2})${NUMBER_END}${notBeforeUnit}\\.?`),
    dayMonthName: rx(`${NUMBER_START}(\\d{1,2})${allSuffixes}?[ ./-]{0,3}(?:(?:${pick((v) => v.dayMonthConnectors, all)}) )?${month}${WORD_END}\\.?${year}`),
    monthNameDay: rx(`${WORD_START}${month}${WORD_END}\\.?[ ,./-]{0,3}(?:(?:${pick((v) => v.monthDayConnectors, all)}) )?(\\d{1,2})${allSuffixes}?${WORD_END}(?![./:]\\p{N})${year}`),
    dayOnly: rx(`${NUMBER_START}(\\d{1,2})${ownSuffixes}${WORD_END}(?! ${unit}${WORD_END})`),
    monthEnd: monthPart((v) => v.monthParts.end),
    monthMiddle: monthPart((v) => v.monthParts.middle),
    endOfThisMonth: phrase((v) => v.monthParts.endOfThisMonth),
    durationBefore: rx(`${WORD_START}(?:${pick((v) => v.relative.durationBefore)}) ${amount} ?${unit}${WORD_END}`),
    durationAfter: rx(`${WORD_START}${amount} ?${unit} (?:${pick((v) => v.relative.durationAfter)})${WORD_END}`),
    weekday: rx(
      `${WORD_START}(?:(${pick((v) => v.relative.previousBefore)}) )?(${alternation(weekdays.keys())})${WORD_END}(?: (${pick((v) => v.relative.previousAfter)})${WORD_END})?`,
    ),
    nextWeek: phrase((v) => v.relative.nextWeek),
    dayAfterTomorrow: phrase((v) => v.relative.dayAfterTomorrow),
    tomorrow: phrase((v) => v.relative.tomorrow),
    today: phrase((v) => v.relative.today),
    yesterday: phrase((v) => v.relative.yesterday),
  };
}

const LEXICONS: Readonly<Record<Language, Lexicon>> = {
  en: buildLexicon('en'),
  de: buildLexicon('de'),
  fr: buildLexicon('fr'),
  nl: buildLexicon('nl'),
};

/** The order of `03/04/2027` in a locale: en-US month-day, en-GB/de/fr/nl day-month, plain `en` undecided. */
export function numericDateOrder(locale: string): NumericDateOrder {
  let order = DATE_ORDERS.get(locale);
  if (order === undefined) {
    order = dateOrderOf(locale);
    if (DATE_ORDERS.size >= MAX_DATE_ORDERS) DATE_ORDERS.clear();
    DATE_ORDERS.set(locale, order);
  }
  return order;
}

/** Per locale as the channel gives it (a bounded set): reading one costs an Intl.Locale. */
const DATE_ORDERS = new Map<string, NumericDateOrder>();
const MAX_DATE_ORDERS = 256;

function dateOrderOf(locale: string): NumericDateOrder {
  const conventions = VOCABULARIES[languageOf(locale) ?? 'en'].numericDateOrder;
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale.trim().replace(/_/g, '-')).region;
  } catch {
    region = undefined;
  }
  if (region === undefined) return conventions.withoutRegion ?? conventions.default;
  return conventions.regions?.[region.toUpperCase()] ?? conventions.default;
}

// ---------------------------------------------------------------------------------------
// Readings.

type Found = Exclude<DateReading, { kind: 'none' }>;

interface Today {
  iso: IsoDate;
  year: number;
  month: number;
  day: number;
}

/** Date arithmetic that can leave 0001–9999 ("in 9999 years"): null instead of a RangeError. */
function within(compute: () => IsoDate): IsoDate | null {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The year of a day and month written without one: this year unless that day has passed, then next year. */
function inferYear(month: number, day: number, today: Today): number {
  return month > today.month || (month === today.month && day >= today.day) ? today.year : today.year + 1;
}

function fullYear(written: string): number {
  const digits = written.replace("'", '');
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

/** A day and month with a year (written or inferred): a date, an impossible day, or null when it cannot be a date at all (month 13, day 0). */
function reading(day: number, month: number, year: number | null, today: Today): Found | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const y = year ?? inferYear(month, day, today);
  if (y < 1 || y > 9999) return null;
  if (isValidCalendarDate(y, month, day)) return { kind: 'date', date: toIsoDate(y, month, day) };
  const lastDay = toIsoDate(y, month, daysInMonth(y, month));
  const suggestions = [lastDay, within(() => addDays(lastDay, 1))].filter((d): d is IsoDate => d !== null);
  return { kind: 'impossible', day, month, year: y, suggestions };
}

/**
 * A month's end or middle names no day: the day read is the platform's recommended Sunday,
 * the last one of the month or the one nearest its 15th, in the year written or else the next
 * one that has not passed, as for a day written without a year. This month's end asked on its
 * last Sunday or later is still this month: its last day.
 */
function partOfMonth(part: 'end' | 'middle', month: number, year: number | null, today: Today): Found | null {
  if (month < 1 || month > 12) return null;
  const sundayIn = (y: number): IsoDate | null => {
    if (y < 1 || y > 9999) return null;
    const lastDay = toIsoDate(y, month, daysInMonth(y, month));
    // The first Sunday from the 12th on is the one nearest the 15th: at most three days either side.
    return within(() => (part === 'end' ? previousWeekdayBefore(addDays(lastDay, 1), SUNDAY) : weekdayOnOrAfter(toIsoDate(y, month, 15 - 3), SUNDAY)));
  };
  const found = (date: IsoDate | null): Found | null => (date === null ? null : { kind: 'date', date });
  const thisMonth = month === today.month && (year ?? today.year) === today.year;
  if (part === 'end' && thisMonth) {
    const lastSunday = sundayIn(today.year);
    return found(lastSunday !== null && lastSunday > today.iso ? lastSunday : toIsoDate(today.year, month, daysInMonth(today.year, month)));
  }
  if (year !== null) return found(sundayIn(year));
  const thisYear = sundayIn(today.year);
  return found(thisYear !== null && thisYear >= today.iso ? thisYear : sundayIn(today.year + 1));
}

/**
 * `a sep b` as day/month or month/day. Slashes and dashes follow the locale; dots are
 * day-month everywhere. Either swaps when only the other order makes sense (`12/20` in
 * en-GB, `12.20.2026`), except a dotted pair without a year, which is more often a time
 * ("um 10.30") than a date.
 */
function numericReading(a: number, b: number, separator: string, year: number | null, localeOrder: NumericDateOrder, today: Today): Found | null {
  const dayMonth = reading(a, b, year, today);
  const monthDay = reading(b, a, year, today);
  if (a === b || (separator === '.' && year === null)) return dayMonth;
  const order = separator === '.' ? 'day-month' : localeOrder;
  const [preferred, other] = order === 'month-day' ? [monthDay, dayMonth] : [dayMonth, monthDay];
  if (order !== 'ambiguous' || preferred === null || other === null) return preferred ?? other;
  return combine([preferred, other]);
}

/** Several readings of one message: the definite dates win over ambiguous ones, any date over impossible days. */
function combine(found: readonly Found[]): Found | null {
  const dates = found.flatMap((f) => (f.kind === 'date' ? [f.date] : []));
  const candidates = dates.length > 0 ? dates : found.flatMap((f) => (f.kind === 'ambiguous' ? f.options : []));
  const options = [...new Set(candidates)].sort();
  if (options.length === 1) return { kind: 'date', date: options[0]! };
  if (options.length > 1) return { kind: 'ambiguous', options };
  return found[0] ?? null;
}

/** Runs a pattern over the text, hands every match to `read`, and blanks what matched so later patterns do not read it again. */
function scan(text: string, pattern: RegExp, read: (m: RegExpMatchArray) => Found | null, into: Found[]): string {
  let masked = '';
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    const found = read(match);
    if (found === null) continue;
    into.push(found);
    const start = match.index ?? 0;
    masked += text.slice(from, start) + ' '.repeat(match[0].length);
    from = start + match[0].length;
  }
  return from === 0 ? text : masked + text.slice(from);
}

function firstMatch(text: string, pattern: RegExp): RegExpMatchArray | null {
  pattern.lastIndex = 0;
  const match = pattern.exec(text);
  pattern.lastIndex = 0;
  return match;
}

function amountOf(written: string, lexicon: Lexicon): number | null {
  return /^\d+$/.test(written) ? Number(written) : (lexicon.numbers.get(written) ?? null);
}

function after(today: IsoDate, amount: number, unit: Unit): IsoDate | null {
  switch (unit) {
    case 'day':
      return within(() => addDays(today, amount));
    case 'week':
      return within(() => addDays(today, 7 * amount));
    case 'month':
      return within(() => addMonths(today, amount));
    case 'year':
      return within(() => addMonths(today, 12 * amount));
  }
}

const NONE: DateReading = { kind: 'none' };

/**
 * The date in a message, for a person writing in `locale` (BCP 47: `de-DE`, `en-US`, `en`),
 * on the calendar day `today` (in their time zone: see `todayIn`). Never throws on any text;
 * throws a RangeError when `today` is not an ISO date.
 */
export function parseArchiveDate(text: string, locale: string, today: IsoDate): DateReading {
  const { year, month, day } = calendarDate(today);
  const now: Today = { iso: today, year, month, day };
  const lexicon = LEXICONS[languageOf(locale) ?? 'en'];
  const order = numericDateOrder(locale);

  let work = foldLetters(text).replace(/(\p{N})\. (?=\p{N})/gu, '$1.'); // "20. 12. 2026"
  work = work.replace(lexicon.ignore, (m) => ' '.repeat(m.length));

  // 1. Dates written out, in any of the usual shapes.
  const written: Found[] = [];
  work = scan(work, lexicon.iso, (m) => reading(Number(m[4]), Number(m[3]), Number(m[1]), now), written);
  work = scan(work, lexicon.endOfThisMonth, () => partOfMonth('end', month, year, now), written);
  work = scan(work, lexicon.monthEnd, (m) => partOfMonth('end', lexicon.months.get(m[1]!) ?? 0, m[2] ? fullYear(m[2]) : null, now), written);
  work = scan(work, lexicon.monthMiddle, (m) => partOfMonth('middle', lexicon.months.get(m[1]!) ?? 0, m[2] ? fullYear(m[2]) : null, now), written);
  work = scan(work, lexicon.numericWithYear, (m) => numericReading(Number(m[1]), Number(m[3]), m[2]!, fullYear(m[4]!), order, now), written);
  work = scan(work, lexicon.dayMonthName, (m) => reading(Number(m[1]), lexicon.months.get(m[2]!) ?? 0, m[3] ? fullYear(m[3]) : null, now), written);
  work = scan(work, lexicon.monthNameDay, (m) => reading(Number(m[2]), lexicon.months.get(m[1]!) ?? 0, m[3] ? fullYear(m[3]) : null, now), written);
  work = scan(work, lexicon.numericWithoutYear, (m) => numericReading(Number(m[1]), Number(m[3]), m[2]!, null, order, now), written);
  const explicit = combine(written);
  if (explicit !== null) return explicit;

  // 2. A day of the month alone, with an ordinal: "the 20th" (this month unless it has passed).
  const dayOnly = firstMatch(work, lexicon.dayOnly);
  if (dayOnly) {
    const d = Number(dayOnly[1]);
    const [y, m] = d >= day ? [year, month] : month === 12 ? [year + 1, 1] : [year, month + 1];
    const found = reading(d, m, y, now);
    if (found !== null) return found;
  }

  // 3. A duration, with a weekday to land on: "in 3 weeks", "Sonntag in 3 Wochen".
  const duration = firstMatch(work, lexicon.durationBefore) ?? firstMatch(work, lexicon.durationAfter);
  const weekday = firstMatch(work, lexicon.weekday);
  const weekdayIndex = weekday ? lexicon.weekdays.get(weekday[2]!) : undefined;
  if (duration) {
    const amount = amountOf(duration[1]!, lexicon);
    const unit = lexicon.units.get(duration[2]!);
    const target = amount === null || unit === undefined ? null : after(today, amount, unit);
    if (target !== null) {
      const landed = weekdayIndex === undefined ? target : within(() => weekdayOnOrAfter(target, weekdayIndex));
      if (landed !== null) return { kind: 'date', date: landed };
    }
  }

  // 4. A weekday: the next one after today ("Sunday", "nächsten Sonntag", "dimanche prochain"), the one of next week
  // ("volgende week zondag": on a Tuesday not the coming Sunday but the one after), or the last one ("last Sunday").
  if (weekday && weekdayIndex !== undefined) {
    const past = weekday[1] !== undefined || weekday[3] !== undefined;
    const nextWeek = !past && firstMatch(work, lexicon.nextWeek) !== null;
    const date = within(() =>
      past ? previousWeekdayBefore(today, weekdayIndex) : nextWeek ? weekdayOnOrAfter(nextWeekdayAfter(today, MONDAY), weekdayIndex) : nextWeekdayAfter(today, weekdayIndex),
    );
    if (date !== null) return { kind: 'date', date };
  }

  // 5. Words for days near today.
  const near: [RegExp, number][] = [
    [lexicon.dayAfterTomorrow, 2],
    [lexicon.tomorrow, 1],
    [lexicon.today, 0],
    [lexicon.yesterday, -1],
  ];
  for (const [pattern, offset] of near) {
    if (firstMatch(work, pattern) === null) continue;
    const date = within(() => addDays(today, offset));
    if (date !== null) return { kind: 'date', date };
  }
  return NONE;
}
