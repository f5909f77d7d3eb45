/**
 * The words the phrase files know, as sets of folded words: per language (to guess the
 * language of a message), all together (a known word is never a typo of another word and
 * never an access code), and the special lists of filler and stopwords.
 */
import { LANGUAGES, phraseFiles, type Language, type PhraseFile } from './phrases.js';
import { foldText, splitWords } from './textFolding.js';

export const PHRASE_FILES: readonly PhraseFile[] = LANGUAGES.map((language) => phraseFiles()[language]);

/** Words that carry no meaning for matching, in every language. */
export const STOPWORDS: ReadonlySet<string> = new Set(PHRASE_FILES.flatMap((file) => file.stopwords.map(foldText)));

/** Politeness and filler words, in every language. */
export const FILLER: ReadonlySet<string> = new Set(
  PHRASE_FILES.flatMap((file) => file.filler.flatMap((phrase) => splitWords(foldText(phrase)))),
);

/** Every whole word a phrase file names (prefixes are not words); reference words aside. */
function vocabularyOf(file: PhraseFile): Set<string> {
  const symptoms = ['almost-ready', 'incorrect-code', 'missed-sale'] as const;
  const commands = ['help', 'restart', 'agent'] as const;
  const statuses = ['planning', 'selling', 'archived', 'unknown'] as const;
  const phrases = [
    ...file.commonWords,
    ...file.stopwords,
    ...file.filler,
    ...file.codeAnswerFiller,
    ...file.negations,
    ...file.rewrite.flat(),
    ...symptoms.flatMap((symptom) => [...file.symptoms[symptom].strong, ...file.symptoms[symptom].medium, ...file.symptoms[symptom].weak]),
    ...file.symptoms.otherLabels,
    ...file.symptoms.aboutThePerson,
    ...file.symptoms.otherScreens,
    ...commands.flatMap((command) => [...file.commands[command].whole, ...file.commands[command].inSentence]),
    ...file.yesNo.yes,
    ...file.yesNo.no,
    ...file.roles.customer,
    ...file.roles.photographer,
    ...statuses.flatMap((status) => file.jobStatus[status]),
  ];
  const words = new Set<string>();
  for (const phrase of phrases) {
    for (const raw of phrase.split(/\s+/)) {
      if (raw.endsWith('*')) continue; // a prefix is not a word
      for (const alternative of raw.split('|')) for (const word of splitWords(foldText(alternative))) words.add(word);
    }
  }
  return words;
}

/** The words of each language's phrase file, for guessing the language of a message. */
export const LANGUAGE_VOCABULARY: ReadonlyMap<Language, ReadonlySet<string>> = new Map(
  LANGUAGES.map((language) => [language, vocabularyOf(phraseFiles()[language])]),
);

/**
 * Words the phrase files know. A known word is taken as itself, never as a typo of another
 * word ("read" is not "ready", "sale" is not "safe"), and is never an access code.
 */
export const KNOWN_WORDS: ReadonlySet<string> = new Set([...LANGUAGE_VOCABULARY.values()].flatMap((words) => [...words]));

/** Words naming a numbered thing that is not an access code ("job", "Auftrag", "commande"). */
export const REFERENCE_WORDS: ReadonlySet<string> = new Set(PHRASE_FILES.flatMap((file) => file.referenceWords.map(foldText)));

/** What people put around a code when asked for it, with filler and stopwords: one word each. */
export const CODE_ANSWER_FILLER: ReadonlySet<string> = new Set([
  ...PHRASE_FILES.flatMap((file) => file.codeAnswerFiller.flatMap((phrase) => splitWords(foldText(phrase)))),
  ...FILLER,
  ...STOPWORDS,
]);
