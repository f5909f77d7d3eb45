/**
 * What a message is about when it is not the answer a question waits for: thanks, a
 * goodbye, one of the common questions around a gallery that won't open (where the code is,
 * how long the shop stays open, what happens next, why the campaign goes off), things this bot cannot handle (orders,
 * deliveries, refunds, questions about personal data), linking a photographer's account, or some other real question.
 *
 * The words come from `locales/<lang>.intents.json`, in the phrase syntax of the phrase
 * files (`word*` a prefix, `a|b` either word), matched by the phrase matcher (./phraseMatching.ts)
 * (typos, small gaps, stopwords). All four languages are matched at once; the languages whose
 * phrases matched are reported, a hint for the language the person writes in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../projectRoot.js';
import { LANGUAGES, type Language } from './languages.js';
import { clausesOf, compilePhrases, hasClauseEnd, matchPhrases } from './phraseMatching.js';
import { foldText, letterWords } from './textFolding.js';
import { NEGATION_PATTERNS } from './symptomRecognition.js';

/** Topics, most specific first: the first one found names the message. */
export const TOPICS = ['refund', 'privacy', 'bot', 'phone', 'where-code', 'delivery', 'order', 'link-account', 'campaign', 'shop-open', 'what-next'] as const;
export type Topic = (typeof TOPICS)[number];

/** Things this bot can only pass to a person. */
export const PERSON_TOPICS: readonly Topic[] = ['refund', 'privacy', 'bot', 'phone', 'delivery', 'order'];

export type Intent = Topic | 'thanks' | 'goodbye' | 'question';

const phraseList = z.array(z.string().trim().min(1));

const intentFileSchema = z.strictObject({
  language: z.enum(LANGUAGES),
  /** Words only a question starts with ("how", "wann", "pourquoi", not "do" as in "do it for me"); one or two words each. */
  questionWords: phraseList,
  /** "Why": alone ("warum?"), a question about what the bot just said. */
  whyWords: phraseList,
  /** "It works now", "geht jetzt": the problem went away by itself, said while a person has the case. */
  solved: phraseList,
  /** "Never mind", "laisse tomber", "laat maar": the person takes what they asked for back. */
  withdraw: phraseList,
  intents: z.strictObject({
    thanks: phraseList,
    goodbye: phraseList,
    ...(Object.fromEntries(TOPICS.map((topic) => [topic, phraseList])) as Record<Topic, typeof phraseList>),
  }),
});

type IntentFile = z.infer<typeof intentFileSchema>;

export function parseIntentFile(json: unknown, language: Language, source = `${language}.intents.json`): IntentFile {
  const result = intentFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new Error(`intents: ${source}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`);
  }
  if (result.data.language !== language) throw new Error(`intents: ${source}: "language" is "${result.data.language}", expected "${language}"`);
  return result.data;
}

function loadIntentFile(language: Language): IntentFile {
  const path = join(projectRoot(), 'locales', `${language}.intents.json`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`intents: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseIntentFile(json, language, path);
}

const FILES = LANGUAGES.map((language) => loadIntentFile(language));

type Label = `${Topic | 'thanks' | 'goodbye'}:${Language}`;

function label(intent: Topic | 'thanks' | 'goodbye', language: Language): Label {
  return `${intent}:${language}`;
}

const PHRASES = compilePhrases<Label>(
  FILES.flatMap((file) => [
    { label: label('thanks', file.language), phrases: file.intents.thanks },
    { label: label('goodbye', file.language), phrases: file.intents.goodbye },
    ...TOPICS.map((topic) => ({ label: label(topic, file.language), phrases: file.intents[topic] })),
  ]),
);

/** Folded words of one list of the intent files, with the languages that list them. */
function wordsByLanguage(list: (file: IntentFile) => readonly string[]): ReadonlyMap<string, Language[]> {
  const words = new Map<string, Language[]>();
  for (const file of FILES) {
    for (const word of list(file)) {
      const folded = foldText(word);
      words.set(folded, [...(words.get(folded) ?? []), file.language]);
    }
  }
  return words;
}

/** Folded question openings ("est ce" is two words), per language. */
const QUESTION_OPENINGS = wordsByLanguage((file) => file.questionWords);
/** Folded "why" words, per language. */
const WHY_WORDS = wordsByLanguage((file) => file.whyWords);

export interface IntentRecognition {
  intent: Intent | null;
  /** The languages whose phrases (or question words) said so. */
  languages: Language[];
}

/** The languages of a message that is nothing but "why?" ("warum?", "pourquoi ?"), else null. */
function whyAloneLanguages(words: readonly string[]): Language[] | null {
  return words.length === 1 ? (WHY_WORDS.get(words[0] ?? '') ?? null) : null;
}

/** The message is nothing but "why?": it asks about what was just said. */
export function recognizeWhyAlone(text: string): boolean {
  return whyAloneLanguages(letterWords(text.slice(0, 100))) !== null;
}

/**
 * A real question, not "??" or "hello?": at least two words, ending with a question mark or
 * opening with a question word ("wann kommen die Fotos"); or "why?" alone.
 */
function questionLanguages(text: string): Language[] | null {
  const words = letterWords(text);
  const why = whyAloneLanguages(words);
  if (why !== null) return why;
  if (words.length < 2) return null;
  const first = words[0] ?? '';
  const opening = QUESTION_OPENINGS.get(`${first} ${words[1] ?? ''}`) ?? QUESTION_OPENINGS.get(first);
  if (opening !== undefined) return opening;
  return /[?？¿]\s*[\p{Emoji_Presentation}\s]*$/u.test(text.trim()) ? [] : null;
}

function intentsOf(labels: ReadonlySet<Label>): { intent: Topic | 'thanks' | 'goodbye'; language: Language }[] {
  return [...labels].map((found) => {
    const [intent, language] = found.split(':') as [Topic | 'thanks' | 'goodbye', Language];
    return { intent, language };
  });
}

/** What the message is about besides an expected answer; `intent` null when it is none of these. */
export function recognizeIntent(text: string): IntentRecognition {
  const sample = text.slice(0, 1000);
  const { labels, whole } = matchPhrases(sample, PHRASES);
  let found = intentsOf(labels);
  // A topic's phrase never reaches across a clause: "ça marche pas, code incorrect" is no "pas (de) code".
  if (hasClauseEnd(sample) && found.some((entry) => isTopic(entry.intent))) {
    found = clausesOf(sample).flatMap((clause) => intentsOf(matchPhrases(clause, PHRASES).labels));
  }
  const languagesOf = (intent: Intent): Language[] => [...new Set(found.filter((entry) => entry.intent === intent).map((entry) => entry.language))];
  for (const topic of TOPICS) if (found.some((entry) => entry.intent === topic)) return { intent: topic, languages: languagesOf(topic) };
  // Thanks and goodbye only as the whole message ("thanks, bye!"), never inside a description.
  if (whole && found.length > 0) {
    const intent = found.some((entry) => entry.intent === 'goodbye') ? 'goodbye' : 'thanks';
    return { intent, languages: [...new Set(found.map((entry) => entry.language))] };
  }
  // …or as its last clause: "forget it, I'll try tomorrow. bye" leaves.
  const leaving = found.some((entry) => entry.intent === 'goodbye') && hasClauseEnd(sample) ? lastClauseGoodbye(sample) : null;
  if (leaving !== null) return { intent: 'goodbye', languages: leaving };
  const question = questionLanguages(sample);
  if (question !== null) return { intent: 'question', languages: question };
  return { intent: null, languages: [] };
}

/** The languages of the goodbye that the text's last clause is, nothing else in it; null when it is none. */
function lastClauseGoodbye(text: string): Language[] | null {
  const last = clausesOf(text)
    .filter((clause) => /\p{L}/u.test(clause))
    .at(-1);
  if (last === undefined) return null;
  const { labels, whole } = matchPhrases(last, PHRASES);
  const found = intentsOf(labels);
  return whole && found.length > 0 && found.every((entry) => entry.intent === 'goodbye' || entry.intent === 'thanks') && found.some((entry) => entry.intent === 'goodbye')
    ? [...new Set(found.map((entry) => entry.language))]
    : null;
}

const SOLVED = compilePhrases(FILES.map((file) => ({ label: 'solved' as const, phrases: file.solved })));
/** "Never mind" dismisses; it negates nothing ("never mind, it works now"). */
const NEVER_MIND = /\bnever\s*mind\b/giu;

/**
 * Whether the message says the gallery works now ("c'est bon ça marche maintenant"). Any
 * negation makes it no such news: "ça ne marche toujours pas" is close to "ça marche".
 */
export function recognizeSolved(text: string): boolean {
  const sample = text.slice(0, 1000);
  if (!recognizeSpeaksOfSolved(sample) || matchPhrases(sample.replace(NEVER_MIND, ' '), NEGATION_PATTERNS).labels.size > 0) return false;
  // Nor inside a question or a topic: "wie geht es jetzt weiter?" holds "geht jetzt" too.
  const { intent } = recognizeIntent(sample);
  return intent !== 'question' && !isTopic(intent);
}

const WITHDRAW = compilePhrases(FILES.map((file) => ({ label: 'withdraw' as const, phrases: file.withdraw })));

/**
 * Whether the person takes it all back: a clause of the message is nothing but "never mind",
 * "vergiss es", "laisse tomber" or "laat maar" (politeness aside), as in "laisse tomber, je
 * vais appeler l'école". Inside a sentence such words say something else ("stop showing me
 * the same message").
 */
export function recognizeWithdrawal(text: string): boolean {
  return clausesOf(text.slice(0, 1000)).some((clause) => {
    const { labels, whole } = matchPhrases(clause, WITHDRAW);
    return whole && labels.size > 0;
  });
}

/**
 * The message speaks of it working now, as news ("c'est bon, ça marche") or as a question
 * ("is it open now?", "geht es jetzt?"): which of the two, the intent says (see recognizeSolved).
 */
export function recognizeSpeaksOfSolved(text: string): boolean {
  return matchPhrases(text.slice(0, 1000), SOLVED).labels.size > 0;
}

export function isTopic(intent: Intent | null): intent is Topic {
  return intent !== null && (TOPICS as readonly string[]).includes(intent);
}
