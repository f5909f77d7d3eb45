/**
 * The language a sentence is most likely written in, judged by the phrase files' own words
 * alone. ./writtenLanguage.ts asks a statistical detector too before the bot follows it.
 */
import { MAX_INPUT } from './phraseMatching.js';
import { LANGUAGES, phraseFiles, type Language } from './phrases.js';
import { rememberRecentTexts } from './recentTexts.js';
import { foldText, splitWords, stripMarkup } from './textFolding.js';
import { LANGUAGE_VOCABULARY } from './vocabulary.js';

const LETTERS: ReadonlyMap<Language, string> = new Map(LANGUAGES.map((language) => [language, phraseFiles()[language].letters]));

/**
 * The language a sentence is most likely written in, or null when unsure. Every word that
 * one of the phrase files knows votes for the languages knowing it (1/n each: "code" is in
 * all four and says little); letters such as ß or é add a vote (at most 2). The winner needs
 * at least one vote and 1.5 times the runner-up's.
 */
export const guessLanguage: (text: string) => Language | null = rememberRecentTexts((text) => {
  const sample = stripMarkup(text.slice(0, MAX_INPUT));
  const score = new Map<Language, number>(LANGUAGES.map((language) => [language, 0]));
  for (const word of splitWords(foldText(sample))) {
    const knowing = LANGUAGES.filter((language) => LANGUAGE_VOCABULARY.get(language)?.has(word));
    for (const language of knowing) score.set(language, (score.get(language) ?? 0) + 1 / knowing.length);
  }
  // Lowercased, not folded: the accents are the hint.
  const lower = sample.normalize('NFC').toLowerCase();
  for (const language of LANGUAGES) {
    const letters = LETTERS.get(language) ?? '';
    if (letters === '') continue;
    let hits = 0;
    for (const character of lower) if (letters.includes(character)) hits++;
    score.set(language, (score.get(language) ?? 0) + Math.min(2, hits));
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 1) return null;
  if (second && best[1] < second[1] * 1.5) return null;
  return best[0];
});
