/**
 * The phrase index: every word form of every compiled phrase, numbered once, and tables
 * built from them (whole words, prefixes, the typo neighbourhood of every whole word, and the
 * few prefixes long enough to take typos) that say which forms a typed word can be and how
 * well it fits each (exact, a typo, a typo of a word the phrase files also know). A message
 * is looked up once (MessageMatcher); ./phraseMatching.ts then tries only the phrases whose
 * every word matched one of its words. The index only decides which phrases are tried, never
 * what matches: test/language/phraseIndex.test.ts compares it with trying every phrase.
 */
import { deletionNeighbourhood, forEachDeletion, maxTypos, typoDepth, typoDistance } from './typos.js';
import { KNOWN_WORDS } from './vocabulary.js';

/** One way a phrase word can be written: a whole word, or a prefix (`archiv*`). */
export interface WordForm {
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

/** The number of a word form, given once: phrases store their words as these numbers. */
export function formNumber(form: WordForm): number {
  const key = form.prefix ? `${form.text}*` : form.text;
  let number = FORM_NUMBERS.get(key);
  if (number === undefined) {
    number = FORMS.length;
    FORMS.push(form);
    FORM_NUMBERS.set(key, number);
    // A phrase set compiled later (another module's, see compilePhrases) needs its forms indexed too.
    formIndex = undefined;
    SEEN_WORDS.clear();
    for (const listener of FORMS_ADDED) listener();
  }
  return number;
}

/** Told whenever a new form is numbered: what was read with the forms known before may now read differently. */
const FORMS_ADDED: (() => void)[] = [];

export function whenFormsAdded(listener: () => void): void {
  FORMS_ADDED.push(listener);
}

export const NO_MATCH = 0;
/** A typo of a word the phrase files also know: only trusted next to an exact word. */
export const TYPO_OF_KNOWN = 1;
export const TYPO = 2;
export const EXACT = 3;

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
    forEachDeletion(word, typoDepth(word.length), (variant) => add(FORM_INDEX.neighbourhood.get(variant)));
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
export class MessageMatcher {
  private readonly qualities: ReadonlyMap<number, number>[];
  /** Every form some word of the message matches. */
  readonly found: ReadonlySet<number>;

  constructor(readonly words: readonly string[]) {
    const byWord = new Map<string, ReadonlyMap<number, number>>();
    const found = new Set<number>();
    this.qualities = words.map((word) => {
      let qualities = byWord.get(word);
      if (!qualities) {
        qualities = formQualities(word);
        byWord.set(word, qualities);
        for (const form of qualities.keys()) found.add(form);
      }
      return qualities;
    });
    this.found = found;
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
}
