/**
 * REFERENCE ONLY, for test/language/phraseIndex.test.ts: the recognizer's phrase matching
 * (now src/language/phraseMatching.ts and the modules using it) as it was before the phrase
 * index, which tried every phrase of all four languages against every word of a message. It reads the same phrase files, so the
 * test can check, on every labelled sentence and their typo variants, that the index changed
 * nothing but the speed. Frozen on purpose: it is the old algorithm, not a second product.
 * If the recognizer's rules themselves change (scores, typo rules),
 * change them here too or retire this reference together with the test.
 */
import { emojiYesNo } from '../../../src/language/answers.js';
import { removeAccessCodes } from '../../../src/language/accessCodes.js';
import type { Role } from '../../../src/domain/roles.js';
import type { Symptom } from '../../../src/domain/symptoms.js';
import { LANGUAGES, phraseFiles, type Language, type PhraseFile } from '../../../src/language/phrases.js';


export type Command = 'help' | 'restart' | 'agent';
export type YesNo = 'yes' | 'no';
export type JobStatusAnswer = 'planning' | 'selling' | 'archived' | 'unknown';

export interface SymptomRecognition {
  symptom: Symptom;
  /** A rough 0–1 score (not a probability): how clearly the text says this. */
  confidence: number;
}

export interface Choice<T extends string> {
  id: T;
  labels: readonly string[];
}

/**
 * Only the first characters of a message are read by the phrase matchers: nobody describes
 * a screen in more, and it keeps a pasted 10 MB page from costing anything.
 */
const MAX_INPUT = 4000;
/** Words allowed between two words of a phrase ("missed *the* sale", "code *is really* wrong"). */
const MAX_GAP = 2;
const SYMPTOM_WEIGHT = { strong: 3, medium: 2, weak: 1 } as const;
/** One medium phrase is enough; one weak hint ("error", "almost") is not. */
const MIN_SCORE = 2;
/** The winner must beat the runner-up by this much, else saying `other` is safer. */
const MIN_MARGIN = 1;

/* ------------------------------------------------------------------------------------------
 * 1. Folding text into words
 * ---------------------------------------------------------------------------------------- */

/**
 * Lowercase, without accents, punctuation or emoji; ß→ss, œ→oe. English negations stay one
 * word ("doesn't" → "doesnt") so the rewrite table can expand them; other apostrophes split
 * words ("d'accès" → "d acces", "foto's" → "foto s").
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/n't\b/g, 'nt')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function splitWords(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

const FILES: readonly PhraseFile[] = LANGUAGES.map((language) => phraseFiles()[language]);

/** "doesnt" → ["does", "not"], merged over all languages (the first file naming a word wins). */
const REWRITE = new Map<string, string[]>();
for (const file of FILES) {
  for (const [from, to] of file.rewrite) {
    const key = foldText(from);
    if (!REWRITE.has(key)) REWRITE.set(key, splitWords(foldText(to)));
  }
}

const STOPWORDS = new Set(FILES.flatMap((file) => file.stopwords.map(foldText)));
const FILLER = new Set(FILES.flatMap((file) => file.filler.flatMap((phrase) => splitWords(foldText(phrase)))));

/** Folded words of a text, contractions expanded. */
function toWords(text: string): string[] {
  const words: string[] = [];
  for (const word of splitWords(foldText(text))) {
    const replacement = REWRITE.get(word);
    if (replacement) words.push(...replacement);
    else words.push(word);
  }
  return words;
}

/** The words that carry meaning: stopwords dropped (unless nothing else is left, as in "y"). */
function meaningful(words: readonly string[]): string[] {
  const kept = words.filter((word) => !STOPWORDS.has(word));
  return kept.length > 0 ? kept : [...words];
}

function isFiller(word: string): boolean {
  return FILLER.has(word) || STOPWORDS.has(word);
}

/* ------------------------------------------------------------------------------------------
 * 2. Typos
 * ---------------------------------------------------------------------------------------- */

/** Typos tolerated in a word of this length: none below 5 letters, where they make other words. */
function maxTypos(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: one transposition of neighbours
 * counts as one typo). Gives up with `max + 1` as soon as the distance must exceed `max`.
 */
export function typoDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/* ------------------------------------------------------------------------------------------
 * 3. Compiled phrases
 * ---------------------------------------------------------------------------------------- */

/** One way a phrase word can be written: a whole word, or a prefix (`archiv*`). */
interface WordForm {
  text: string;
  prefix: boolean;
}

interface Pattern<L extends string> {
  label: L;
  weight: number;
  /** Each phrase word with its alternatives (`code|zugangscode`). */
  words: WordForm[][];
  source: string;
}

function compilePattern<L extends string>(source: string, label: L, weight = 1): Pattern<L> {
  const slots: { forms: WordForm[]; plainWord: string | null }[] = [];
  for (const raw of source.trim().split(/\s+/)) {
    if (raw.includes('|') || raw.endsWith('*')) {
      const forms = raw.split('|').map((alternative) => {
        const prefix = alternative.endsWith('*');
        const folded = foldText(prefix ? alternative.slice(0, -1) : alternative);
        if (folded === '' || folded.includes(' ')) {
          throw new Error(`phrases: "${source}": "${alternative}" must be a single word`);
        }
        return { text: folded, prefix };
      });
      slots.push({ forms, plainWord: null });
    } else {
      for (const word of toWords(raw)) slots.push({ forms: [{ text: word, prefix: false }], plainWord: word });
    }
  }
  // Stopwords go, as they go from messages; a phrase made only of stopwords keeps them.
  const kept = slots.filter((slot) => slot.plainWord === null || !STOPWORDS.has(slot.plainWord));
  const words = (kept.length > 0 ? kept : slots).map((slot) => slot.forms);
  if (words.length === 0) throw new Error(`phrases: "${source}" has no words`);
  return { label, weight, words, source };
}

function patternKey(pattern: Pattern<string>): string {
  return pattern.words.map((forms) => forms.map((form) => form.text + (form.prefix ? '*' : '')).join('|')).join(' ');
}

/** Deduplicated (the same phrase often appears in two languages) and longest first. */
function compileAll<L extends string>(entries: readonly { label: L; phrases: readonly string[]; weight?: number }[]): Pattern<L>[] {
  const byKey = new Map<string, Pattern<L>>();
  for (const entry of entries) {
    for (const phrase of entry.phrases) {
      const pattern = compilePattern(phrase, entry.label, entry.weight ?? 1);
      const key = `${pattern.label}\u0000${patternKey(pattern)}`;
      const existing = byKey.get(key);
      if (!existing || existing.weight < pattern.weight) byKey.set(key, pattern);
    }
  }
  return [...byKey.values()].sort((a, b) => b.weight - a.weight || b.words.length - a.words.length);
}

const SHOP_SYMPTOMS = ['almost-ready', 'incorrect-code', 'missed-sale'] as const;
type ShopSymptom = (typeof SHOP_SYMPTOMS)[number];

const SYMPTOM_PATTERNS: Readonly<Record<ShopSymptom, Pattern<ShopSymptom>[]>> = {
  'almost-ready': symptomPatterns('almost-ready'),
  'incorrect-code': symptomPatterns('incorrect-code'),
  'missed-sale': symptomPatterns('missed-sale'),
};

function symptomPatterns(symptom: ShopSymptom): Pattern<ShopSymptom>[] {
  return compileAll(
    FILES.flatMap((file) =>
      (['strong', 'medium', 'weak'] as const).map((strength) => ({
        label: symptom,
        phrases: file.symptoms[symptom][strength],
        weight: SYMPTOM_WEIGHT[strength],
      })),
    ),
  );
}

const NEGATION_PATTERNS = compileAll(FILES.map((file) => ({ label: 'negation' as const, phrases: file.negations })));

const OTHER_LABEL_PATTERNS = compileAll(FILES.map((file) => ({ label: 'other' as const, phrases: file.symptoms.otherLabels })));

const ABOUT_THE_PERSON_PATTERNS = compileAll(FILES.map((file) => ({ label: 'person' as const, phrases: file.symptoms.aboutThePerson })));

const COMMANDS = ['help', 'restart', 'agent'] as const;
const COMMAND_WHOLE = compileAll(
  FILES.flatMap((file) => COMMANDS.map((command) => ({ label: command, phrases: file.commands[command].whole }))),
);
const COMMAND_IN_SENTENCE = compileAll(
  FILES.flatMap((file) => COMMANDS.map((command) => ({ label: command, phrases: file.commands[command].inSentence }))),
);
const YES_NO = compileAll(
  FILES.flatMap((file) => [
    { label: 'yes' as const, phrases: file.yesNo.yes },
    { label: 'no' as const, phrases: file.yesNo.no },
  ]),
);
const ROLES = compileAll(
  FILES.flatMap((file) => [
    { label: 'customer' as const, phrases: file.roles.customer },
    { label: 'photographer' as const, phrases: file.roles.photographer },
  ]),
);
const JOB_STATUSES = ['planning', 'selling', 'archived', 'unknown'] as const;
const JOB_STATUS_PATTERNS = compileAll(
  FILES.flatMap((file) => JOB_STATUSES.map((status) => ({ label: status, phrases: file.jobStatus[status] }))),
);

/** Every whole word any phrase file names, per language (guessLanguage) and all together. */
function vocabularyOf(file: PhraseFile): Set<string> {
  const phrases = [
    ...file.commonWords,
    ...file.stopwords,
    ...file.filler,
    ...file.codeAnswerFiller,
    ...file.negations,
    ...file.rewrite.flat(),
    ...SHOP_SYMPTOMS.flatMap((symptom) => [
      ...file.symptoms[symptom].strong,
      ...file.symptoms[symptom].medium,
      ...file.symptoms[symptom].weak,
    ]),
    ...file.symptoms.otherLabels,
    ...file.symptoms.otherScreens,
    ...COMMANDS.flatMap((command) => [...file.commands[command].whole, ...file.commands[command].inSentence]),
    ...file.yesNo.yes,
    ...file.yesNo.no,
    ...file.roles.customer,
    ...file.roles.photographer,
    ...JOB_STATUSES.flatMap((status) => file.jobStatus[status]),
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

const LANGUAGE_VOCABULARY: ReadonlyMap<Language, Set<string>> = new Map(
  LANGUAGES.map((language) => [language, vocabularyOf(phraseFiles()[language])]),
);

/**
 * Words the phrase files know. A known word is taken as itself, never as a typo of another
 * word ("read" is not "ready", "sale" is not "safe"), and is never an access code.
 */
const KNOWN_WORDS = new Set([...LANGUAGE_VOCABULARY.values()].flatMap((words) => [...words]));

/* ------------------------------------------------------------------------------------------
 * 4. Matching phrases against words
 * ---------------------------------------------------------------------------------------- */

const NO_MATCH = 0;
/** A typo of a word the phrase files also know: only trusted next to an exact word. */
const TYPO_OF_KNOWN = 1;
const TYPO = 2;
const EXACT = 3;

/** How well a typed word fits one phrase word; memoised per call (messages repeat words). */
class WordMatcher {
  private readonly memo = new Map<string, number>();

  quality(word: string, forms: readonly WordForm[]): number {
    let best = NO_MATCH;
    for (const form of forms) {
      const key = `${word}\u0000${form.text}\u0000${form.prefix ? '*' : ''}`;
      let quality = this.memo.get(key);
      if (quality === undefined) {
        quality = wordQuality(word, form);
        this.memo.set(key, quality);
      }
      if (quality > best) best = quality;
    }
    return best;
  }
}

function wordQuality(word: string, form: WordForm): number {
  if (form.prefix ? word.startsWith(form.text) : word === form.text) return EXACT;
  // Typos: only in words of 4+ letters that start with the right letter (first letters are
  // rarely mistyped, and the rule keeps short words from matching each other).
  if (word.length < 4 || word[0] !== form.text[0]) return NO_MATCH;
  let typos: number;
  let distance: number;
  if (form.prefix) {
    // Compare the beginning of the word; prefixes shorter than 6 letters get no typos
    // ("expir*" must not take "expert").
    typos = form.text.length >= 6 ? maxTypos(form.text.length) : 0;
    if (typos === 0) return NO_MATCH;
    distance = Math.min(
      ...[form.text.length - 1, form.text.length, form.text.length + 1]
        .filter((length) => length <= word.length)
        .map((length) => typoDistance(word.slice(0, length), form.text, typos)),
      typos + 1,
    );
  } else {
    typos = maxTypos(Math.max(form.text.length, word.length));
    if (typos === 0) return NO_MATCH;
    distance = typoDistance(word, form.text, typos);
  }
  if (distance > typos) return NO_MATCH;
  return KNOWN_WORDS.has(word) ? TYPO_OF_KNOWN : TYPO;
}

/**
 * Where `pattern` occurs in `words` (positions of its words), skipping words already used by
 * another phrase; null when it does not. `allowTypos: false` accepts exact and prefix matches only.
 */
function findPattern(
  words: readonly string[],
  pattern: Pattern<string>,
  used: readonly boolean[],
  matcher: WordMatcher,
  gap = MAX_GAP,
  allowTypos = true,
): number[] | null {
  const minimum = allowTypos ? TYPO_OF_KNOWN : EXACT;
  const [first, ...rest] = pattern.words;
  if (!first) return null;
  starts: for (let start = 0; start < words.length; start++) {
    if (used[start]) continue;
    const startQuality = matcher.quality(words[start] ?? '', first);
    if (startQuality < minimum) continue;
    const positions = [start];
    let exact = startQuality === EXACT ? 1 : 0;
    let typoOfKnown = startQuality === TYPO_OF_KNOWN ? 1 : 0;
    let previous = start;
    for (const forms of rest) {
      let found = -1;
      for (let j = previous + 1; j < words.length && j <= previous + 1 + gap; j++) {
        if (used[j]) continue;
        const quality = matcher.quality(words[j] ?? '', forms);
        if (quality >= minimum) {
          found = j;
          if (quality === EXACT) exact++;
          if (quality === TYPO_OF_KNOWN) typoOfKnown++;
          break;
        }
      }
      if (found < 0) continue starts;
      positions.push(found);
      previous = found;
    }
    // A known word read as a typo ("klar" for "klaar") needs an exact neighbour ("bijna").
    if (typoOfKnown > 0 && (pattern.words.length < 2 || exact === 0)) continue;
    return positions;
  }
  return null;
}

interface Coverage<L extends string> {
  labels: Set<L>;
  used: boolean[];
}

/** Matches the patterns (longest first) without letting two phrases share a word. */
function cover<L extends string>(words: readonly string[], patterns: readonly Pattern<L>[], gap: number, allowTypos = true): Coverage<L> {
  const matcher = new WordMatcher();
  const used = words.map(() => false);
  const labels = new Set<L>();
  const ordered = [...patterns].sort((a, b) => b.words.length - a.words.length);
  for (const pattern of ordered) {
    for (;;) {
      const positions = findPattern(words, pattern, used, matcher, gap, allowTypos);
      if (!positions) break;
      for (const position of positions) used[position] = true;
      labels.add(pattern.label);
    }
  }
  return { labels, used };
}

/** The one label the message consists of (everything else is filler), or null. */
function wholeMessage<L extends string>(words: readonly string[], patterns: readonly Pattern<L>[]): L | null {
  if (words.length === 0) return null;
  const { labels, used } = cover(words, patterns, 1);
  if (labels.size !== 1) return null;
  const everythingElseIsFiller = words.every((word, index) => used[index] || isFiller(word));
  return everythingElseIsFiller ? ([...labels][0] ?? null) : null;
}

/** The single label found anywhere in the message; exact words first, typos only if none. */
function singleLabelAnywhere<L extends string>(words: readonly string[], patterns: readonly Pattern<L>[]): L | null {
  for (const allowTypos of [false, true]) {
    const { labels } = cover(words, patterns, MAX_GAP, allowTypos);
    if (labels.size === 1) return [...labels][0] ?? null;
    if (labels.size > 1) return null;
  }
  return null;
}

function messageWords(text: string): string[] {
  return meaningful(toWords(stripMarkup(text.slice(0, MAX_INPUT))));
}

/**
 * HTML tags, e-mail addresses and links: never a phrase, never an access code. Blanked with
 * as many spaces as they had characters, so positions in the result are positions in the text.
 */
function stripMarkup(text: string): string {
  const blank = (match: string): string => ' '.repeat(match.length);
  return blankEmailAddresses(text.replace(/<[^<>]{0,500}>/g, blank).replace(/\b(?:https?:\/\/|www\.)\S+/gi, blank));
}

/**
 * Blanks every whitespace-delimited word holding an "@". Done by hand: a regex such as
 * /\S+@\S+/ takes quadratic time on a long run of characters without a space.
 */
function blankEmailAddresses(text: string): string {
  let at = text.indexOf('@');
  if (at < 0) return text;
  let result = '';
  let position = 0;
  while (at >= 0) {
    let start = at;
    while (start > position && !/\s/.test(text[start - 1] ?? ' ')) start--;
    let end = at + 1;
    while (end < text.length && !/\s/.test(text[end] ?? ' ')) end++;
    result += text.slice(position, start) + ' '.repeat(end - start);
    position = end;
    at = text.indexOf('@', end);
  }
  return result + text.slice(position);
}

/* ------------------------------------------------------------------------------------------
 * 5. Symptoms
 * ---------------------------------------------------------------------------------------- */

/**
 * Which of the three shop messages the text describes, in any of the four languages;
 * `other` when none, or when the text is unclear or names two of them about equally.
 *
 * confidence: 0.95 for a "something else" answer; for a symptom best/(best+runnerUp+1)
 * (one strong phrase alone: 0.75); for `other` 0.6 when nothing hinted at a symptom, 0.5
 * after a weak hint, 0.3 when two symptoms were too close to call.
 */
export function recognizeSymptom(text: string): SymptomRecognition {
  const words = messageWords(removeAccessCodes(text.slice(0, MAX_INPUT)));
  if (wholeMessage(words, OTHER_LABEL_PATTERNS) === 'other') return { symptom: 'other', confidence: 0.95 };

  const aboutThePerson = cover(words, ABOUT_THE_PERSON_PATTERNS, 0).used;
  const scores = SHOP_SYMPTOMS.map((symptom) => ({ symptom, score: symptomScore(words, SYMPTOM_PATTERNS[symptom], aboutThePerson) }));
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0] ?? { symptom: 'other' as const, score: 0 };
  const runnerUp = scores[1]?.score ?? 0;

  if (best.score === 0) return { symptom: 'other', confidence: 0.6 };
  if (best.score < MIN_SCORE) return { symptom: 'other', confidence: 0.5 };
  if (best.score - runnerUp < MIN_MARGIN) return { symptom: 'other', confidence: 0.3 };
  return { symptom: best.symptom, confidence: round(best.score / (best.score + runnerUp + 1)) };
}

/**
 * Sum of the weights of the symptom's phrases found in the words, strongest first; a word
 * counts for one phrase only, so "missed the sale" is not also counted as "missed". A phrase
 * right after a negation ("doesn't say almost ready", "nicht Verkauf verpasst") counts zero:
 * people correct a wrong guess that way, and reading it the other way round would swap
 * two shop messages, the worst mistake this recognizer can make.
 */
function symptomScore(words: readonly string[], patterns: readonly Pattern<ShopSymptom>[], taken: readonly boolean[]): number {
  const matcher = new WordMatcher();
  const used = [...taken];
  let score = 0;
  for (const pattern of patterns) {
    const positions = findPattern(words, pattern, used, matcher);
    if (!positions) continue;
    for (const position of positions) used[position] = true;
    if (!negatedAt(words, positions[0] ?? 0, matcher)) score += pattern.weight;
  }
  return score;
}

/** Whether a negation phrase ends right before position `index`. */
function negatedAt(words: readonly string[], index: number, matcher: WordMatcher): boolean {
  return NEGATION_PATTERNS.some((negation) => {
    const start = index - negation.words.length;
    return start >= 0 && negation.words.every((forms, offset) => matcher.quality(words[start + offset] ?? '', forms) === EXACT);
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/* ------------------------------------------------------------------------------------------
 * 6. Access codes: not phrase matching, so taken from the product (src/language/accessCodes.ts)
 * ---------------------------------------------------------------------------------------- */

/* ------------------------------------------------------------------------------------------
 * 7. Commands, yes/no, roles, job status
 * ---------------------------------------------------------------------------------------- */

/**
 * "help", "restart" or "agent" when the message is that command (politeness aside), in any
 * of the four languages. Asking for a person counts anywhere in a sentence ("can I please
 * talk to a real person"); help and restart only when the message is nothing else ("help!
 * it says almost ready" describes a symptom).
 */
export function recognizeCommand(text: string): Command | null {
  const words = messageWords(text);
  const inSentence = cover(words, COMMAND_IN_SENTENCE, MAX_GAP).labels;
  if (inSentence.has('agent')) return 'agent';
  if (inSentence.size === 1) return [...inSentence][0] ?? null;
  return wholeMessage(words, COMMAND_WHOLE);
}

/**
 * An answer to a yes/no question: the message is a yes or a no phrase (with politeness
 * around it), or starts with one and contains nothing of the opposite ("no, it still says…").
 */
export function recognizeYesNo(text: string): YesNo | null {
  // Emoji answers are read before any phrase, the same way in both.
  const emoji = emojiYesNo(text);
  if (emoji !== null) return emoji;
  const words = messageWords(text);
  const whole = wholeMessage(words, YES_NO);
  if (whole) return whole;
  const { labels, used } = cover(words, YES_NO, 1);
  if (labels.size !== 1) return null;
  const first = words.findIndex((word, index) => used[index] || !isFiller(word));
  return first >= 0 && used[first] ? ([...labels][0] ?? null) : null;
}

/** "I'm a parent" → customer, "Fotografin" → photographer; null when neither or both. */
export function recognizeRole(text: string): Role | null {
  return singleLabelAnywhere(messageWords(text), ROLES);
}

/** A photographer's answer to "what is the job's status?"; null when it names none or several. */
export function recognizeJobStatus(text: string): JobStatusAnswer | null {
  return singleLabelAnywhere(messageWords(text), JOB_STATUS_PATTERNS);
}

