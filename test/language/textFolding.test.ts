import { describe, expect, it } from 'vitest';
import { foldLetters, foldText } from '../../src/language/textFolding.js';

/**
 * The one folding of the bot: the recognizer reads words (foldText), the date parser and the
 * platform's job search read folded letters with their punctuation (foldLetters); both agree
 * on every letter.
 */
describe('text folding', () => {
  it.each([
    ['Décembre', 'decembre', 'decembre'],
    ['STRASSE Straße ẞ', 'strasse strasse ss', 'strasse strasse ss'],
    ['Œuvre, Ærø, Łódź', 'oeuvre, aero, lodz', 'oeuvre aero lodz'],
    ['20. Dezember', '20. dezember', '20 dezember'],
    ['20.12.2026', '20.12.2026', '20 12 2026'],
    ['Oak Lane Kindergarten – Spring   Portraits', 'oak lane kindergarten - spring portraits', 'oak lane kindergarten spring portraits'],
    ['3−4 weeks', '3-4 weeks', '3 4 weeks'],
    ['it doesn’t say', "it doesn't say", 'it doesnt say'],
    ["code d'accès", "code d'acces", 'code d acces'],
    ['  🙂 ready?!  ', '🙂 ready?!', 'ready'],
  ])('%j → letters %j, words %j', (text, letters, words) => {
    expect(foldLetters(text)).toBe(letters);
    expect(foldText(text)).toBe(words);
  });
});
