import type { Activity, Attachment } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE, diagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { rendererFor } from '../../src/channels/renderers.js';
import { DATE_INPUT_CHOICE_ID } from '../../src/channels/replyModel.js';
import { renderSlack } from '../../src/channels/slackRenderer.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  adaptiveCardMessageResponse,
  renderTeams,
  toAdaptiveCard,
} from '../../src/channels/teamsRenderer.js';
import { renderWebChat } from '../../src/channels/webChatRenderer.js';
import { readTurnInput } from '../../src/bot/turnInput.js';
import {
  allReplies,
  archiveDateReply,
  customerSnapshot,
  photographerSnapshot,
  planReply,
  plainReply,
  stepReply,
  summaryReply,
  symptomReply,
} from './fixtures.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rules of Adaptive Cards 1.5 that apply to what the renderer emits: the card's required
 * `type`/`version`, the element and action types of 1.5 with their known properties and enum
 * values, required properties (TextBlock `text`, FactSet `facts`, input `id`), non-empty
 * Action.Submit titles, valid dates, and ids unique across inputs and actions.
 */
const ELEMENT_PROPS: Record<string, readonly string[]> = {
  TextBlock: ['text', 'wrap', 'weight', 'size', 'isSubtle', 'spacing', 'color', 'maxLines', 'horizontalAlignment', 'separator', 'id', 'isVisible', 'style', 'fontType'],
  FactSet: ['facts', 'spacing', 'separator', 'id', 'isVisible'],
  'Input.Date': ['id', 'min', 'max', 'value', 'placeholder', 'isRequired', 'errorMessage', 'label', 'spacing', 'separator', 'isVisible'],
};
const ENUMS: Record<string, readonly string[]> = {
  size: ['Small', 'Default', 'Medium', 'Large', 'ExtraLarge'],
  weight: ['Lighter', 'Default', 'Bolder'],
  spacing: ['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'],
  associatedInputs: ['auto', 'none', 'Auto', 'None'],
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validateAdaptiveCard15(card: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(card)) return ['card is not an object'];
  if (card.type !== 'AdaptiveCard') errors.push('type must be AdaptiveCard');
  if (card.version !== '1.5') errors.push(`version must be "1.5", got ${String(card.version)}`);
  if (card.$schema !== undefined && card.$schema !== 'http://adaptivecards.io/schemas/adaptive-card.json') errors.push('unexpected $schema');
  const ids = new Set<string>();
  const useId = (id: unknown, where: string): void => {
    if (typeof id !== 'string' || id === '') return void errors.push(`${where}: id must be a non-empty string`);
    if (ids.has(id)) errors.push(`${where}: id "${id}" is not unique`);
    ids.add(id);
  };
  const checkEnums = (object: Json, where: string): void => {
    for (const [key, allowed] of Object.entries(ENUMS)) {
      if (object[key] !== undefined && !allowed.includes(String(object[key]))) errors.push(`${where}: ${key} "${String(object[key])}" is not allowed`);
    }
  };
  const body = card.body ?? [];
  if (!Array.isArray(body)) errors.push('body must be an array');
  let hasRequiredInput = false;
  (Array.isArray(body) ? body : []).forEach((element: unknown, index) => {
    const where = `body[${index}]`;
    if (!isObject(element) || typeof element.type !== 'string') return void errors.push(`${where}: element without type`);
    const known = ELEMENT_PROPS[element.type];
    if (!known) return void errors.push(`${where}: element type ${element.type} is not used by this renderer`);
    for (const key of Object.keys(element)) if (key !== 'type' && !known.includes(key)) errors.push(`${where}: unknown property ${key}`);
    checkEnums(element, where);
    if (element.id !== undefined || element.type.startsWith('Input.')) useId(element.id, where);
    switch (element.type) {
      case 'TextBlock':
        if (typeof element.text !== 'string' || element.text.trim() === '') errors.push(`${where}: TextBlock text must be a non-empty string`);
        if (element.wrap !== undefined && typeof element.wrap !== 'boolean') errors.push(`${where}: wrap must be boolean`);
        break;
      case 'FactSet':
        if (!Array.isArray(element.facts) || element.facts.length === 0) errors.push(`${where}: FactSet needs facts`);
        for (const fact of Array.isArray(element.facts) ? element.facts : []) {
          if (!isObject(fact) || typeof fact.title !== 'string' || typeof fact.value !== 'string') errors.push(`${where}: fact needs string title and value`);
        }
        break;
      case 'Input.Date':
        for (const key of ['min', 'max', 'value'] as const) {
          if (element[key] !== undefined && (typeof element[key] !== 'string' || !ISO_DATE.test(element[key]))) errors.push(`${where}: ${key} must be yyyy-MM-dd`);
        }
        if (element.isRequired === true) {
          hasRequiredInput = true;
          if (typeof element.errorMessage !== 'string' || element.errorMessage === '') errors.push(`${where}: a required input needs an errorMessage`);
        }
        break;
    }
  });
  const actions = card.actions ?? [];
  if (!Array.isArray(actions)) errors.push('actions must be an array');
  (Array.isArray(actions) ? actions : []).forEach((action: unknown, index) => {
    const where = `actions[${index}]`;
    if (!isObject(action)) return void errors.push(`${where}: not an object`);
    if (action.type !== 'Action.Submit') return void errors.push(`${where}: only Action.Submit expected, got ${String(action.type)}`);
    for (const key of Object.keys(action)) if (!['type', 'title', 'data', 'associatedInputs', 'id', 'style', 'iconUrl', 'tooltip', 'isEnabled', 'mode'].includes(key)) errors.push(`${where}: unknown property ${key}`);
    if (typeof action.title !== 'string' || action.title.trim() === '') errors.push(`${where}: Action.Submit needs a non-empty title`);
    if (action.data !== undefined && !isObject(action.data) && typeof action.data !== 'string') errors.push(`${where}: data must be an object or a string`);
    if (action.id !== undefined) useId(action.id, where);
    checkEnums(action, where);
    // With a required input on the card, a plain choice must not demand it (1.3+ validates by default).
    if (hasRequiredInput && isObject(action.data) && action.data.choice !== DATE_INPUT_CHOICE_ID && action.associatedInputs !== 'none') {
      errors.push(`${where}: a choice next to a required input needs associatedInputs "none"`);
    }
  });
  if (JSON.stringify(card) !== JSON.stringify(JSON.parse(JSON.stringify(card)))) errors.push('card does not survive JSON');
  return errors;
}

function cardOf(activity: Partial<Activity>): AdaptiveCard {
  expect(activity.attachments).toHaveLength(1);
  const attachment = activity.attachments?.[0] as Attachment;
  expect(attachment.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
  return attachment.content as AdaptiveCard;
}

function textsOf(card: AdaptiveCard): string[] {
  return card.body.flatMap((element) => (element.type === 'TextBlock' ? [element.text] : []));
}

describe('renderTeams', () => {
  it('turns a fix plan into one Adaptive Card 1.5: bold title, wrapped text, numbered steps, Action.Submit choices', () => {
    const [activity] = renderTeams([planReply], photographerSnapshot);
    const card = cardOf(activity!);
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5' });
    expect(card.body[0]).toEqual({ type: 'TextBlock', text: planReply.title, wrap: true, weight: 'Bolder', size: 'Medium' });
    expect(textsOf(card)).toEqual([
      planReply.title,
      'Seit **12.10.2026** archiviert, deshalb sieht die Kundin „Verkauf verpasst?".',
      'Wieder öffnen in 4 Schritten:',
      '1. Archivierung abwählen und ein neues Archivierungsdatum setzen',
      '2. die automatische Kampagne deaktivieren',
      '3. Einstellungen speichern',
      '4. Status „Verkauf"',
    ]);
    expect(card.body.every((element) => element.type !== 'TextBlock' || element.wrap)).toBe(true);
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Schritt für Schritt', data: { choice: 'walk' } },
      { type: 'Action.Submit', title: 'Mach das für mich', data: { choice: 'do-it' } },
    ]);
    expect(activity!.text).toBeUndefined();
    expect(activity!.summary).toBe(planReply.title);
  });

  it('maps every choice to an Action.Submit whose data carries the choice id, and nothing Teams-specific', () => {
    for (const reply of allReplies) {
      const activity = renderTeams([reply], photographerSnapshot)[0]!;
      if (!reply.choices?.length) continue;
      const card = cardOf(activity);
      const submits = (card.actions ?? []).filter((action) => action.data.choice !== DATE_INPUT_CHOICE_ID);
      expect(submits.map((action) => [action.title, action.data])).toEqual(reply.choices.map((choice) => [choice.label, { choice: choice.id }]));
      expect(JSON.stringify(card)).not.toContain('msteams');
    }
  });

  it('shows progress as a subtle bar under the title', () => {
    const card = cardOf(renderTeams([stepReply], photographerSnapshot)[0]!);
    expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: '▰▰▱▱', isSubtle: true });
  });

  it('shows facts as a FactSet', () => {
    const card = cardOf(renderTeams([summaryReply], photographerSnapshot)[0]!);
    expect(card.body).toContainEqual({
      type: 'FactSet',
      facts: [
        { title: 'Archivierung', value: 'an, So 20.12.2026' },
        { title: 'Automatische Kampagne', value: 'aus' },
        { title: 'Status', value: 'Verkauf' },
      ],
    });
  });

  it('turns a date input into a required Input.Date and a submit that carries choice "date-input"', () => {
    const card = cardOf(renderTeams([archiveDateReply], photographerSnapshot)[0]!);
    expect(card.body).toContainEqual({
      type: 'Input.Date',
      id: 'date',
      min: '2026-11-30',
      isRequired: true,
      errorMessage: 'Bitte wähle ein Datum.',
    });
    expect(card.actions?.at(-1)).toEqual({ type: 'Action.Submit', title: 'Datum übernehmen', data: { choice: 'date-input' }, associatedInputs: 'auto' });
    // The suggested Sundays stay one click: they do not validate the empty date picker.
    expect(card.actions?.slice(0, 3).every((action) => action.associatedInputs === 'none')).toBe(true);
  });

  it('reads the submit Teams sends back for the date picker as the picked date', () => {
    const input = readTurnInput({ type: 'message', value: { choice: 'date-input', date: '2026-12-20' } });
    expect(input).toEqual({ text: '2026-12-20', choiceId: 'date-input', questionId: null, attachmentsOnly: false });
    expect(readTurnInput({ type: 'message', text: 'morgen', value: { choice: 'date-input', date: '2026-12-20' } }).text).toBe('morgen');
    expect(readTurnInput({ type: 'message', value: { choice: 'yes' } })).toEqual({ text: '', choiceId: 'yes', questionId: null, attachmentsOnly: false });
    expect(readTurnInput({ type: 'message', value: { choice: 'yes', question: 7 } }).questionId).toBe(7);
    expect(readTurnInput({ type: 'message', value: { choice: 'date-input', date: 42 } }).text).toBe('');
  });

  it("sends the question's number back with every button, so old cards are recognised", () => {
    const card = toAdaptiveCard({ ...archiveDateReply, questionId: 7 });
    expect(card.actions?.every((action) => action.data.question === 7)).toBe(true);
    expect(toAdaptiveCard(archiveDateReply).actions?.every((action) => !('question' in action.data))).toBe(true);
  });

  it('shows pictured choices as plain buttons, without images', () => {
    const card = cardOf(renderTeams([symptomReply], customerSnapshot)[0]!);
    expect(card.actions?.map((action) => action.title)).toEqual(['Almost ready', 'Incorrect code', 'Missed the sale', 'Something else']);
    expect(JSON.stringify(card)).not.toContain('data:image');
  });

  it('sends a reply with only text as a Markdown message, without a card', () => {
    const [activity] = renderTeams([plainReply], customerSnapshot);
    expect(activity).toMatchObject({ type: 'message', text: plainReply.text, textFormat: 'markdown' });
    expect(activity!.attachments).toBeUndefined();
  });

  it('puts the diagnosis entity on every activity and expects input on the last one only', () => {
    const activities = renderTeams(allReplies, photographerSnapshot);
    expect(activities).toHaveLength(allReplies.length);
    for (const activity of activities) {
      expect(activity.type).toBe('message');
      expect(activity.entities).toEqual([diagnosisEntity(photographerSnapshot)]);
      expect(activity.entities?.[0]?.type).toBe(DIAGNOSIS_ENTITY_TYPE);
    }
    expect(activities.map((activity) => activity.inputHint)).toEqual([...allReplies.slice(1).map(() => 'acceptingInput'), 'expectingInput']);
    expect(renderTeams([plainReply], { ...photographerSnapshot, awaiting: null })[0]!.inputHint).toBe('acceptingInput');
  });

  it('produces only cards that follow the rules of Adaptive Cards 1.5', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'nl-NL']) {
      for (const activity of renderTeams(allReplies, { ...photographerSnapshot, locale })) {
        for (const attachment of activity.attachments ?? []) {
          expect(validateAdaptiveCard15(attachment.content), JSON.stringify(attachment.content)).toEqual([]);
        }
      }
    }
    // Edge shapes: buttons without text or title, facts only, a date input alone.
    const edgy = [
      { text: '', choices: [{ id: 'a', label: 'A' }] },
      { text: '\n\n', facts: [{ label: 'Status', value: 'Selling' }] },
      { text: 'Pick a date', dateInput: { min: '2027-01-03', submitLabel: 'OK', requiredMessage: 'Please pick a date.' } },
    ];
    for (const reply of edgy) expect(validateAdaptiveCard15(toAdaptiveCard(reply))).toEqual([]);
  });

  it('has a validator that catches broken cards', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.6',
      body: [{ type: 'TextBlock', text: '' }, { type: 'Input.Date', id: 'date', isRequired: true, min: '30.11.2026' }, { type: 'Input.Date', id: 'date' }],
      actions: [{ type: 'Action.Submit', title: ' ', data: { choice: 'yes' } }],
    };
    expect(validateAdaptiveCard15(broken)).toEqual([
      'version must be "1.5", got 1.6',
      'body[0]: TextBlock text must be a non-empty string',
      'body[1]: min must be yyyy-MM-dd',
      'body[1]: a required input needs an errorMessage',
      'body[2]: id "date" is not unique',
      'actions[0]: Action.Submit needs a non-empty title',
      'actions[0]: a choice next to a required input needs associatedInputs "none"',
    ]);
  });

  it('builds the adaptiveCard/action invoke response body', () => {
    expect(adaptiveCardMessageResponse('Erledigt.')).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Erledigt.' });
  });
});

describe('rendererFor', () => {
  it('picks Teams for msteams, Slack for slack and Web Chat for everything else', () => {
    expect(rendererFor('msteams')).toBe(renderTeams);
    expect(rendererFor('slack')).toBe(renderSlack);
    for (const channel of ['webchat', 'directline', 'emulator', 'test', '']) expect(rendererFor(channel)).toBe(renderWebChat);
  });
});
