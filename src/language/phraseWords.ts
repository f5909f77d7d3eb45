/**
 * Words as messages and phrases are compared: folded text (./textFolding.ts), contractions
 * expanded ("doesnt" → "does not"), stopwords dropped. Phrases and messages go through the
 * same steps, so a phrase matches the words a person types.
 */
import { foldText, splitWords } from './textFolding.js';
import { FILLER, PHRASE_FILES, STOPWORDS } from './vocabulary.js';

/** "doesnt" → ["does", "not"], merged over all languages (the first file naming a word wins). */
const REWRITE = new Map<string, string[]>();
for (const file of PHRASE_FILES) {
  for (const [from, to] of file.rewrite) {
    const key = foldText(from);
    if (!REWRITE.has(key)) REWRITE.set(key, splitWords(foldText(to)));
  }
}

/** Folded words of a text, contractions expanded. */
export function toWords(text: string): string[] {
  const words: string[] = [];
  for (const word of splitWords(foldText(text))) {
    const replacement = REWRITE.get(word);
    if (replacement) words.push(...replacement);
    else words.push(word);
  }
  return words;
}

/** The words that carry meaning: stopwords dropped (unless nothing else is left, as in "y"). */
export function meaningful(words: readonly string[]): string[] {
  const kept = words.filter((word) => !STOPWORDS.has(word));
  return kept.length > 0 ? kept : [...words];
}

/** Politeness, filler or a stopword: a word that does not change what a short answer means. */
export function isFiller(word: string): boolean {
  return FILLER.has(word) || STOPWORDS.has(word);
}
