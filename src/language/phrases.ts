/**
 * The phrase files: every word and phrase the free-text recognizer knows, one file per
 * language (`locales/<lang>.phrases.json`). They are data, not code, so a translator can
 * add a paraphrase without touching the matcher. Loaded and validated once.
 *
 * Phrase syntax (used in every phrase list):
 * - words separated by spaces; accents, case and punctuation do not matter
 *   ("code d'accès" = "CODE D ACCES");
 * - `word*` matches any word starting with `word` ("archiv*" = archived, archiviert, archivé);
 * - `a|b` matches either word ("code|zugangscode").
 * Stopwords are dropped from phrases and from messages alike, so "talk to a person" also
 * matches "talk to a real person" (the matcher allows a small gap between phrase words).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../projectRoot.js';
import { LANGUAGES, type Language } from './languages.js';

// One list of languages for the whole bot (src/language/languages.ts), offered here too.
export { LANGUAGES, isLanguage, type Language } from './languages.js';

const phrase = z.string().trim().min(1);
const phraseList = z.array(phrase);

/** Weighted phrases of one shop message: strong = the message itself, weak = a hint. */
const symptomPhrases = z.strictObject({
  strong: phraseList,
  medium: phraseList,
  weak: phraseList,
});

/** `whole`: only when the message is nothing but this; `inSentence`: anywhere in a message. */
const commandPhrases = z.strictObject({
  whole: phraseList,
  inSentence: phraseList,
});

export const phraseFileSchema = z.strictObject({
  language: z.enum(LANGUAGES),
  /** Letters only this language uses among the four (a hint for guessLanguage). */
  letters: z.string(),
  /** Very common words, for guessLanguage; also words that are never an access code or a typo. */
  commonWords: phraseList,
  /** Words that carry no meaning for matching (articles, pronouns, auxiliaries): one word each. */
  stopwords: z.array(z.string().regex(/^[^\s*|]+$/u, 'a stopword is one word')),
  /** Politeness and filler that do not change what a short answer means ("please", "bitte"). */
  filler: phraseList,
  /** One typed word → what it stands for ("doesnt" → "does not"). */
  rewrite: z.array(z.tuple([z.string().regex(/^[^\s*|]+$/u, 'rewrite one word'), phrase])),
  /** What people put around a code when asked for it ("my code is", "c'est"). */
  codeAnswerFiller: phraseList,
  /**
   * Words that name something numbered which is not an access code (a job, an order, an
   * invoice, a class, a phone): never part of a code, and a number right after one is theirs
   * ("job-4102", "Auftrag 4102"). One word each; not used to guess the language.
   */
  referenceWords: z.array(z.string().regex(/^[^\s*|]+$/u, 'a reference word is one word')),
  /** Words that, right before a shop-message phrase, cancel it ("it doesn't say almost ready"). */
  negations: phraseList,
  symptoms: z.strictObject({
    'almost-ready': symptomPhrases,
    'incorrect-code': symptomPhrases,
    'missed-sale': symptomPhrases,
    /** Button labels and answers that mean "none of the three messages". */
    otherLabels: phraseList,
    /**
     * What people say about themselves whose words would read as a shop message ("I'm not
     * ready to order yet" is not "almost ready"): those words count for no message.
     */
    aboutThePerson: phraseList,
    /**
     * Screens that are none of the three messages ("the gallery is empty", "a blank page"):
     * a first message saying one has told what the person sees.
     */
    otherScreens: phraseList,
  }),
  commands: z.strictObject({
    help: commandPhrases,
    restart: commandPhrases,
    agent: commandPhrases,
  }),
  yesNo: z.strictObject({ yes: phraseList, no: phraseList }),
  roles: z.strictObject({ customer: phraseList, photographer: phraseList }),
  jobStatus: z.strictObject({
    planning: phraseList,
    selling: phraseList,
    archived: phraseList,
    unknown: phraseList,
  }),
});

export type PhraseFile = z.infer<typeof phraseFileSchema>;

export function phraseFilePath(language: Language): string {
  return join(projectRoot(), 'locales', `${language}.phrases.json`);
}

/** Validates one parsed phrase file; throws one readable line naming the file and the problem. */
export function parsePhraseFile(json: unknown, language: Language, source = `${language}.phrases.json`): PhraseFile {
  const result = phraseFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new Error(`phrases: ${source}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  if (result.data.language !== language) {
    throw new Error(`phrases: ${source}: "language" is "${result.data.language}", expected "${language}"`);
  }
  return result.data;
}

function loadPhraseFile(language: Language): PhraseFile {
  const path = phraseFilePath(language);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`phrases: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePhraseFile(json, language, path);
}

let cache: Readonly<Record<Language, PhraseFile>> | undefined;

/** All four phrase files, read and validated on first use. */
export function phraseFiles(): Readonly<Record<Language, PhraseFile>> {
  cache ??= Object.freeze({
    en: loadPhraseFile('en'),
    de: loadPhraseFile('de'),
    fr: loadPhraseFile('fr'),
    nl: loadPhraseFile('nl'),
  });
  return cache;
}
