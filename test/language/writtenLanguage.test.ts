import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/language/languages.js';
import { writtenLanguage } from '../../src/language/writtenLanguage.js';

describe('the language a person writes in', () => {
  it.each([
    ['it says missed the sale, code MXR29PLT', 'en'],
    ['when will i get my photos??', 'en'],
    ['it just says my photos are almost ready??', 'en'],
    ['ich will mein Geld zurück', 'de'],
    ['Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT', 'de'],
    ['Mach das für mich', 'de'],
    ['je veux être remboursé', 'fr'],
    ["het zegt dat de foto's bijna klaar zijn", 'nl'],
    ['waar vind ik de code', 'nl'],
  ] as const)('"%s" is clearly %s', (text, language) => {
    expect(writtenLanguage(text)).toBe(language);
  });

  it.each([
    ['ok'],
    ['danke'],
    ['thanks!'],
    ['nee'],
    ['MXR29PLT'],
    ['kdg4 77qp'],
    ['20. Dezember'],
    ['31.11.'],
    // The shop speaking, quoted: it tells the shop's language, not the person's.
    ['Ihre Fotos sind fast fertig'],
    ['Missed the Sale? No Worries - Your Memories Are Safe!'],
    ['Verkauf verpasst'],
    ['Vente manquée ? code VHC7NQ3R'],
    // A job's name is no sentence.
    ['Oak Lane Kindergarten – Spring Portraits 2027'],
    ['Grundschule Am Park – Herbst'],
    [''],
  ])('"%s" says no language: the conversation keeps its own', (text) => {
    expect(writtenLanguage(text)).toBeNull();
  });

  it('the detector alone is not enough: the phrase files or the intents that matched must agree', () => {
    // German to the detector, but a job's name: no word of a phrase file says so.
    expect(writtenLanguage('Kindergarten Sonnenschein Sommerfest')).toBeNull();
    expect(writtenLanguage('Kindergarten Sonnenschein Sommerfest', ['de'] satisfies Language[])).toBe('de');
  });
});
