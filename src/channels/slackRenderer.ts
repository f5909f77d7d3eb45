import { type Activity, ActionTypes, ActivityTypes, CardFactory, InputHints } from 'botbuilder-core';
import type { ActionsBlock, Button, ContextBlock, Datepicker, KnownBlock, SectionBlock } from '@slack/web-api';
import { diagnosisEntity } from './diagnosisEntity.js';
import { type DiagnosisSnapshot, type Reply, progressBar } from './replyModel.js';

/**
 * Slack through the Azure Bot Service Slack channel. What that channel delivers reliably is
 * text in Slack mrkdwn and hero-card buttons (Block Kit in `channelData` is not), so that is
 * what `renderSlack` produces. `toBlockKit` builds the richer Block Kit message for the Slack
 * Web API path (see slackWebApi.ts), used when the channel hands the bot its Slack token.
 */

/** The prefix of a Block Kit button's `action_id`; the rest (and the button's `value`) is the choice id. */
export const SLACK_CHOICE_ACTION_PREFIX = 'choice:';
/** The prefix of an actions block's `block_id`: `question:<number>:<block>`. */
export const SLACK_QUESTION_BLOCK_PREFIX = 'question:';

/** The `action_id` of the Block Kit date picker. */
export const SLACK_DATE_ACTION_ID = 'date';

/** Slack's limits: section text 3,000 characters, button text 75, a field 2,000, 10 fields a section. */
const SECTION_TEXT_MAX = 3000;
const BUTTON_TEXT_MAX = 75;
const FIELD_TEXT_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const ELEMENTS_PER_ACTIONS = 25;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack wants `&`, `<` and `>` escaped in message text; everything else is literal. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markdown-light to Slack mrkdwn: `**bold**` → `*bold*`, with Slack's escaping. */
export function toMrkdwn(text: string): string {
  return escapeSlack(text).replace(/\*\*([^*\n]+?)\*\*/g, '*$1*');
}

/** A title as Slack's bold, which cannot span lines or hold asterisks. */
function boldLine(text: string): string {
  const plain = text.replace(/\*+/g, '').replace(/\s*\n\s*/g, ' ').trim();
  return plain === '' ? '' : `*${escapeSlack(plain)}*`;
}

/**
 * The whole reply as one mrkdwn text: the title as a bold first line, the text, the steps as
 * `1. …` lines and the facts as `• *label:* value` lines. Progress is left out: the dialogs
 * already say "step 2 of 4" in the title.
 */
export function slackText(reply: Reply): string {
  const head = [reply.title ? boldLine(reply.title) : '', toMrkdwn(reply.text)].filter((part) => part.trim() !== '').join('\n');
  const steps = (reply.steps ?? []).map((step, index) => `${index + 1}. ${toMrkdwn(step)}`).join('\n');
  const facts = (reply.facts ?? []).map(({ label, value }) => `• ${boldLine(`${label}:`)} ${toMrkdwn(value)}`).join('\n');
  return [head, steps, facts].filter((part) => part !== '').join('\n\n');
}

/**
 * Slack via Azure Bot Service (channel `slack`): mrkdwn text and, for choices, a hero card of
 * imBack buttons whose value is the label (typing the label is the same input), or postBack
 * buttons for choices that carry their own value. Pictures and
 * the date picker are left out: the channel cannot show them; the dialogs offer typed dates.
 */
export function renderSlack(replies: readonly Reply[], snapshot: DiagnosisSnapshot): Partial<Activity>[] {
  return replies.map((reply, index) => {
    const isLast = index === replies.length - 1;
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: slackText(reply),
      inputHint: isLast && snapshot.awaiting !== null ? InputHints.ExpectingInput : InputHints.AcceptingInput,
      entities: [diagnosisEntity(snapshot)],
    };
    if (reply.choices?.length) {
      activity.attachments = [
        CardFactory.heroCard(
          '',
          [],
          // A button with its own value posts it back unseen instead of typing it for the person.
          reply.choices.map((choice) =>
            choice.value === undefined
              ? { type: ActionTypes.ImBack, title: choice.label, value: choice.label }
              : { type: ActionTypes.PostBack, title: choice.label, value: choice.value },
          ),
        ),
      ];
    }
    return activity;
  });
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_TEXT_MAX) } };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * One reply as Block Kit, for `chat.postMessage` through the Slack Web API: the title and the
 * text as mrkdwn sections, progress as a context block, the steps as a section of `1. …` lines,
 * the facts as section fields, the choices as buttons (`action_id` `choice:<id>`, `value` the
 * id) and the date input as a date picker (`action_id` `date`, starting at the earliest date).
 */
export function toBlockKit(reply: Reply): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (reply.title && boldLine(reply.title) !== '') blocks.push(section(boldLine(reply.title)));
  if (reply.progress) {
    const bar = progressBar(reply.progress);
    const text = `${bar === '' ? '' : `${bar}  `}${reply.progress.step}/${reply.progress.steps}`;
    const context: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text }] };
    blocks.push(context);
  }
  if (reply.text.trim() !== '') blocks.push(section(toMrkdwn(reply.text)));
  if (reply.steps?.length) blocks.push(section(reply.steps.map((step, index) => `${index + 1}. ${toMrkdwn(step)}`).join('\n')));
  for (const facts of chunks(reply.facts ?? [], FIELDS_PER_SECTION)) {
    blocks.push({
      type: 'section',
      fields: facts.map(({ label, value }) => ({ type: 'mrkdwn', text: truncate(`${boldLine(label)}\n${toMrkdwn(value)}`, FIELD_TEXT_MAX) })),
    });
  }
  // Block ids carry the question's number (unique per block), so a click on an old message is recognised.
  let actionBlocks = 0;
  const blockId = (): { block_id?: string } =>
    reply.questionId === undefined ? {} : { block_id: `${SLACK_QUESTION_BLOCK_PREFIX}${reply.questionId}:${(actionBlocks += 1)}` };
  if (reply.dateInput) {
    const picker: Datepicker = { type: 'datepicker', action_id: SLACK_DATE_ACTION_ID, initial_date: reply.dateInput.min };
    const actions: ActionsBlock = { type: 'actions', elements: [picker], ...blockId() };
    blocks.push(actions);
  }
  for (const choices of chunks(reply.choices ?? [], ELEMENTS_PER_ACTIONS)) {
    const buttons: Button[] = choices.map((choice) => ({
      type: 'button',
      text: { type: 'plain_text', text: truncate(choice.label, BUTTON_TEXT_MAX), emoji: true },
      action_id: `${SLACK_CHOICE_ACTION_PREFIX}${choice.id}`,
      value: choice.id,
    }));
    blocks.push({ type: 'actions', elements: buttons, ...blockId() });
  }
  return blocks;
}
