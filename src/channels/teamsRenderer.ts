import { type Activity, ActivityTypes, CardFactory, InputHints } from 'botbuilder-core';
import { diagnosisEntity } from './diagnosisEntity.js';
import { DATE_INPUT_CHOICE_ID, type DiagnosisSnapshot, progressBar, type Reply } from './replyModel.js';

/**
 * Microsoft Teams: a reply with structure (a title, a plan, progress, facts, buttons, a date
 * picker) becomes one Adaptive Card 1.5; a reply that is only text stays a Markdown message.
 * Buttons are `Action.Submit`, so a click arrives as a message whose `value` is
 * `{ choice: <id> }` (and `{ choice: 'date-input', date: 'yyyy-MM-dd' }` for the date picker),
 * which `readTurnInput` reads.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.5';
/** The id of the Input.Date: Teams puts the picked date under this key of the submit's `value`. */
export const DATE_INPUT_ID = 'date';

/** The parts of Adaptive Cards 1.5 this renderer uses. */
export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Medium';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
}

export interface DateInputElement {
  type: 'Input.Date';
  id: string;
  min: string;
  isRequired: true;
  errorMessage: string;
}

export type CardElement = TextBlock | FactSet | DateInputElement;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: { choice: string; question?: number };
  /** `none` on plain choices, so clicking one does not demand the (required) date first. */
  associatedInputs?: 'auto' | 'none';
}

export interface AdaptiveCard {
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  type: 'AdaptiveCard';
  version: typeof ADAPTIVE_CARD_VERSION;
  body: CardElement[];
  actions?: SubmitAction[];
}

/** True when the reply needs a card; a reply with only text is sent as a Markdown message. */
export function needsCard(reply: Reply): boolean {
  return (
    reply.title !== undefined ||
    (reply.steps?.length ?? 0) > 0 ||
    reply.progress !== undefined ||
    (reply.facts?.length ?? 0) > 0 ||
    (reply.choices?.length ?? 0) > 0 ||
    reply.dateInput !== undefined
  );
}

/** Each line a wrapped TextBlock (TextBlock renders `**bold**`); a blank line starts a new paragraph. */
function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let newParagraph = true;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      newParagraph = true;
      continue;
    }
    blocks.push({ type: 'TextBlock', text: line, wrap: true, ...(newParagraph ? {} : { spacing: 'None' as const }) });
    newParagraph = false;
  }
  return blocks;
}

/**
 * The Adaptive Card of one reply. The date picker starts empty on purpose: a required input,
 * so nobody submits the earliest date by accident.
 */
function questionOf(reply: Reply): { question?: number } {
  return reply.questionId === undefined ? {} : { question: reply.questionId };
}

export function toAdaptiveCard(reply: Reply): AdaptiveCard {
  const body: CardElement[] = [];
  if (reply.title !== undefined && reply.title.trim() !== '') {
    body.push({ type: 'TextBlock', text: reply.title, wrap: true, weight: 'Bolder', size: 'Medium' });
  }
  // The title already says "step 2 of 4"; the bar shows it at a glance.
  if (reply.progress && progressBar(reply.progress) !== '') {
    body.push({
      type: 'TextBlock',
      text: progressBar(reply.progress),
      wrap: true,
      isSubtle: true,
      size: 'Small',
      spacing: 'None',
    });
  }
  body.push(...textBlocks(reply.text));
  (reply.steps ?? []).forEach((step, index) => {
    body.push({ type: 'TextBlock', text: `${index + 1}. ${step}`, wrap: true, ...(index === 0 ? {} : { spacing: 'Small' as const }) });
  });
  if (reply.facts?.length) {
    body.push({ type: 'FactSet', facts: reply.facts.map(({ label, value }) => ({ title: label, value })) });
  }
  const actions: SubmitAction[] = [];
  if (reply.dateInput) {
    body.push({
      type: 'Input.Date',
      id: DATE_INPUT_ID,
      min: reply.dateInput.min,
      isRequired: true,
      errorMessage: reply.dateInput.requiredMessage,
    });
  }
  for (const choice of reply.choices ?? []) {
    actions.push({
      type: 'Action.Submit',
      title: choice.label,
      data: { choice: choice.id, ...questionOf(reply) },
      ...(reply.dateInput ? { associatedInputs: 'none' as const } : {}),
    });
  }
  if (reply.dateInput) {
    actions.push({
      type: 'Action.Submit',
      title: reply.dateInput.submitLabel,
      data: { choice: DATE_INPUT_CHOICE_ID, ...questionOf(reply) },
      associatedInputs: 'auto',
    });
  }
  return {
    $schema: ADAPTIVE_CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function summaryOf(reply: Reply): string {
  const first = reply.title ?? reply.text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  return first.replace(/\*\*/g, '').slice(0, 200);
}

/** Teams (channel `msteams`): Adaptive Cards 1.5 for structured replies, Markdown for plain ones. */
export function renderTeams(replies: readonly Reply[], snapshot: DiagnosisSnapshot): Partial<Activity>[] {
  return replies.map((reply, index) => {
    const isLast = index === replies.length - 1;
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      inputHint: isLast && snapshot.awaiting !== null ? InputHints.ExpectingInput : InputHints.AcceptingInput,
      entities: [diagnosisEntity(snapshot)],
    };
    if (needsCard(reply)) {
      activity.attachments = [CardFactory.adaptiveCard(toAdaptiveCard(reply))];
      activity.summary = summaryOf(reply);
    } else {
      activity.text = reply.text;
      activity.textFormat = 'markdown';
    }
    return activity;
  });
}

/** The body of an `adaptiveCard/action` invoke response that shows `text` as the bot's message. */
export interface AdaptiveCardMessageResponse {
  statusCode: 200;
  type: 'application/vnd.microsoft.activity.message';
  value: string;
}

/**
 * For `adaptiveCard/action` invokes (Universal Actions, `Action.Execute`): the response body that
 * Teams shows as a plain message. Send it as `{ type: 'invokeResponse', value: { status: 200, body } }`.
 */
export function adaptiveCardMessageResponse(text: string): AdaptiveCardMessageResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
}
