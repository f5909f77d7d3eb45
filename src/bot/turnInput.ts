import { type Activity, ActivityTypes } from 'botbuilder-core';
import { readSlackAction } from '../channels/slackPayload.js';

/**
 * Longer messages are cut before recognition. Long enough for a pasted e-mail with the
 * code somewhere inside; the recognizer stays fast at this size.
 */
export const MAX_INPUT_LENGTH = 10_000;

/** What a person said in one message, cleaned for the recognizer. */
export interface TurnInput {
  /** Plain text: no HTML, no mentions, single spaces, at most MAX_INPUT_LENGTH characters. */
  text: string;
  /** The choice id of a clicked card button (`{ "choice": "missed-sale" }`), if any. */
  choiceId: string | null;
  /** The question the clicked card asked (`{ "question": 7 }`), to recognise clicks on old cards. */
  questionId: number | null;
  /** The message carried only attachments (a screenshot, a file) and no text. */
  attachmentsOnly: boolean;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Invisible characters copied along with text (from PDFs, word processors, RTL text): never meaningful to the bot. */
const INVISIBLE = /[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
/** Joiners matter inside Persian or emoji, never next to the Latin letters and digits of a code. */
const JOINER_BY_LATIN = /(?<=[A-Za-z0-9])[\u200c\u200d]+|[\u200c\u200d]+(?=[A-Za-z0-9])/g;

function plainText(raw: string): string {
  return (
    raw
      .slice(0, MAX_INPUT_LENGTH * 4)
      .replace(INVISIBLE, '')
      .replace(JOINER_BY_LATIN, '')
      .replace(/<at>[^<]*<\/at>/gi, ' ') // Teams mentions of the bot
      // Entities are decoded once, before tags are stripped: `&lt;img onerror=…&gt;` must not
      // come out as a live tag. What is left of a tag that never closed is taken apart too.
      .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity)
      .replace(/<[^>]*>/g, ' ')
      .replace(/<(?=\s*[A-Za-z/!?])/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_INPUT_LENGTH)
  );
}

/**
 * Card submits carry `{ choice }`; some clients send `{ text }` or a bare string instead.
 * A date picker submit (Teams' Input.Date) carries `{ choice: 'date-input', date: 'yyyy-MM-dd' }`:
 * the picked date is read as the text, so it goes through the same date parser as a typed date.
 */
function readValue(value: unknown): { choiceId: string | null; questionId: number | null; text: string | null } {
  if (typeof value === 'string') return { choiceId: null, questionId: null, text: value };
  if (value === null || typeof value !== 'object') return { choiceId: null, questionId: null, text: null };
  const record = value as Record<string, unknown>;
  const text = typeof record.text === 'string' && record.text.trim() !== '' ? record.text : null;
  return {
    choiceId: typeof record.choice === 'string' ? record.choice.slice(0, 100) : null,
    questionId: typeof record.question === 'number' && Number.isInteger(record.question) ? record.question : null,
    text: text ?? (typeof record.date === 'string' ? record.date : null),
  };
}

/** Teams sends Universal Actions (`Action.Execute`) as an invoke; its `data` is the submit value. */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** Messages, and card actions that arrive as invokes: what a person said or clicked. */
export function isUserInput(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Message || (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION_INVOKE);
}

function submittedValue(activity: Partial<Activity>): unknown {
  if (activity.type === ActivityTypes.Invoke) return (activity.value as { action?: { data?: unknown } } | undefined)?.action?.data;
  if (activity.channelId === 'slack') {
    const action = readSlackAction(activity);
    if (action !== null) {
      return { choice: action.choiceId, ...(action.date === undefined ? {} : { date: action.date }), ...(action.questionId === undefined ? {} : { question: action.questionId }) };
    }
  }
  return activity.value;
}

export function readTurnInput(activity: Partial<Activity>): TurnInput {
  const value = readValue(submittedValue(activity));
  const rawText = typeof activity.text === 'string' && activity.text.trim() !== '' ? activity.text : (value.text ?? '');
  const text = plainText(rawText);
  const attachmentsOnly = text === '' && value.choiceId === null && Array.isArray(activity.attachments) && activity.attachments.length > 0;
  return { text, choiceId: value.choiceId, questionId: value.questionId, attachmentsOnly };
}
