/**
 * The free-text recognizer: what a customer or photographer typed → symptom, command,
 * yes/no, role, job status, button choice, language. Access codes are found by
 * ./accessCodes.ts, text is folded by ./textFolding.ts, and the words the phrase files know
 * are gathered in ./vocabulary.ts.
 *
 * Pure and synchronous; no Bot Framework import. Every word it knows comes from the phrase
 * files (`locales/<lang>.phrases.json`), compiled once when this module loads. All four
 * languages are matched at once, whatever the conversation's locale, because a parent on an
 * English browser may still quote the German shop.
 *
 * Technique, in one paragraph: fold the text (lowercase, no accents, ß→ss, no punctuation or
 * emoji), split it into words, rewrite a few contractions ("doesnt" → "does not"), drop
 * stopwords. A phrase is a short sequence of words; it matches when its words appear in order
 * with at most MAX_GAP other words between them, each word exactly, by prefix (`archiv*`),
 * or with a small typo (Damerau-Levenshtein ≤ 1 from 5 letters, ≤ 2 from 9 letters). Symptom
 * phrases carry weights (strong 3, medium 2, weak 1); the best-scoring symptom wins only
 * when it scores at least MIN_SCORE and clearly beats the runner-up, else `other`.
 * Speed: an index built once maps folded words and their typo neighbourhoods to the phrase
 * words they can be, so a message only tries the phrases all of whose words it contains
 * (about 1,000 phrases in all; a typical message tries a handful).
 */
import type { Role } from '../domain/roles.js';
import type { Symptom } from '../domain/symptoms.js';
import { removeAccessCodes } from './accessCodes.js';
import { LANGUAGES, phraseFiles, type Language } from './phrases.js';
import { foldText, splitWords, stripMarkup } from './textFolding.js';
import { FILLER, KNOWN_WORDS, LANGUAGE_VOCABULARY, PHRASE_FILES as FILES, STOPWORDS } from './vocabulary.js';

export { LANGUAGES, type Language } from './phrases.js';
export { foldText } from './textFolding.js';
// Access codes have a module of their own; offered here too for the callers that read everything.
export { extractAccessCode, extractAccessCodeFromAnswer, findAccessCodes, findAccessCodesInAnswer } from './accessCodes.js';

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
 * 1. Words: folded text, contractions expanded, stopwords dropped
 * ---------------------------------------------------------------------------------------- */

/** "doesnt" → ["does", "not"], merged over all languages (the first file naming a word wins). */
const REWRITE = new Map<string, string[]>();
for (const file of FILES) {
  for (const [from, to] of file.rewrite) {
    const key = foldText(from);
    if (!REWRITE.has(key)) REWRITE.set(key, splitWords(foldText(to)));
  }
}

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

/** Every distinct word form of every phrase, numbered once: the phrase index works on the numbers. */
const FORMS: WordForm[] = [];
/** Typed words seen lately and the forms they match (see formQualities). */
const SEEN_WORDS = new Map<string, ReadonlyMap<number, number>>();
/** The index of FORMS (buildFormIndex): built on first use, and again after a phrase set compiled later added forms. */
let formIndex: FormIndex | undefined;
const FORM_NUMBERS = new Map<string, number>();

function formNumber(form: WordForm): number {
  const key = form.prefix ? `${form.text}*` : form.text;
  let number = FORM_NUMBERS.get(key);
  if (number === undefined) {
    number = FORMS.length;
    FORMS.push(form);
    FORM_NUMBERS.set(key, number);
    // A phrase set compiled later (another module's, see compilePhrases) needs its forms indexed too.
    formIndex = undefined;
    SEEN_WORDS.clear();
  }
  return number;
}

interface Pattern<L extends string> {
  label: L;
  weight: number;
  /** Each phrase word as the numbers of its alternative forms (`code|zugangscode`). */
  words: number[][];
  source: string;
}

/**
 * The compiled phrases of one kind, in matching order, with the phrases listed by the forms
 * of their first word: a message only tries the phrases whose words it contains (see
 * MessageMatcher.candidates).
 */
interface PhraseSet<L extends string> {
  patterns: readonly Pattern<L>[];
  startingWith: ReadonlyMap<number, readonly number[]>;
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
  const words = (kept.length > 0 ? kept : slots).map((slot) => slot.forms.map(formNumber));
  if (words.length === 0) throw new Error(`phrases: "${source}" has no words`);
  return { label, weight, words, source };
}

function patternKey(pattern: Pattern<string>): string {
  return pattern.words.map((forms) => forms.join('|')).join(' ');
}

/** Deduplicated (the same phrase often appears in two languages), strongest and longest first. */
function compileAll<L extends string>(entries: readonly { label: L; phrases: readonly string[]; weight?: number }[]): PhraseSet<L> {
  const byKey = new Map<string, Pattern<L>>();
  for (const entry of entries) {
    for (const phrase of entry.phrases) {
      const pattern = compilePattern(phrase, entry.label, entry.weight ?? 1);
      const key = `${pattern.label}\u0000${patternKey(pattern)}`;
      const existing = byKey.get(key);
      if (!existing || existing.weight < pattern.weight) byKey.set(key, pattern);
    }
  }
  const patterns = [...byKey.values()].sort((a, b) => b.weight - a.weight || b.words.length - a.words.length);
  const startingWith = new Map<number, number[]>();
  patterns.forEach((pattern, index) => {
    for (const form of new Set(pattern.words[0])) {
      const list = startingWith.get(form);
      if (list) list.push(index);
      else startingWith.set(form, [index]);
    }
  });
  return { patterns, startingWith };
}

const SHOP_SYMPTOMS = ['almost-ready', 'incorrect-code', 'missed-sale'] as const;
type ShopSymptom = (typeof SHOP_SYMPTOMS)[number];

const SYMPTOM_PATTERNS: Readonly<Record<ShopSymptom, PhraseSet<ShopSymptom>>> = {
  'almost-ready': symptomPatterns('almost-ready'),
  'incorrect-code': symptomPatterns('incorrect-code'),
  'missed-sale': symptomPatterns('missed-sale'),
};

function symptomPatterns(symptom: ShopSymptom): PhraseSet<ShopSymptom> {
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

/* ------------------------------------------------------------------------------------------
 * 4. Matching phrases against words
 * ---------------------------------------------------------------------------------------- */

const NO_MATCH = 0;
/** A typo of a word the phrase files also know: only trusted next to an exact word. */
const TYPO_OF_KNOWN = 1;
const TYPO = 2;
const EXACT = 3;

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

/*
 * The phrase index. Which forms a typed word can match is worked out from tables built once:
 * whole words, prefixes, the typo neighbourhood of every whole word, and the few prefixes
 * long enough to take typos (tried one by one). The typo neighbourhood of a word is every
 * string made by deleting up to `typoDepth` of its letters; two words within k typos
 * (transpositions included) always share a string of their k-deletion neighbourhoods, so a
 * lookup finds every form a typo could reach, and wordQuality then says whether it does.
 * A message then tries only the phrases whose every word matched one of its words.
 */

/** Deletions enough to meet every typo: 2 typos need 9 letters on one side, so 7+ on both. */
function typoDepth(length: number): number {
  return length >= 7 ? 2 : 1;
}

/** The word and every string made by deleting up to `depth` of its letters. */
function deletionNeighbourhood(word: string, depth: number): Set<string> {
  const found = new Set([word]);
  let frontier = [word];
  for (let round = 0; round < depth; round++) {
    const next: string[] = [];
    for (const variant of frontier) {
      for (let i = 0; i < variant.length; i++) {
        const shorter = variant.slice(0, i) + variant.slice(i + 1);
        if (!found.has(shorter)) {
          found.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return found;
}

interface FormIndex {
  whole: Map<string, number[]>;
  prefixes: Map<string, number[]>;
  longestPrefix: number;
  /** Whole forms of 4+ letters (shorter ones take no typos) by every string of their typo neighbourhood. */
  neighbourhood: Map<string, number[]>;
  /** Prefixes that take typos (6+ letters), by first letter. */
  typoPrefixes: Map<string, number[]>;
  /** The longest whole form, to bound the typo neighbourhood of a typed word. */
  longestWhole: number;
}

function addTo(map: Map<string, number[]>, key: string, form: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [form]);
  else if (list[list.length - 1] !== form) list.push(form);
}

function buildFormIndex(): FormIndex {
  const index: FormIndex = { whole: new Map(), prefixes: new Map(), longestPrefix: 0, neighbourhood: new Map(), typoPrefixes: new Map(), longestWhole: 0 };
  FORMS.forEach((form, number) => {
    if (form.prefix) {
      addTo(index.prefixes, form.text, number);
      index.longestPrefix = Math.max(index.longestPrefix, form.text.length);
      if (form.text.length >= 6) addTo(index.typoPrefixes, form.text[0] ?? '', number);
      return;
    }
    addTo(index.whole, form.text, number);
    index.longestWhole = Math.max(index.longestWhole, form.text.length);
    if (form.text.length < 4) return;
    for (const variant of deletionNeighbourhood(form.text, typoDepth(form.text.length))) addTo(index.neighbourhood, variant, number);
  });
  return index;
}

function theFormIndex(): FormIndex {
  formIndex ??= buildFormIndex();
  return formIndex;
}
const NO_FORMS: readonly number[] = [];

/**
 * SEEN_WORDS: people use the same few hundred words, so most words of a message are looked
 * up once per process. Emptied when full, so a flood of made-up words costs memory once, never more.
 */
const SEEN_WORDS_LIMIT = 20_000;
/** Longer "words" (a pasted hash, a URL fragment) are not worth remembering. */
const SEEN_WORD_MAX_LENGTH = 30;

function formQualities(word: string): ReadonlyMap<number, number> {
  const seen = SEEN_WORDS.get(word);
  if (seen) return seen;
  const qualities = lookUpForms(word);
  if (word.length <= SEEN_WORD_MAX_LENGTH) {
    if (SEEN_WORDS.size >= SEEN_WORDS_LIMIT) SEEN_WORDS.clear();
    SEEN_WORDS.set(word, qualities);
  }
  return qualities;
}

/** The forms a typed word matches, with how well (wordQuality), found through FORM_INDEX. */
function lookUpForms(word: string): Map<number, number> {
  const FORM_INDEX = theFormIndex();
  const tried = new Set<number>();
  const add = (forms: readonly number[] | undefined): void => {
    if (forms) for (const form of forms) tried.add(form);
  };
  add(FORM_INDEX.whole.get(word));
  for (let length = 1; length <= Math.min(word.length, FORM_INDEX.longestPrefix); length++) add(FORM_INDEX.prefixes.get(word.slice(0, length)));
  // The neighbourhood of a pasted 10,000-letter "word" would be tens of millions of strings;
  // no word a person types is this long (a typed word longer than twice the longest form).
  if (word.length >= 4 && word.length <= FORM_INDEX.longestWhole * 2) {
    for (const variant of deletionNeighbourhood(word, typoDepth(word.length))) add(FORM_INDEX.neighbourhood.get(variant));
    add(FORM_INDEX.typoPrefixes.get(word[0] ?? ''));
  }
  const qualities = new Map<number, number>();
  for (const number of tried) {
    const form = FORMS[number];
    const quality = form ? wordQuality(word, form) : NO_MATCH;
    if (quality > NO_MATCH) qualities.set(number, quality);
  }
  return qualities;
}

/** The words of one message with the forms each of them matches, worked out once per message. */
class MessageMatcher {
  private readonly qualities: ReadonlyMap<number, number>[];
  /** Every form some word of the message matches. */
  private readonly found = new Set<number>();
  private negations: readonly Pattern<'negation'>[] | undefined;

  constructor(readonly words: readonly string[]) {
    const byWord = new Map<string, ReadonlyMap<number, number>>();
    this.qualities = words.map((word) => {
      let qualities = byWord.get(word);
      if (!qualities) {
        qualities = formQualities(word);
        byWord.set(word, qualities);
        for (const form of qualities.keys()) this.found.add(form);
      }
      return qualities;
    });
  }

  /** How well the word at `position` fits a phrase word (its alternative forms). */
  quality(position: number, forms: readonly number[]): number {
    const qualities = this.qualities[position];
    if (!qualities || qualities.size === 0) return NO_MATCH;
    let best = NO_MATCH;
    for (const form of forms) {
      const quality = qualities.get(form) ?? NO_MATCH;
      if (quality > best) best = quality;
    }
    return best;
  }

  /**
   * The phrases of the set that can occur in this message (every word of them matched by
   * some word of the message), in the set's order. Phrases left out could not be found.
   */
  candidates<L extends string>(set: PhraseSet<L>): Pattern<L>[] {
    const indices: number[] = [];
    for (const form of this.found) {
      for (const index of set.startingWith.get(form) ?? NO_FORMS) {
        if (indices.includes(index)) continue;
        const pattern = set.patterns[index];
        if (pattern && pattern.words.every((forms) => forms.some((candidate) => this.found.has(candidate)))) indices.push(index);
      }
    }
    indices.sort((a, b) => a - b);
    return indices.map((index) => set.patterns[index]).filter((pattern) => pattern !== undefined);
  }

  negationCandidates(): readonly Pattern<'negation'>[] {
    this.negations ??= this.candidates(NEGATION_PATTERNS);
    return this.negations;
  }
}

/**
 * Where `pattern` occurs in the message (positions of its words), skipping words already used
 * by another phrase; null when it does not. `allowTypos: false` accepts exact and prefix matches only.
 */
function findPattern(
  message: MessageMatcher,
  pattern: Pattern<string>,
  used: readonly boolean[],
  gap = MAX_GAP,
  allowTypos = true,
): number[] | null {
  const minimum = allowTypos ? TYPO_OF_KNOWN : EXACT;
  const length = message.words.length;
  const [first, ...rest] = pattern.words;
  if (!first) return null;
  starts: for (let start = 0; start < length; start++) {
    if (used[start]) continue;
    const startQuality = message.quality(start, first);
    if (startQuality < minimum) continue;
    const positions = [start];
    let exact = startQuality === EXACT ? 1 : 0;
    let typoOfKnown = startQuality === TYPO_OF_KNOWN ? 1 : 0;
    let previous = start;
    for (const forms of rest) {
      let found = -1;
      for (let j = previous + 1; j < length && j <= previous + 1 + gap; j++) {
        if (used[j]) continue;
        const quality = message.quality(j, forms);
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

/** Matches the phrases (longest first) without letting two phrases share a word. */
function cover<L extends string>(message: MessageMatcher, set: PhraseSet<L>, gap: number, allowTypos = true): Coverage<L> {
  const used = message.words.map(() => false);
  const labels = new Set<L>();
  const ordered = message.candidates(set).sort((a, b) => b.words.length - a.words.length);
  for (const pattern of ordered) {
    for (;;) {
      const positions = findPattern(message, pattern, used, gap, allowTypos);
      if (!positions) break;
      for (const position of positions) used[position] = true;
      labels.add(pattern.label);
    }
  }
  return { labels, used };
}

/** The one label the message consists of (everything else is filler), or null. */
function wholeMessage<L extends string>(message: MessageMatcher, set: PhraseSet<L>): L | null {
  if (message.words.length === 0) return null;
  const { labels, used } = cover(message, set, 1);
  if (labels.size !== 1) return null;
  const everythingElseIsFiller = message.words.every((word, index) => used[index] || isFiller(word));
  return everythingElseIsFiller ? ([...labels][0] ?? null) : null;
}

/** The single label found anywhere in the message; exact words first, typos only if none. */
function singleLabelAnywhere<L extends string>(message: MessageMatcher, set: PhraseSet<L>): L | null {
  for (const allowTypos of [false, true]) {
    const { labels } = cover(message, set, MAX_GAP, allowTypos);
    if (labels.size === 1) return [...labels][0] ?? null;
    if (labels.size > 1) return null;
  }
  return null;
}

function messageWords(text: string): MessageMatcher {
  return new MessageMatcher(meaningful(toWords(stripMarkup(text.slice(0, MAX_INPUT)))));
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
  const message = messageWords(removeAccessCodes(text.slice(0, MAX_INPUT)));
  if (wholeMessage(message, OTHER_LABEL_PATTERNS) === 'other') return { symptom: 'other', confidence: 0.95 };

  // "Not ready to order" is about the person: its words count for no shop message.
  const aboutThePerson = cover(message, ABOUT_THE_PERSON_PATTERNS, 0).used;
  const scores = SHOP_SYMPTOMS.map((symptom) => ({ symptom, score: symptomScore(message, SYMPTOM_PATTERNS[symptom], aboutThePerson) }));
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
function symptomScore(message: MessageMatcher, set: PhraseSet<ShopSymptom>, taken: readonly boolean[]): number {
  const used = [...taken];
  let score = 0;
  for (const pattern of message.candidates(set)) {
    const positions = findPattern(message, pattern, used);
    if (!positions) continue;
    for (const position of positions) used[position] = true;
    if (!negatedAt(message, positions[0] ?? 0)) score += pattern.weight;
  }
  return score;
}

/** Whether a negation phrase ends right before position `index`. */
function negatedAt(message: MessageMatcher, index: number): boolean {
  return message.negationCandidates().some((negation) => {
    const start = index - negation.words.length;
    return start >= 0 && negation.words.every((forms, offset) => message.quality(start + offset, forms) === EXACT);
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/* ------------------------------------------------------------------------------------------
 * 6. Commands, yes/no, roles, job status
 * ---------------------------------------------------------------------------------------- */

/**
 * "help", "restart" or "agent" when the message is that command (politeness aside), in any
 * of the four languages. Asking for a person counts anywhere in a sentence ("can I please
 * talk to a real person"); help and restart only when the message is nothing else ("help!
 * it says almost ready" describes a symptom).
 */
export function recognizeCommand(text: string): Command | null {
  const message = messageWords(text);
  const inSentence = cover(message, COMMAND_IN_SENTENCE, MAX_GAP).labels;
  if (inSentence.has('agent')) return 'agent';
  if (inSentence.size === 1) return [...inSentence][0] ?? null;
  return wholeMessage(message, COMMAND_WHOLE);
}

/**
 * An answer to a yes/no question: the message is a yes or a no phrase (with politeness
 * around it), or starts with one and contains nothing of the opposite ("no, it still says…").
 */
export function recognizeYesNo(text: string): YesNo | null {
  const message = messageWords(text);
  const whole = wholeMessage(message, YES_NO);
  if (whole) return whole;
  const { labels, used } = cover(message, YES_NO, 1);
  if (labels.size !== 1) return null;
  const first = message.words.findIndex((word, index) => used[index] || !isFiller(word));
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

/* ------------------------------------------------------------------------------------------
 * 7. Button choices
 * ---------------------------------------------------------------------------------------- */

/**
 * Which button a typed answer means: its 1-based number ("2", "2.", "#2"), its id, or one of
 * its labels, ignoring case, accents, punctuation, politeness and small typos. Null when
 * nothing fits or two choices fit equally well.
 */
export function matchChoice<T extends string>(text: string, choices: readonly Choice<T>[]): T | null {
  const trimmed = text.slice(0, 300).trim();
  const number = /^(?:#|no\.?|nr\.?|n°|number|nummer|numero|numéro)?\s*(\d{1,3})\s*[.):]?$/i.exec(trimmed);
  if (number) return choices[Number(number[1]) - 1]?.id ?? null;

  const typed = foldText(trimmed);
  if (typed === '') return null;
  const keysOf = (choice: Choice<T>): string[] =>
    [choice.id.replace(/[-_]/g, ' '), ...choice.labels].map(foldText).filter((key) => key !== '');

  const exact = choices.filter((choice) => keysOf(choice).includes(typed));
  if (exact.length >= 1) return exact.length === 1 ? (exact[0]?.id ?? null) : null;

  // Without politeness and stopwords: "something else please" = "Something else".
  const core = (value: string): string => meaningful(toWords(value)).filter((word) => !FILLER.has(word)).join(' ');
  const typedCore = core(trimmed);
  if (typedCore !== '') {
    const byCore = choices.filter((choice) => keysOf(choice).some((key) => core(key) === typedCore));
    if (byCore.length === 1) return byCore[0]?.id ?? null;
    if (byCore.length > 1) return null;
  }

  // A label of several words said inside a longer answer: "do it for me, please", "ja, ändern bitte".
  const padded = ` ${typed} `;
  const inside = choices.filter((choice) => keysOf(choice).some((key) => key.includes(' ') && padded.includes(` ${key} `)));
  if (inside.length === 1) return inside[0]?.id ?? null;
  if (inside.length > 1) return null;

  // Small typos over the whole label: the closest choice, if it is the only one that close.
  let best: T | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const choice of choices) {
    for (const key of keysOf(choice)) {
      const typos = maxTypos(key.length);
      if (typos === 0) continue;
      const distance = typoDistance(typed, key, typos);
      if (distance > typos) continue;
      if (distance < bestDistance) {
        best = choice.id;
        bestDistance = distance;
        tie = false;
      } else if (distance === bestDistance && best !== choice.id) {
        tie = true;
      }
    }
  }
  return tie ? null : best;
}

/* ------------------------------------------------------------------------------------------
 * 8. Language
 * ---------------------------------------------------------------------------------------- */

const LETTERS: ReadonlyMap<Language, string> = new Map(LANGUAGES.map((language) => [language, phraseFiles()[language].letters]));

/**
 * The language a sentence is most likely written in, or null when unsure. Every word that
 * one of the phrase files knows votes for the languages knowing it (1/n each: "code" is in
 * all four and says little); letters such as ß or é add a vote (at most 2). The winner needs
 * at least one vote and 1.5 times the runner-up's.
 */
export function guessLanguage(text: string): Language | null {
  const sample = stripMarkup(text.slice(0, MAX_INPUT));
  const score = new Map<Language, number>(LANGUAGES.map((language) => [language, 0]));
  for (const word of splitWords(foldText(sample))) {
    const knowing = LANGUAGES.filter((language) => LANGUAGE_VOCABULARY.get(language)?.has(word));
    for (const language of knowing) score.set(language, (score.get(language) ?? 0) + 1 / knowing.length);
  }
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
}

/* ------------------------------------------------------------------------------------------
 * 10. Phrase sets of other modules (intents)
 * ---------------------------------------------------------------------------------------- */

/** Compiled phrases another module keeps (its own phrase file), matched like the ones here. */
export type CompiledPhrases<L extends string> = PhraseSet<L>;

/** Compiles labelled phrases (the syntax of the phrase files) once, when the module using them loads. */
export function compilePhrases<L extends string>(entries: readonly { label: L; phrases: readonly string[] }[]): CompiledPhrases<L> {
  return compileAll(entries);
}

export interface PhraseMatch<L extends string> {
  /** Every label one of whose phrases occurs in the text (no two phrases sharing a word). */
  labels: Set<L>;
  /** Whether the text is nothing but those phrases, politeness and filler. */
  whole: boolean;
}

/** Which of the phrases a text contains, and whether it contains anything else. */
export function matchPhrases<L extends string>(text: string, phrases: CompiledPhrases<L>): PhraseMatch<L> {
  const message = messageWords(text);
  const { labels, used } = cover(message, phrases, MAX_GAP);
  return { labels, whole: message.words.length > 0 && message.words.every((word, index) => used[index] || isFiller(word)) };
}
