import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Language, LANGUAGES } from '../../src/language/languages.js';
import { AUDIENCE_ARGUMENT, localizer, type MessageKey, messageArguments, messageKeys, resolveLocale, translate } from '../../src/language/messages.js';
import { projectRoot } from '../../src/projectRoot.js';

function catalog(language: string): Record<string, string> {
  return JSON.parse(readFileSync(join(projectRoot(), 'locales', `${language}.json`), 'utf8')) as Record<string, string>;
}

/**
 * The ICU arguments of a message, name and kind, sorted. `audience` is left out: every
 * language may choose words by who reads them (German "Sie" and "du") without English doing so.
 */
const argumentsOf = (language: Language, key: string) =>
  messageArguments(language, key as MessageKey)
    .filter(({ name }) => name !== AUDIENCE_ARGUMENT)
    .map(({ name, kind }) => `${name}:${kind}`)
    .sort();

/** Values that are the same word in English and this language. */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  de: ['fact.status', 'date.dayMonth', 'photographer.codeLabel'],
  fr: ['date.dayMonth'],
  nl: ['fact.status', 'guided.job-status.planning', 'status.planning', 'date.dayMonth'],
};

describe('every sentence in every language', () => {
  const english = catalog('en');

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s has exactly the keys of English, in the same order', (language) => {
    expect(Object.keys(catalog(language))).toEqual(Object.keys(english));
    expect(messageKeys(language)).toEqual(Object.keys(english));
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s keeps every ICU argument and translates every sentence', (language) => {
    const translated = catalog(language);
    for (const [key, text] of Object.entries(english)) {
      const value = translated[key] ?? '';
      expect(argumentsOf(language, key), `${language} ${key}`).toEqual(argumentsOf('en', key));
      expect(value.trim(), `${language} ${key} is empty`).not.toBe('');
      if (!(SAME_AS_ENGLISH[language] ?? []).includes(key)) expect(value, `${language} ${key} is still English`).not.toBe(text);
    }
  });

  it.each(LANGUAGES)('%s: every sentence is valid ICU MessageFormat whose apostrophes stay letters', (language) => {
    for (const [key, text] of Object.entries(catalog(language))) {
      // In ICU an apostrophe before a brace, "#" or "|" starts a quoted literal and disappears.
      expect(text, `${language} ${key}`).not.toMatch(/'[{}#|]/);
      expect(() => translate(language, key as MessageKey), `${language} ${key}`).not.toThrow();
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'code.notFound', { code: 'ABCD 1234' })).toBe("I can't find the code ABCD 1234. Please compare it with your card once more.");
    expect(translate('en', 'code.notFound')).toContain('{code}');
  });

  it('counts with the plural rules of each language', () => {
    expect(translate('en', 'plan.title', { count: 1 })).toBe('Fix in one step:');
    expect(translate('en', 'plan.title', { count: 4 })).toBe('Fix in 4 steps:');
    expect(translate('de', 'plan.title', { count: 1 })).toBe('In einem Schritt beheben:');
    expect(translate('de', 'plan.title', { count: 3 })).toBe('In 3 Schritten beheben:');
    expect(translate('fr', 'fact.photos.visible', { count: 1 })).toBe('1 photo masquée → visible');
    expect(translate('fr', 'fact.photos.visible', { count: 12 })).toBe('12 photos masquées → visibles');
    expect(translate('nl', 'fact.photos.visible', { count: 2 })).toBe("2 verborgen foto's → zichtbaar");
  });

  it('speaks to German customers with "Sie" and to photographers with "du"', () => {
    expect(localizer('de-DE', 'customer').t('feedback.question')).toBe('Hat Ihnen das geholfen?');
    expect(localizer('de-DE', 'unknown').t('feedback.question')).toBe('Hat Ihnen das geholfen?');
    expect(localizer('de-DE', 'photographer').t('feedback.question')).toBe('Hat dir das geholfen?');
    let role: 'customer' | 'photographer' | null = null;
    const l = localizer('de-DE', () => role);
    expect(l.t('confirm.retry')).toBe('Bitte antworten Sie mit Ja oder Nein.');
    role = 'photographer';
    expect(l.t('confirm.retry')).toBe('Bitte antworte mit Ja oder Nein.');
  });

  it.each([
    ['en-US', 'A, B, and C', 'A or B'],
    ['en-GB', 'A, B and C', 'A or B'],
    ['de-DE', 'A, B und C', 'A oder B'],
    ['fr-FR', 'A, B et C', 'A ou B'],
    ['nl-NL', 'A, B en C', 'A of B'],
  ])('%s joins lists the way the language does', (locale, and, or) => {
    expect(localizer(locale).list(['A', 'B', 'C'])).toBe(and);
    expect(localizer(locale).list(['A', 'B'], 'or')).toBe(or);
  });
});

describe('locales and dates', () => {
  it('answers in the channel locale when the bot speaks it, else the default', () => {
    expect(resolveLocale('de-AT', 'en-US')).toBe('de-AT');
    expect(resolveLocale('es-ES', 'en-US')).toBe('en-US');
    expect(resolveLocale(undefined, 'fr-FR')).toBe('fr-FR');
    expect(resolveLocale(5, 'nl-NL')).toBe('nl-NL');
    expect(resolveLocale('es-ES', 'pt-BR')).toBe('en-US');
    expect(resolveLocale('<script>', 'en-US')).toBe('en-US');
  });

  it.each([
    ['en-US', 'October 12, 2026', 'Sunday, December 20, 2026', 'Sun, Dec 6', 'Monday, Nov 30'],
    ['en-GB', '12 October 2026', 'Sunday 20 December 2026', 'Sun 6 Dec', 'Monday 30 Nov'],
    ['de-DE', '12. Oktober 2026', 'Sonntag, 20. Dezember 2026', 'So 6.12.', 'Montag, 30.11.'],
    ['fr-FR', '12 octobre 2026', 'dimanche 20 décembre 2026', 'dim. 6 déc.', 'lundi 30 nov.'],
    ['nl-NL', '12 oktober 2026', 'zondag 20 december 2026', 'zo 6 dec.', 'maandag 30 nov.'],
  ])('%s writes dates as people there do', (locale, long, full, short, weekday) => {
    const l = localizer(locale);
    expect(l.longDate('2026-10-12')).toBe(long);
    expect(l.fullDate('2026-12-20')).toBe(full);
    expect(l.shortDate('2026-12-06')).toBe(short);
    expect(l.weekdayDate('2026-11-30')).toBe(weekday);
  });

  it('names a day that does not exist', () => {
    expect(localizer('de-DE').dayMonth(31, 11)).toBe('31. November');
    expect(localizer('en-GB').dayMonth(31, 2)).toBe('31 February');
    expect(localizer('fr-FR').dayMonth(31, 11)).toBe('31 novembre');
  });

  it('French writes the first of a month as an ordinal, and only the first', () => {
    const l = localizer('fr-FR');
    expect([l.longDate('2027-03-01'), l.fullDate('2027-03-01'), l.shortDate('2027-03-01'), l.weekdayDate('2027-03-01'), l.dayMonth(1, 3)]).toEqual([
      '1er mars 2027',
      'lundi 1er mars 2027',
      'lun. 1er mars',
      'lundi 1er mars',
      '1er mars',
    ]);
    expect([l.weekdayDate('2027-03-11'), l.fullDate('2027-03-21'), localizer('fr-CH').longDate('2027-03-01')]).toEqual(['jeudi 11 mars', 'dimanche 21 mars 2027', '1er mars 2027']);
    expect(localizer('de-DE').longDate('2027-03-01')).toBe('1. März 2027');
  });
});

describe('how the bot addresses people', () => {
  const german = catalog('de');
  /** A key belongs to a group by its prefix ("customer.…") or by a role suffix ("….photographer"). */
  const startsWith = (key: string, prefixes: readonly string[]) =>
    prefixes.some((prefix) => key === prefix || key.startsWith(`${prefix}.`) || key.endsWith(`.${prefix}`));
  /** Said only to customers: the diagnosis in their words and the offers made to them. */
  const CUSTOMER = ['customer', 'shop', 'symptom.ack', 'symptom.question', 'code.question', 'code.again', 'code.several', 'code.giveUp', 'code.noneGiven', 'code.sameAsCard', 'notify.offerPhotographer', 'notify.recorded', 'handoff.email'];
  /** Said only to photographers: data, plans, steps and changes. */
  const PHOTOGRAPHER = ['guided', 'scenario', 'fault', 'plan', 'step', 'photographer', 'walk', 'reopen', 'change', 'fact', 'status', 'symptom.questionPhotographer', 'code.questionPhotographer'];
  /** Said before anybody knows who is writing (the Emulator's role question): formal. */
  const NOBODY_YET = ['role'];
  /** The shop's own words, quoted as the shop says them to customers ("Ihre Fotos …"). */
  const QUOTED = ['shop', 'symptom.choice'];
  const shared = Object.keys(german).filter((key) => !startsWith(key, [...CUSTOMER, ...PHOTOGRAPHER, ...NOBODY_YET, ...QUOTED]));
  const informal = /\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b/i;
  /** "Ihnen", "Ihr…", or "Sie" after a lower-case word (not "they" at the start of a sentence). */
  const formal = /\b(Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b|[a-zäöüß,] Sie\b/;

  it('German customers are always addressed with "Sie", never with "du"', () => {
    const l = localizer('de-DE', 'customer');
    for (const key of Object.keys(german).filter((key) => !startsWith(key, PHOTOGRAPHER))) {
      expect(l.t(key as MessageKey, { photos: 'ready' }), `${key} is said to customers (a photographer-only key belongs in PHOTOGRAPHER above, or ends in ".photographer")`).not.toMatch(informal);
    }
    expect(l.t('customer.job-in-planning', { photos: 'ready' })).toMatch(formal);
  });

  it('German photographers are addressed with "du", never with "Sie"', () => {
    const l = localizer('de-DE', 'photographer');
    for (const key of Object.keys(german).filter((key) => !startsWith(key, [...CUSTOMER, ...NOBODY_YET, ...QUOTED]))) {
      // Quotations of the shop („Ihre Fotos sind fast fertig“) keep the shop's "Sie".
      expect(l.t(key as MessageKey).replace(/„[^“]*“/gu, ''), `${key} is said to photographers (a customer-only key belongs in CUSTOMER above, or ends in ".customer")`).not.toMatch(formal);
    }
    expect(l.t('photographer.howToFix')).toMatch(informal);
  });

  it('a shared German sentence that addresses the reader has both forms', () => {
    for (const key of shared) {
      const customer = localizer('de-DE', 'customer').t(key as MessageKey);
      const photographer = localizer('de-DE', 'photographer').t(key as MessageKey);
      if (informal.test(photographer) || formal.test(customer)) expect(customer, key).not.toBe(photographer);
    }
  });

  /** Dutch: "je", "jij", "jouw" for photographers; "u", "uw" for customers. */
  const dutch = catalog('nl');
  const jij = /\b(je|jij|jou|jouw|jullie|jezelf)\b/i;
  const u = /\b(u|uw|uzelf)\b/i;
  /** The shop's own words („Je foto's zijn bijna klaar“) keep the shop's "je". */
  const unquoted = (text: string) => text.replace(/“[^”]*”/gu, '');

  it('Dutch customers are always addressed with "u", never with "je"', () => {
    const l = localizer('nl-NL', 'customer');
    for (const key of Object.keys(dutch).filter((key) => !startsWith(key, [...PHOTOGRAPHER, ...QUOTED]))) {
      expect(unquoted(l.t(key as MessageKey, { photos: 'ready' })), `${key} is said to customers`).not.toMatch(jij);
    }
    expect(l.t('customer.job-in-planning', { photos: 'ready' })).toMatch(u);
  });

  it('Dutch photographers are addressed with "je", never with "u"', () => {
    const l = localizer('nl-NL', 'photographer');
    for (const key of Object.keys(dutch).filter((key) => !startsWith(key, [...CUSTOMER, ...NOBODY_YET, ...QUOTED]))) {
      expect(unquoted(l.t(key as MessageKey)), `${key} is said to photographers`).not.toMatch(u);
    }
    expect(l.t('photographer.howToFix')).toMatch(jij);
  });

  it('French uses its typography: a narrow no-break space before ; ! ?, a no-break space before : and inside « »', () => {
    for (const [key, text] of Object.entries(catalog('fr'))) {
      const said = translate('fr', key as MessageKey);
      expect(said, `fr ${key}`).not.toMatch(/[^\u202f][;!?](\s|$)/u);
      expect(said, `fr ${key}`).not.toMatch(/[^\u00a0]:(\s|$)/u);
      expect(said, `fr ${key}`).not.toMatch(/«[^\u00a0]|[^\u00a0]»/u);
      expect(text, `fr ${key} uses English quotation marks`).not.toMatch(/[“”"]/u);
      expect(text, `fr ${key} splits a word for its plural, like "masquée(s)": use an ICU plural`).not.toMatch(/\p{L}\((s|e|es)\)/u);
    }
  });

  it('no language splits a word for its plural or gender ("photo(s)", "Foto(s)")', () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of Object.entries(catalog(language))) expect(text, `${language} ${key}`).not.toMatch(/\p{L}\((s|e|es|en|n)\)/u);
    }
  });
});

describe('a quoted shop message inside a sentence', () => {
  // "…you probably see “Missed the Sale?”." or "…“almost ready.”.": a quote that ends its own
  // sentence is never followed by a second full stop.
  const QUOTING: readonly [string, Record<string, string>][] = [
    ['customer.probablySees', {}],
    ['customer.mismatch', { reported: 'missedSale', code: 'VHC7 NQ3R' }],
    ['customer.mismatch', { reported: 'almostReady', code: 'VHC7 NQ3R' }],
    ['customer.mismatch', { reported: 'incorrectCode', code: 'VHC7 NQ3R' }],
  ];
  it.each(LANGUAGES)('%s: never a full stop right after a quote that ends in its own punctuation', (language) => {
    for (const symptom of ['almost-ready', 'incorrect-code', 'missed-sale'] as const) {
      const message = translate(language, `symptom.choice.${symptom}`);
      for (const [key, values] of QUOTING) {
        const said = translate(language, key as MessageKey, { ...values, message });
        expect(said, `${language} ${key} ${symptom}`).not.toMatch(/[.!?][\u00a0\u202f\s]?[”“»"]\s?\./u);
      }
      const photographer = translate(language, 'scenario.mismatch', { reported: message, expected: message, audience: 'photographer' });
      expect(photographer, `${language} scenario.mismatch ${symptom}`).not.toMatch(/[.!?][\u00a0\u202f\s]?[”“»"]\s?\./u);
    }
  });
});
