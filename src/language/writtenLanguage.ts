/**
 * The language a person writes in, when a message says it clearly: the reply follows the
 * person, not the browser ("it says missed the sale" on a Dutch browser is answered in
 * English). A statistical detector (tinyld, limited to the four languages) must agree with
 * the phrase files' own words (guessLanguage) or with the intents that matched, and the
 * message must have words of its own: "ok", "danke", a code, a date or a pasted shop
 * message ("Ihre Fotos sind fast fertig" is the shop speaking) say nothing about the person.
 */
import { detectAll } from 'tinyld';
import en from '../../locales/en.json' with { type: 'json' };
import de from '../../locales/de.json' with { type: 'json' };
import fr from '../../locales/fr.json' with { type: 'json' };
import nl from '../../locales/nl.json' with { type: 'json' };
import { LANGUAGES, type Language } from './languages.js';
import { guessLanguage } from './phraseLanguage.js';
import { foldText, letterWords } from './textFolding.js';

/** Only the start of a message is read: a sentence or two tell the language. */
const SAMPLE = 2000;
/** The detector's score for the winner, and how many times the runner-up's it must be. */
const MIN_ACCURACY = 0.15;
const MIN_LEAD = 2;
/**
 * A lower score will do when the phrase files' words voted for the same language, with a clear
 * lead: "Bonjour, je n'arrive pas à ouvrir la galerie" scores 0.14 for French, the rest far below.
 */
const MIN_ACCURACY_AGREED = 0.1;
const MIN_LEAD_AGREED = 3;
/** Words of the person's own (not of a quoted shop message) needed to tell a language. */
const MIN_OWN_WORDS = 2;

/** The shop's own words per language: its three messages and the buttons naming them. */
const SHOP_WORDS: ReadonlyMap<Language, ReadonlySet<string>> = new Map(
  ([['en', en], ['de', de], ['fr', fr], ['nl', nl]] as const).map(([language, catalog]) => {
    const quoted = (['almost-ready', 'incorrect-code', 'missed-sale'] as const).flatMap((symptom) => [catalog[`shop.${symptom}`], catalog[`symptom.choice.${symptom}`]]);
    return [language, new Set(quoted.flatMap((sentence) => foldText(sentence).split(' ')))];
  }),
);

/** The text without codes, numbers and dates ("20.12.", "MXR29PLT"), which tell no language. */
function withoutNumbers(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => !/\d/.test(word))
    .join(' ');
}

/**
 * The language of the message when it is clearly one of the four, else null (keep the
 * conversation's language). `hints`: languages whose intent phrases matched the message.
 * `kept`: the language the reply is in when the message tells none (the one the
 * conversation keeps, or the channel's); when it is the only one the message could be found
 * in, it is the answer without asking the detector: either answer is replied to in it.
 */
export function writtenLanguage(text: string, hints: readonly Language[] = [], kept: Language | null = null): Language | null {
  // Accents and letters such as ß or ë help both the detector and the phrase vote: the sample keeps them.
  const sample = withoutNumbers(text.slice(0, SAMPLE));
  const words = letterWords(sample);
  if (words.length < MIN_OWN_WORDS) return null;
  // The languages the detector's answer could be accepted for, found first: the detector is
  // the dearest part of a turn, and most answers to a question ("in 3 weeks", "yes please")
  // leave no language it could confirm.
  const guessed = guessLanguage(sample);
  const candidates = LANGUAGES.filter((language) => (language === guessed || hints.includes(language)) && ownWords(words, language) >= MIN_OWN_WORDS);
  if (candidates.length === 0) return null;
  if (kept !== null && candidates.every((language) => language === kept)) return kept;
  const [best, second] = detectAll(sample, { only: [...LANGUAGES] });
  if (best === undefined || !clearWinner(best.accuracy, second?.accuracy ?? 0, best.lang === guessed)) return null;
  return candidates.find((language) => language === best.lang) ?? null;
}

/** Whether the detector's winner is clear: by its own scores, or by a lower one the phrase vote agrees with. */
function clearWinner(accuracy: number, runnerUp: number, phrasesAgree: boolean): boolean {
  if (accuracy >= MIN_ACCURACY && accuracy >= runnerUp * MIN_LEAD) return true;
  return phrasesAgree && accuracy >= MIN_ACCURACY_AGREED && accuracy >= runnerUp * MIN_LEAD_AGREED;
}

/** The words that are not the shop's own words in `language`. */
function ownWords(words: readonly string[], language: Language): number {
  const shop = SHOP_WORDS.get(language) ?? new Set<string>();
  return words.filter((word) => !shop.has(word)).length;
}
