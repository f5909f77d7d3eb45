import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDate } from '../../src/domain/archiveDate.js';
import { type DateReading, DatesVocabularySchema, numericDateOrder, parseArchiveDate } from '../../src/language/dateParser.js';
import { LANGUAGES } from '../../src/language/languages.js';
import { projectRoot } from '../../src/projectRoot.js';

/** The fixed clock of these tests: Friday 27 November 2026 (Europe/Berlin). */
const TODAY = '2026-11-27';

const date = (iso: string): DateReading => ({ kind: 'date', date: iso });
const impossible = (day: number, month: number, year: number, suggestions: string[]): DateReading => ({ kind: 'impossible', day, month, year, suggestions });
const ambiguous = (...options: string[]): DateReading => ({ kind: 'ambiguous', options });
const none: DateReading = { kind: 'none' };

const SUNDAY = '2026-11-29'; // the next Sunday after Friday 27.11.
const DEC_20 = date('2026-12-20');
const NOV_31 = impossible(31, 11, 2026, ['2026-11-30', '2026-12-01']); // the design's example
const IN_3_WEEKS = date('2026-12-18');

type Row = [text: string, locale: string, expected: DateReading];

const ENGLISH: Row[] = [
  ['12/20/2026', 'en-US', DEC_20],
  ['20/12/2026', 'en-GB', DEC_20],
  ['2026-12-20', 'en-US', DEC_20],
  ['20.12.2026', 'en-US', DEC_20], // dots are day-month everywhere
  ['12.20.2026', 'en-US', DEC_20], // …unless only the other order makes sense
  ['04.03.2027', 'en-US', date('2027-03-04')],
  ['03/04/2027', 'en-US', date('2027-03-04')],
  ['03/04/2027', 'en-GB', date('2027-04-03')],
  ['03/04/2027', 'en', ambiguous('2027-03-04', '2027-04-03')],
  ['4/3', 'en', ambiguous('2027-03-04', '2027-04-03')], // no year: the next of each
  ['03/04/2027', 'en-CA', ambiguous('2027-03-04', '2027-04-03')],
  ['4/4/2027', 'en', date('2027-04-04')], // both readings agree
  ['20/12/2026', 'en-US', DEC_20], // 20 cannot be a month: the other order
  ['12/20', 'en-US', DEC_20],
  ['13/4', 'en', date('2027-04-13')],
  ['20 Dec', 'en-GB', DEC_20],
  ['Dec 20', 'en-US', DEC_20],
  ['December 20th', 'en-US', DEC_20],
  ['december 20th, 2026', 'en-US', DEC_20],
  ['DECEMBER 20', 'en-US', DEC_20],
  ['dec. 20', 'en-US', DEC_20],
  ['20-Dec-2026', 'en-GB', DEC_20],
  ["20 Dec '26", 'en-GB', DEC_20],
  ["let's say the 20th of December", 'en-GB', DEC_20],
  ['Sunday the 6th of December please', 'en-GB', date('2026-12-06')],
  ['the 20th', 'en-US', DEC_20], // this month has passed the 20th: next month
  ['Sunday', 'en-US', date(SUNDAY)],
  ['next Sunday', 'en-US', date(SUNDAY)],
  ['this sunday', 'en-GB', date(SUNDAY)],
  ['last Sunday', 'en-US', date('2026-11-22')], // read as written; checkArchiveDate refuses it
  ['tomorrow', 'en-US', date('2026-11-28')],
  ['the day after tomorrow', 'en-US', date('2026-11-29')],
  ['today', 'en-US', date(TODAY)],
  ['yesterday', 'en-US', date('2026-11-26')],
  ['in 3 weeks', 'en-US', IN_3_WEEKS],
  ['in three weeks', 'en-GB', IN_3_WEEKS],
  ['In Three Weeks', 'en-US', IN_3_WEEKS],
  ['in a week', 'en-US', date('2026-12-04')],
  ['in 10 days', 'en-US', date('2026-12-07')],
  ['in 2 months', 'en-US', date('2027-01-27')],
  ['3 weeks from now', 'en-US', IN_3_WEEKS],
  ['Sunday in 3 weeks', 'en-US', DEC_20], // the first Sunday from three weeks on
  ['May 31', 'en-US', date('2027-05-31')], // year inferred: next May
  ['Nov 27', 'en-US', date(TODAY)], // today is not in the past
  ['Nov 26', 'en-US', date('2027-11-26')],
  ['november 31', 'en-US', NOV_31],
  ['2/30/2027', 'en-US', impossible(30, 2, 2027, ['2027-02-28', '2027-03-01'])],
  ['2027-02-29', 'en', impossible(29, 2, 2027, ['2027-02-28', '2027-03-01'])],
  ['2028-02-29', 'en', date('2028-02-29')],
  ['the 31st', 'en-US', NOV_31],
  ['hello there', 'en-US', none],
  ['', 'en-US', none],
  ['in 2.5 weeks', 'en-US', none], // not "2 May"
  ['13/13/2026', 'en-US', none],
  ['version 1.2.3', 'en-US', none],
  ['call me at 10:30', 'en-US', none],
  ['December 2026', 'en-US', none], // no day
  ['tmrw', 'en-US', date('2026-11-28')],
];

const GERMAN: Row[] = [
  ['20.12.2026', 'de-DE', DEC_20],
  ['20.12.', 'de-DE', DEC_20],
  ['20.12', 'de-DE', DEC_20],
  ['20.12.26', 'de-DE', DEC_20],
  ['20. 12. 2026', 'de-DE', DEC_20],
  ['2026-12-20', 'de-DE', DEC_20],
  ['20/12/2026', 'de-DE', DEC_20],
  ['So 6.12.', 'de-DE', date('2026-12-06')], // the text of the suggestion button
  ['20. Dezember', 'de-DE', DEC_20],
  ['20.Dezember 2026', 'de-DE', DEC_20],
  ['20. dez', 'de-DE', DEC_20],
  ['3. März', 'de-DE', date('2027-03-03')],
  ['3. Maerz', 'de-DE', date('2027-03-03')],
  ['3. marz', 'de-DE', date('2027-03-03')],
  ['bis zum 20.12. bitte', 'de-DE', DEC_20],
  ['Sonntag', 'de-DE', date(SUNDAY)],
  ['nächsten Sonntag', 'de-DE', date(SUNDAY)],
  ['naechsten sonntag', 'de-DE', date(SUNDAY)],
  ['letzten Sonntag', 'de-DE', date('2026-11-22')],
  ['morgen', 'de-DE', date('2026-11-28')],
  ['übermorgen', 'de-DE', date('2026-11-29')],
  ['heute', 'de-DE', date(TODAY)],
  ['in 2 Wochen', 'de-DE', date('2026-12-11')],
  ['in zwei Wochen', 'de-DE', date('2026-12-11')],
  ['in einer Woche', 'de-DE', date('2026-12-04')],
  ['in 10 Tagen', 'de-DE', date('2026-12-07')],
  ['Sonntag in 3 Wochen', 'de-DE', DEC_20],
  ['31.11.', 'de-DE', NOV_31],
  ['31.02.2027', 'de-DE', impossible(31, 2, 2027, ['2027-02-28', '2027-03-01'])],
  ['29.02.', 'de-DE', impossible(29, 2, 2027, ['2027-02-28', '2027-03-01'])], // next February has no 29th
  ['29.02.2028', 'de-DE', date('2028-02-29')],
  ['vom 13.12. bis 20.12.', 'de-DE', ambiguous('2026-12-13', '2026-12-20')],
  ['31.11., nein, 30.11.', 'de-DE', date('2026-11-30')], // a real date wins over an impossible one
  ['Guten Morgen!', 'de-DE', none],
  ['um 10.30 Uhr', 'de-DE', none],
  ['keine Ahnung', 'de-DE', none],
  ['32.12.2026', 'de-DE', none],
];

const FRENCH: Row[] = [
  ['20/12/2026', 'fr-FR', DEC_20],
  ['20/12', 'fr-FR', DEC_20],
  ['20.12.2026', 'fr-FR', DEC_20],
  ['2026-12-20', 'fr-FR', DEC_20],
  ['03/04/2027', 'fr-FR', date('2027-04-03')],
  ['20 décembre', 'fr-FR', DEC_20],
  ['20 decembre', 'fr-FR', DEC_20],
  ['20 DÉCEMBRE 2026', 'fr-FR', DEC_20],
  ['le 20 déc.', 'fr-FR', DEC_20],
  ['1er décembre', 'fr-FR', date('2026-12-01')],
  ['dimanche 20 décembre', 'fr-FR', DEC_20],
  ['7 sept', 'fr-FR', date('2027-09-07')],
  ['15 août', 'fr-FR', date('2027-08-15')],
  ['15 aout', 'fr-FR', date('2027-08-15')],
  ['dimanche', 'fr-FR', date(SUNDAY)],
  ['dimanche prochain', 'fr-FR', date(SUNDAY)],
  ['dimanche dernier', 'fr-FR', date('2026-11-22')],
  ['demain', 'fr-FR', date('2026-11-28')],
  ['après-demain', 'fr-FR', date('2026-11-29')],
  ["aujourd'hui", 'fr-FR', date(TODAY)],
  ['aujourd’hui', 'fr-FR', date(TODAY)],
  ['dans 3 semaines', 'fr-FR', IN_3_WEEKS],
  ['dans trois semaines', 'fr-FR', IN_3_WEEKS],
  ['dans sept semaines', 'fr-FR', date('2027-01-15')], // "sept" the number, not September
  ['dans un an', 'fr-FR', date('2027-11-27')],
  ['31 novembre', 'fr-FR', NOV_31],
  ['30/02/2027', 'fr-FR', impossible(30, 2, 2027, ['2027-02-28', '2027-03-01'])],
  ['bonjour', 'fr-FR', none],
  ['je ne sais pas', 'fr-FR', none],
];

const DUTCH: Row[] = [
  ['20-12-2026', 'nl-NL', DEC_20],
  ['20-12', 'nl-NL', DEC_20],
  ['20-12-26', 'nl-NL', DEC_20],
  ['20.12.2026', 'nl-NL', DEC_20],
  ['20/12/2026', 'nl-NL', DEC_20],
  ['2026-12-20', 'nl-NL', DEC_20],
  ['03-04-2027', 'nl-NL', date('2027-04-03')],
  ['20 december', 'nl-NL', DEC_20],
  ['20 December 2026', 'nl-NL', DEC_20],
  ['zondag 20 december', 'nl-NL', DEC_20],
  ['20 dec', 'nl-NL', DEC_20],
  ['1 mrt', 'nl-NL', date('2027-03-01')],
  ['12 mei', 'nl-NL', date('2027-05-12')],
  ['zondag', 'nl-NL', date(SUNDAY)],
  ['volgende zondag', 'nl-NL', date(SUNDAY)],
  ['vorige zondag', 'nl-NL', date('2026-11-22')],
  // A weekday of next week (Monday to Sunday), not the coming one.
  ['volgende week zondag', 'nl-NL', date('2026-12-06')],
  ['hmm doe toch maar volgende week zondag', 'nl-NL', date('2026-12-06')],
  ['nächste Woche Sonntag', 'de-DE', date('2026-12-06')],
  ['Sonntag nächste Woche', 'de-DE', date('2026-12-06')],
  ['dimanche de la semaine prochaine', 'fr-FR', date('2026-12-06')],
  ['next week Sunday', 'en-GB', date('2026-12-06')],
  ['next week monday', 'en-GB', date('2026-11-30')],
  ['morgen', 'nl-NL', date('2026-11-28')],
  ['overmorgen', 'nl-NL', date('2026-11-29')],
  ['vandaag', 'nl-NL', date(TODAY)],
  ['over 3 weken', 'nl-NL', IN_3_WEEKS],
  ['over drie weken', 'nl-NL', IN_3_WEEKS],
  ['over een week', 'nl-NL', date('2026-12-04')],
  ['over 10 dagen', 'nl-NL', date('2026-12-07')],
  ['31 november', 'nl-NL', NOV_31],
  ['31-11', 'nl-NL', NOV_31],
  ['goedemorgen', 'nl-NL', none],
  ['goede morgen', 'nl-NL', none],
  ['geen idee', 'nl-NL', none],
  ['in 10-12 dagen', 'nl-NL', none], // a range of days, not 10 December
];

/** The end or middle of a month, in every language: its Sunday there (the platform's recommended deadline). */
const MONTH_PARTS: Row[] = [
  ['Ende Januar', 'de-DE', date('2027-01-31')], // a Sunday itself
  ['hmm nee, doch lieber bis Ende Januar', 'de-DE', date('2027-01-31')],
  ['Mitte Jänner', 'de-AT', date('2027-01-17')], // the Sunday nearest the 15th
  ['Ende Februar 2028', 'de-DE', date('2028-02-27')], // the last Sunday, not Tuesday the 29th
  ['Ende des Monats', 'de-DE', date('2026-11-29')],
  ['fin janvier', 'fr-FR', date('2027-01-31')],
  ["fin d'avril", 'fr-FR', date('2027-04-25')],
  ['mi-janvier', 'fr-FR', date('2027-01-17')],
  ['fin du mois', 'fr-FR', date('2026-11-29')],
  ['end of January', 'en-US', date('2027-01-31')],
  ['mid december', 'en-GB', date('2026-12-13')],
  ['end of the month', 'en-US', date('2026-11-29')],
  ['eind januari', 'nl-NL', date('2027-01-31')],
  ['half januari', 'nl-NL', date('2027-01-17')],
  ['eind van de maand', 'nl-NL', date('2026-11-29')],
  // This month's end is still ahead; this month's middle has passed, so next year's.
  ['Ende November', 'de-DE', date('2026-11-29')],
  ['Mitte November', 'de-DE', date('2027-11-14')],
  ['Ende Januar oder Mitte Februar', 'de-DE', ambiguous('2027-01-31', '2027-02-14')],
  ['the end', 'en-US', none],
  ['fin', 'fr-FR', none],
];

describe.each([
  ['English', ENGLISH],
  ['German', GERMAN],
  ['French', FRENCH],
  ['Dutch', DUTCH],
  ['the end or middle of a month', MONTH_PARTS],
])('parseArchiveDate: %s', (_language, rows) => {
  it('has a table of at least 15 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });
  it.each(rows)('%j (%s)', (text, locale, expected) => {
    expect(parseArchiveDate(text, locale, TODAY)).toEqual(expected);
  });
});

describe('parseArchiveDate: the end or middle of a month', () => {
  it("the end of this month asked on its last Sunday or later is the month's last day", () => {
    expect(parseArchiveDate('Ende des Monats', 'de-DE', '2026-11-29')).toEqual(date('2026-11-30'));
    expect(parseArchiveDate('end of the month', 'en-US', '2026-11-30')).toEqual(date('2026-11-30'));
    expect(parseArchiveDate('Ende November 2026', 'de-DE', '2026-11-30')).toEqual(date('2026-11-30'));
  });
  it("a month's middle whose Sunday has passed is next year's, even while the 15th is still ahead", () => {
    // 12 December 2027 is the Sunday nearest the 15th.
    expect(parseArchiveDate('Mitte Dezember', 'de-DE', '2027-12-13')).toEqual(date('2028-12-17'));
    expect(parseArchiveDate('mid december', 'en-US', '2027-12-12')).toEqual(date('2027-12-12'));
  });
  it('a written year is kept, so a passed Sunday is read as it is and refused later for being past', () => {
    expect(parseArchiveDate('Mitte Dezember 2027', 'de-DE', '2027-12-13')).toEqual(date('2027-12-12'));
    expect(parseArchiveDate('fin octobre 2027', 'fr-FR', '2027-12-13')).toEqual(date('2027-10-31'));
  });
});

describe('parseArchiveDate across languages', () => {
  it('knows month names of every language, whatever the locale', () => {
    expect(parseArchiveDate('20 Dezember', 'en-US', TODAY)).toEqual(DEC_20);
    expect(parseArchiveDate('20 décembre', 'nl-NL', TODAY)).toEqual(DEC_20);
    expect(parseArchiveDate('20 december', 'de-DE', TODAY)).toEqual(DEC_20);
  });
  it('understands English words in the other languages, but not the other way round', () => {
    expect(parseArchiveDate('next Sunday', 'de-DE', TODAY)).toEqual(date(SUNDAY));
    expect(parseArchiveDate('in 3 weeks', 'fr-FR', TODAY)).toEqual(IN_3_WEEKS);
    expect(parseArchiveDate('Sonntag', 'en-US', TODAY)).toEqual(none);
  });
  it('keeps each language’s meaning of a shared word: German "hier" is here, not yesterday', () => {
    expect(parseArchiveDate('hier', 'fr-FR', TODAY)).toEqual(date('2026-11-26'));
    expect(parseArchiveDate('hier', 'de-DE', TODAY)).toEqual(none);
  });
  it('falls back to English for a language it does not speak', () => {
    expect(parseArchiveDate('20 Dec', 'es-ES', TODAY)).toEqual(DEC_20);
    expect(parseArchiveDate('03/04/2027', 'es-ES', TODAY)).toEqual(date('2027-04-03'));
    expect(parseArchiveDate('03/04/2027', 'not a locale', TODAY)).toEqual(ambiguous('2027-03-04', '2027-04-03'));
  });
  it('infers the year from today', () => {
    expect(parseArchiveDate('20.12.', 'de-DE', '2026-12-21')).toEqual(date('2027-12-20'));
    expect(parseArchiveDate('20.12.', 'de-DE', '2026-12-20')).toEqual(date('2026-12-20'));
    expect(parseArchiveDate('1.1.', 'de-DE', '2026-12-31')).toEqual(date('2027-01-01'));
    expect(parseArchiveDate('29.02.', 'de-DE', '2027-03-01')).toEqual(date('2028-02-29'));
    expect(parseArchiveDate('1.1.', 'de-DE', '9999-12-31')).toEqual(none); // year 10000
  });
  it('refuses a today that is not an ISO date', () => {
    expect(() => parseArchiveDate('20.12.', 'de-DE', '27.11.2026')).toThrow(RangeError);
  });
});

describe('the date vocabularies (locales/<language>.dates.json)', () => {
  const vocabulary = (language: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(projectRoot(import.meta.url), 'locales', `${language}.dates.json`), 'utf8')) as Record<string, unknown>;

  it.each(LANGUAGES)('%s is valid', (language) => {
    expect(DatesVocabularySchema.safeParse(vocabulary(language)).success).toBe(true);
  });
  it('refuses a year without twelve months, unknown keys and a word with two meanings', () => {
    const en = vocabulary('en');
    const months = en.months as string[][];
    expect(DatesVocabularySchema.safeParse({ ...en, months: months.slice(1) }).success).toBe(false);
    expect(DatesVocabularySchema.safeParse({ ...en, monts: [] }).success).toBe(false);
    expect(DatesVocabularySchema.safeParse({ ...en, months: [[...months[0]!, 'Dec'], ...months.slice(1)] }).success).toBe(false);
    expect(DatesVocabularySchema.safeParse({ ...en, numbers: { ...(en.numbers as object), twelve: 13 } }).success).toBe(false);
  });
});

describe('numericDateOrder', () => {
  it.each([
    ['en-US', 'month-day'],
    ['en-PH', 'month-day'],
    ['en_US', 'month-day'],
    ['en-GB', 'day-month'],
    ['en-AU', 'day-month'],
    ['en-IE', 'day-month'],
    ['en-CA', 'ambiguous'],
    ['en', 'ambiguous'],
    ['de-DE', 'day-month'],
    ['de', 'day-month'],
    ['fr-FR', 'day-month'],
    ['fr-CA', 'day-month'],
    ['nl-NL', 'day-month'],
    ['nl-BE', 'day-month'],
    ['', 'ambiguous'],
  ])('%s: %s', (locale, order) => {
    expect(numericDateOrder(locale)).toBe(order);
  });
});

describe('parseArchiveDate: properties', () => {
  const FIRST = '0001-01-01';
  const anyDate = fc.integer({ min: 0, max: daysBetween(FIRST, '9999-12-31') }).map((n) => addDays(FIRST, n));
  const parts = (iso: string) => iso.split('-').map(Number) as [number, number, number];
  const LOCALES = ['en-US', 'en-GB', 'en', 'de-DE', 'fr-FR', 'nl-NL'];

  it('reads back every date written d.M.yyyy and yyyy-MM-dd, in every locale', () => {
    fc.assert(
      fc.property(anyDate, fc.constantFrom(...LOCALES), (iso, locale) => {
        const [y, m, d] = parts(iso);
        expect(parseArchiveDate(`${d}.${m}.${String(y).padStart(4, '0')}`, locale, TODAY)).toEqual(date(iso));
        expect(parseArchiveDate(iso, locale, TODAY)).toEqual(date(iso));
      }),
    );
  });

  it('reads back every date written M/d/yyyy in en-US and d/M/yyyy in en-GB', () => {
    fc.assert(
      fc.property(anyDate, (iso) => {
        const [y, m, d] = parts(iso);
        const year = String(y).padStart(4, '0');
        expect(parseArchiveDate(`${m}/${d}/${year}`, 'en-US', TODAY)).toEqual(date(iso));
        expect(parseArchiveDate(`${d}/${m}/${year}`, 'en-GB', TODAY)).toEqual(date(iso));
      }),
    );
  });

  it('reads a date inside a sentence', () => {
    fc.assert(
      fc.property(anyDate, fc.constantFrom('bis zum ', 'let us say ', 'le ', 'op '), fc.constantFrom(' bitte', '!', '.', ' ok?'), (iso, before, after) => {
        const [y, m, d] = parts(iso);
        expect(parseArchiveDate(`${before}${d}.${m}.${String(y).padStart(4, '0')}${after}`, 'de-DE', TODAY)).toEqual(date(iso));
      }),
    );
  });

  it('completes a date without a year to one that is not in the past', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 730 }), (n) => {
        const iso = addDays(TODAY, n);
        const [, m, d] = parts(iso);
        const reading = parseArchiveDate(`${d}.${m}.`, 'de-DE', TODAY);
        if (m === 2 && d === 29) return; // 29.02. means the next February, which may lack it
        expect(reading.kind).toBe('date');
        if (reading.kind === 'date') {
          expect(daysBetween(TODAY, reading.date)).toBeGreaterThanOrEqual(0);
          expect(daysBetween(TODAY, reading.date)).toBeLessThan(366);
        }
      }),
    );
  });

  /** A reading is well formed: real dates only, options sorted and distinct. */
  function wellFormed(reading: DateReading): void {
    switch (reading.kind) {
      case 'date':
        expect(isIsoDate(reading.date)).toBe(true);
        break;
      case 'ambiguous':
        expect(reading.options.length).toBeGreaterThan(1);
        reading.options.forEach((o) => expect(isIsoDate(o)).toBe(true));
        expect([...new Set(reading.options)].sort()).toEqual(reading.options);
        break;
      case 'impossible':
        expect(reading.month).toBeGreaterThanOrEqual(1);
        expect(reading.month).toBeLessThanOrEqual(12);
        reading.suggestions.forEach((s) => expect(isIsoDate(s)).toBe(true));
        break;
      case 'none':
        break;
    }
  }

  const LOCALE = fc.constantFrom(...LOCALES, 'es-ES', '', 'xx_YY', 'en-Latn-US');
  const DATEISH = fc.constantFrom(
    '1', '2', '12', '20', '31', '2026', '99', '.', '/', '-', ' ', ',', "'", ':', 'st', 'th', 'er', 'e',
    'dec', 'december', 'dezember', 'décembre', 'mei', 'may', 'sept', 'in', 'dans', 'over', 'a', 'drei',
    'weeks', 'wochen', 'jours', 'dagen', 'sunday', 'sonntag', 'dimanche', 'zondag', 'last', 'dernier',
    'tomorrow', 'morgen', 'übermorgen', 'hier', 'the', 'of', '\u00a0', '\u2013', 'İ', 'ß', '２０',
  );

  it('never throws on arbitrary text, and answers only real dates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), LOCALE, (text, locale) => {
        wellFormed(parseArchiveDate(text, locale, TODAY));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(DATEISH, { maxLength: 40 }).map((t) => t.join('')), LOCALE, (text, locale) => {
        wellFormed(parseArchiveDate(text, locale, TODAY));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on 10,000 characters, and stays fast', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_000 }),
          fc.array(DATEISH, { minLength: 4000, maxLength: 4000 }).map((t) => t.join('').slice(0, 10_000)),
        ),
        LOCALE,
        (text, locale) => {
          const started = performance.now();
          wellFormed(parseArchiveDate(text, locale, TODAY));
          // A guard against catastrophic backtracking (minutes), with a wide margin over the
          // milliseconds a busy machine takes: not a speed test (those are benchmarks).
          expect(performance.now() - started).toBeLessThan(10_000);
        },
      ),
      { numRuns: 30 },
    );
    for (const text of ['1'.repeat(10_000), '1.'.repeat(5_000), '12/'.repeat(3_333), 'in '.repeat(3_333), ' '.repeat(10_000), 'dec 1 '.repeat(1_666)]) {
      wellFormed(parseArchiveDate(text, 'en', TODAY));
    }
  });
});
