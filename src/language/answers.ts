/** Answers to the bot's closed questions: yes or no, customer or photographer, a job's status. */
import type { Role } from '../domain/roles.js';
import { clausesOf, compilePhrases, cover, hasClauseEnd, readMessage, singleLabelAnywhere, wholeMessage } from './phraseMatching.js';
import { isFiller } from './phraseWords.js';
import { foldText } from './textFolding.js';
import { PHRASE_FILES } from './vocabulary.js';

export type YesNo = 'yes' | 'no';
export type JobStatusAnswer = 'planning' | 'selling' | 'archived' | 'unknown';

const YES_NO = compilePhrases(
  PHRASE_FILES.flatMap((file) => [
    { label: 'yes' as const, phrases: file.yesNo.yes },
    { label: 'no' as const, phrases: file.yesNo.no },
  ]),
);
const ROLES = compilePhrases(
  PHRASE_FILES.flatMap((file) => [
    { label: 'customer' as const, phrases: file.roles.customer },
    { label: 'photographer' as const, phrases: file.roles.photographer },
  ]),
);
const JOB_STATUSES = ['planning', 'selling', 'archived', 'unknown'] as const;
const JOB_STATUS_PATTERNS = compilePhrases(
  PHRASE_FILES.flatMap((file) => JOB_STATUSES.map((status) => ({ label: status, phrases: file.jobStatus[status] }))),
);

/** A thumbs up or down alone (any skin tone), or a tick or cross: how people answer in chat apps. */
const YES_EMOJI = /^\s*(?:👍[\u{1F3FB}-\u{1F3FF}]?|✅)+\s*$/u;
const NO_EMOJI = /^\s*(?:👎[\u{1F3FB}-\u{1F3FF}]?|❌)+\s*$/u;

/** The yes or no of a message that is only such emoji, else null; phrases are not looked at. */
export function emojiYesNo(text: string): YesNo | null {
  if (YES_EMOJI.test(text)) return 'yes';
  return NO_EMOJI.test(text) ? 'no' : null;
}

/**
 * An answer to a yes/no question: such emoji alone, or the message is a yes or a no phrase
 * (with politeness around it), or starts with one and contains nothing of the opposite
 * ("no, it still says…"), or one of its clauses is nothing but one and no clause says the
 * opposite ("ik heb al 5x herladen, werkt niet").
 */
export function recognizeYesNo(text: string): YesNo | null {
  const emoji = emojiYesNo(text);
  if (emoji !== null) return emoji;
  const message = readMessage(text);
  const whole = wholeMessage(message, YES_NO);
  if (whole) return whole;
  const { labels, used } = cover(message, YES_NO, 1);
  if (labels.size !== 1) return null;
  const first = message.words.findIndex((word, index) => used[index] || !isFiller(word));
  if (first >= 0 && used[first]) {
    const label = [...labels][0] ?? null;
    // A question is a polite yes ("could you please tell her?"), never a no ("can't you check that yourself?").
    return label === 'no' && opensWithQuestion(text) ? null : label;
  }
  if (!hasClauseEnd(text)) return null;
  const clauses = new Set(clausesOf(text).map((clause) => wholeMessage(readMessage(clause), YES_NO)));
  clauses.delete(null);
  return clauses.size === 1 ? ([...clauses][0] ?? null) : null;
}

/** The yes and no phrases of one word ("nope", "nee", "bof"), folded. */
const ONE_WORD_ANSWERS: ReadonlySet<string> = new Set(
  PHRASE_FILES.flatMap((file) => [...file.yesNo.yes, ...file.yesNo.no])
    .map((phrase) => foldText(phrase))
    .filter((phrase) => !phrase.includes(' ')),
);

/**
 * The message opens with a question that is more than a yes or a no, and not with a plain
 * one: the "can't" of "cant you check that yourself? you have the data" asks, it does not
 * answer no. "No it still says that?" and "doesnt work??" answer.
 */
function opensWithQuestion(text: string): boolean {
  const opening = clausesOf(text)[0] ?? '';
  const mark = opening.indexOf('?');
  if (mark < 0) return false;
  const firstWord = foldText(opening.trim().split(/\s+/u)[0] ?? '').replace(/[^\p{L}\p{N}]+/gu, '');
  if (ONE_WORD_ANSWERS.has(firstWord)) return false;
  return wholeMessage(readMessage(opening.slice(0, mark)), YES_NO) === null;
}

/** "I'm a parent" → customer, "Fotografin" → photographer; null when neither or both. */
export function recognizeRole(text: string): Role | null {
  return singleLabelAnywhere(readMessage(text), ROLES);
}

/** A photographer's answer to "what is the job's status?"; null when it names none or several. */
export function recognizeJobStatus(text: string): JobStatusAnswer | null {
  return singleLabelAnywhere(readMessage(text), JOB_STATUS_PATTERNS);
}
