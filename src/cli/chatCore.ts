/**
 * The pure parts of the terminal chat client (`npm run chat`): who you are on which
 * channel, the activities it posts, how a reply is shown, and what a typed line means.
 * Nothing here touches the terminal or the network, so all of it is testable as is.
 */

export const LANGS = ['en', 'de', 'fr', 'nl'] as const;
export type Lang = (typeof LANGS)[number];

export const PERSONAS = ['customer', 'photographer-teams', 'photographer-slack', 'emulator'] as const;
export type Persona = (typeof PERSONAS)[number];

export const LOCALES: Record<Lang, string> = { en: 'en-US', de: 'de-DE', fr: 'fr-FR', nl: 'nl-NL' };
export const LANG_NAMES: Record<Lang, string> = { en: 'English', de: 'Deutsch', fr: 'Français', nl: 'Nederlands' };
export const PERSONA_NAMES: Record<Persona, string> = {
  customer: 'a customer (Web Chat on the shop pages)',
  'photographer-teams': 'a photographer on Microsoft Teams',
  'photographer-slack': 'a photographer on Slack',
  emulator: 'the Bot Framework Emulator (the bot asks who you are)',
};

export const DEFAULT_URL = 'http://127.0.0.1:3978';
export const SERVICE_URL = 'http://127.0.0.1/chat-client';
export const DIAGNOSIS_TYPE = 'gallery-access/diagnosis';
/** The Slack workspace the client pretends to be in. */
export const DEMO_SLACK_TEAM = 'T0CHATDEMO';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function isPersona(value: unknown): value is Persona {
  return typeof value === 'string' && (PERSONAS as readonly string[]).includes(value);
}

/** The bot's base URL: no trailing slash, and `/api/messages` tolerated if pasted along. */
export function normalizeUrl(raw: string): string {
  const url = new URL(raw.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) URL: ${raw}`);
  return url.href.replace(/\/+$/, '').replace(/\/api\/messages$/, '');
}

// ---------------------------------------------------------------------------------------
// Who you are

export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

export interface Identity {
  persona: Persona;
  channelId: string;
  from: ChannelAccount;
  channelData?: Record<string, unknown>;
  /** One line for people: "a customer on webchat". */
  description: string;
}

export interface IdentityOptions {
  /** Teams aadObjectId or Slack user id (a Slack `U…:T…` pair sets the workspace too). */
  user?: string;
  /** Shown as from.name, e.g. the demo photographer's name. */
  name?: string;
  /** Random part of generated ids; tests pass a fixed one. */
  random?: string;
}

function randomPart(): string {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0');
}

/** The channel identity the bot reads for a persona: the role comes from here, never from typed text. */
export function identityFor(persona: Persona, options: IdentityOptions = {}): Identity {
  const random = options.random ?? randomPart();
  switch (persona) {
    case 'customer':
      return {
        persona,
        channelId: 'webchat',
        from: { id: `chat-${random}`, name: options.name ?? 'Customer' },
        description: 'a customer on Web Chat (channel webchat)',
      };
    case 'photographer-teams': {
      const aadObjectId = options.user ?? `unlinked-${random}`;
      return {
        persona,
        channelId: 'msteams',
        from: { id: `29:chat-${random}`, name: options.name ?? 'Teams user', aadObjectId },
        description: `${options.name ?? 'a Teams user'} on Microsoft Teams (aadObjectId ${aadObjectId})`,
      };
    }
    case 'photographer-slack': {
      const [userPart, teamPart] = (options.user ?? `UCHAT${random.toUpperCase()}`).split(':');
      const slackUser = userPart || `UCHAT${random.toUpperCase()}`;
      const team = teamPart || DEMO_SLACK_TEAM;
      return {
        persona,
        channelId: 'slack',
        from: { id: `${slackUser}:${team}`, name: options.name ?? 'Slack user' },
        channelData: { SlackMessage: { team_id: team, event: { type: 'message', user: slackUser } } },
        description: `${options.name ?? 'a Slack user'} on Slack (user ${slackUser})`,
      };
    }
    case 'emulator':
      return {
        persona,
        channelId: 'emulator',
        from: { id: `emulator-${random}`, name: options.name ?? 'User' },
        description: 'the Emulator (channel emulator; the bot will ask who you are)',
      };
  }
}

/** A demo photographer the client offers for Teams or Slack, from the platform data file. */
export interface DemoUser {
  name: string;
  userId: string;
}

/** Reads the photographers with ids on a channel from the platform data (loosely: never throws). */
export function demoUsers(platformData: unknown, channel: 'msteams' | 'slack'): DemoUser[] {
  if (!isRecord(platformData) || !Array.isArray(platformData.photographers)) return [];
  return platformData.photographers.flatMap((photographer: unknown) => {
    if (!isRecord(photographer) || !isRecord(photographer.channels)) return [];
    const ids = photographer.channels[channel];
    if (!Array.isArray(ids)) return [];
    const name = typeof photographer.name === 'string' ? photographer.name : String(photographer.id ?? 'photographer');
    return ids.filter((id): id is string => typeof id === 'string' && id !== '').map((userId) => ({ name, userId }));
  });
}

// ---------------------------------------------------------------------------------------
// What the client posts

export interface Session {
  identity: Identity;
  lang: Lang;
  conversationId: string;
}

export interface OutgoingActivity {
  type: 'message' | 'conversationUpdate';
  id: string;
  channelId: string;
  serviceUrl: string;
  deliveryMode: 'expectReplies';
  conversation: { id: string };
  from: ChannelAccount;
  recipient: ChannelAccount;
  locale: string;
  timestamp: string;
  channelData?: Record<string, unknown>;
  membersAdded?: ChannelAccount[];
  text?: string;
  value?: unknown;
}

/** What a message carries: typed text, or a card submit's value without text. */
export interface MessageInput {
  text?: string;
  value?: unknown;
}

function baseActivity(session: Session, type: OutgoingActivity['type'], id: string, now: Date): OutgoingActivity {
  const { identity } = session;
  return {
    type,
    id,
    channelId: identity.channelId,
    serviceUrl: SERVICE_URL,
    deliveryMode: 'expectReplies',
    conversation: { id: session.conversationId },
    from: { ...identity.from },
    recipient: { id: 'bot', name: 'Gallery Access Assistant' },
    locale: LOCALES[session.lang],
    timestamp: now.toISOString(),
  };
}

/** The first activity of a conversation: the user joins, so the bot greets. */
export function buildConversationUpdate(session: Session, id: string, now = new Date()): OutgoingActivity {
  const activity = baseActivity(session, 'conversationUpdate', id, now);
  if (session.identity.channelData !== undefined) activity.channelData = structuredClone(session.identity.channelData);
  activity.membersAdded = [{ ...session.identity.from }];
  return activity;
}

export function buildMessage(session: Session, input: MessageInput, id: string, now = new Date()): OutgoingActivity {
  const activity = baseActivity(session, 'message', id, now);
  if (session.identity.channelData !== undefined) {
    const channelData = structuredClone(session.identity.channelData);
    // Through Azure Bot Service, the Slack event carries the text too.
    const slack = channelData.SlackMessage;
    if (isRecord(slack) && isRecord(slack.event) && input.text !== undefined) slack.event.text = input.text;
    activity.channelData = channelData;
  }
  if (input.text !== undefined) activity.text = input.text;
  if (input.value !== undefined) activity.value = input.value;
  return activity;
}

// ---------------------------------------------------------------------------------------
// What a typed line means

/** An input a card asks for before its submit button sends (Adaptive Card Input.*). */
export interface CardInput {
  id: string;
  type: string;
  label: string;
  defaultValue?: string;
  choices?: { title: string; value: string }[];
  multi?: boolean;
  min?: string;
  max?: string;
}

export type ChoiceAction =
  | { kind: 'message'; text?: string; value?: unknown }
  | { kind: 'submit'; data: unknown; inputs: CardInput[] }
  | { kind: 'open'; url: string }
  | { kind: 'none' };

export interface Choice {
  label: string;
  action: ChoiceAction;
}

export type LineMeaning =
  | { kind: 'empty' }
  | { kind: 'command'; command: 'quit' | 'restart' | 'entity' | 'help' }
  | { kind: 'unknown-command'; command: string }
  | { kind: 'choice'; index: number; choice: Choice }
  | { kind: 'text'; text: string };

const COMMANDS: Record<string, 'quit' | 'restart' | 'entity' | 'help'> = {
  '/quit': 'quit',
  '/exit': 'quit',
  '/q': 'quit',
  '/restart': 'restart',
  '/entity': 'entity',
  '/help': 'help',
  '/?': 'help',
};

/** A number picks one of the last reply's buttons; `/…` is a command; anything else is text for the bot. */
export function interpretLine(line: string, choices: readonly Choice[]): LineMeaning {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (trimmed.startsWith('/') && /^\/\S*$/.test(trimmed)) {
    const command = COMMANDS[trimmed.toLowerCase()];
    return command ? { kind: 'command', command } : { kind: 'unknown-command', command: trimmed };
  }
  const number = /^\[?(\d{1,3})\]?\.?$/.exec(trimmed);
  if (number?.[1] !== undefined) {
    const index = Number(number[1]);
    const choice = choices[index - 1];
    if (index >= 1 && choice !== undefined) return { kind: 'choice', index, choice };
  }
  return { kind: 'text', text: trimmed };
}

/**
 * The message a chosen button sends; card inputs are merged into a submit's data the way
 * Adaptive Cards do. Null when the button sends nothing (a link, a card without actions).
 */
export function messageForChoice(choice: Choice, inputValues: Record<string, string> = {}): MessageInput | null {
  const { action } = choice;
  switch (action.kind) {
    case 'message':
      return {
        ...(action.text !== undefined ? { text: action.text } : {}),
        ...(action.value !== undefined ? { value: action.value } : {}),
      };
    case 'submit': {
      const data = action.data;
      if (data === undefined || isRecord(data)) return { value: { ...(data ?? {}), ...inputValues } };
      return { value: data };
    }
    case 'open':
    case 'none':
      return null;
  }
}

/** The choice a card input's answer stands for: a number picks from its choices, else the typed value. */
export function inputAnswer(input: CardInput, answer: string): string {
  const trimmed = answer.trim();
  if (trimmed === '') return input.defaultValue ?? '';
  const pick = (part: string) => (/^\d+$/.test(part) ? input.choices?.[Number(part) - 1]?.value : undefined) ?? part;
  if (input.choices?.length) return input.multi ? trimmed.split(/[\s,]+/).map(pick).join(',') : pick(trimmed);
  return trimmed;
}

// ---------------------------------------------------------------------------------------
// How a reply is shown

export interface Style {
  color: boolean;
  /** Columns for wrapping the button line. */
  width?: number;
}

const ansi = (open: number, close: number) => (style: Style, text: string) => (style.color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
export const bold = ansi(1, 22);
export const dim = ansi(2, 22);
export const cyan = ansi(36, 39);
export const red = ansi(31, 39);

/** `**bold**` as bold (or plain without color), `[text](url)` as `text (url)`; lists stay as they are. */
export function formatMarkdown(text: string, style: Style): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\[([^\]\n]+)\]\((https?:[^)\s]+)\)/g, (_all, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/\*\*([^*\n](?:[^*\n]|\*(?!\*))*?)\*\*/g, (_all, inner: string) => bold(style, inner));
}

export interface RenderedReply {
  lines: string[];
  choices: Choice[];
  /** The diagnosis entity of the last reply that has one. */
  entity: Record<string, unknown> | null;
}

const BOT_PREFIX = 'Bot: ';
const INDENT = ' '.repeat(BOT_PREFIX.length);

/** Turns the bot's reply activities into lines to print, the numbered buttons, and the entity. */
export function renderReplies(activities: unknown, style: Style, firstNumber = 1): RenderedReply {
  const lines: string[] = [];
  const choices: Choice[] = [];
  let entity: Record<string, unknown> | null = null;
  const list = Array.isArray(activities) ? activities : [];
  for (const activity of list) {
    if (!isRecord(activity)) continue;
    const found = diagnosisEntityOf(activity);
    if (found !== null) entity = found;
    const type = typeof activity.type === 'string' ? activity.type : 'message';
    if (type === 'message') {
      const body: string[] = [];
      const own: Choice[] = [];
      if (typeof activity.text === 'string' && activity.text.trim() !== '') {
        body.push(...formatMarkdown(activity.text.trim(), style).split('\n'));
      }
      if (Array.isArray(activity.attachments)) {
        for (const attachment of activity.attachments) renderAttachment(attachment, style, body, own);
      }
      if (isRecord(activity.suggestedActions) && Array.isArray(activity.suggestedActions.actions)) {
        for (const action of activity.suggestedActions.actions) {
          const choice = cardActionChoice(action);
          if (choice !== null) own.push(choice);
        }
      }
      if (body.length === 0 && own.length === 0) continue;
      if (body.length === 0) body.push('');
      body.forEach((line, index) => lines.push((index === 0 ? cyan(style, BOT_PREFIX) : INDENT) + line));
      if (own.length > 0) {
        const labels = own.map((choice, index) => `${bold(style, `[${firstNumber + choices.length + index}]`)} ${choice.label}`);
        for (const row of wrapItems(labels, (style.width ?? 100) - INDENT.length)) lines.push(INDENT + row);
        choices.push(...own);
      }
    } else if (type === 'event' || type === 'invoke') {
      const name = typeof activity.name === 'string' ? activity.name : type;
      const note = name === 'handoff.initiate' ? 'handed over to a support agent (handoff.initiate)' : `${type} ${name}`;
      lines.push(INDENT + dim(style, `(${note})`));
    } else if (type === 'endOfConversation') {
      lines.push(INDENT + dim(style, '(the bot ended the conversation)'));
    }
    // typing, trace and anything else: nothing to show
  }
  if (entity !== null) lines.push(INDENT + dim(style, entityLine(entity)));
  return { lines, choices, entity };
}

/** `scenario job-archived · step 2/4 · waiting for archive-date` */
export function entityLine(entity: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);
  const parts: string[] = [];
  const scenario = text(entity.scenario);
  const symptom = text(entity.symptom);
  if (scenario !== null) parts.push(`scenario ${scenario}`);
  else parts.push(symptom !== null ? `symptom ${symptom} · scenario not known yet` : 'scenario not known yet');
  if (Array.isArray(entity.secondary)) {
    const secondary = entity.secondary.map(text).filter((value): value is string => value !== null);
    if (secondary.length > 0) parts.push(`also ${secondary.join(', ')}`);
  }
  const step = text(entity.step);
  if (step !== null) parts.push(`step ${step}/${text(entity.steps) ?? '?'}`);
  const awaiting = text(entity.awaiting);
  if (awaiting !== null) parts.push(`waiting for ${awaiting}`);
  return parts.join(' · ');
}

export function diagnosisEntityOf(activity: Record<string, unknown>): Record<string, unknown> | null {
  if (!Array.isArray(activity.entities)) return null;
  const found: unknown = activity.entities.find((entity: unknown) => isRecord(entity) && entity.type === DIAGNOSIS_TYPE);
  return isRecord(found) ? found : null;
}

/** Button labels in rows no wider than `width`, two spaces apart. */
export function wrapItems(items: readonly string[], width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const item of items) {
    if (row !== '' && visibleLength(row) + 2 + visibleLength(item) > width) {
      rows.push(row);
      row = item;
    } else {
      row = row === '' ? item : `${row}  ${item}`;
    }
  }
  if (row !== '') rows.push(row);
  return rows;
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Bot Framework card actions: suggested actions and hero-card buttons. */
function cardActionChoice(action: unknown): Choice | null {
  if (!isRecord(action)) return null;
  const type = typeof action.type === 'string' ? action.type : 'imBack';
  const value = action.value;
  const title = oneLine(typeof action.title === 'string' && action.title !== '' ? action.title : typeof value === 'string' ? value : typeof action.text === 'string' ? action.text : 'button');
  switch (type) {
    case 'openUrl':
    case 'downloadFile':
    case 'showImage':
    case 'playAudio':
    case 'playVideo':
    case 'signin':
      return typeof value === 'string' ? { label: `${title} ↗`, action: { kind: 'open', url: value } } : { label: title, action: { kind: 'none' } };
    case 'messageBack': {
      const text = typeof action.text === 'string' && action.text !== '' ? action.text : undefined;
      const result: ChoiceAction = { kind: 'message' };
      if (text !== undefined) result.text = text;
      if (value !== undefined && value !== null) result.value = value;
      if (text === undefined && result.value === undefined) result.text = title;
      return { label: title, action: result };
    }
    case 'postBack':
      return { label: title, action: typeof value === 'string' || value === undefined || value === null ? { kind: 'message', text: typeof value === 'string' ? value : title } : { kind: 'message', value } };
    default: // imBack and anything unknown: the value is what the user "says"
      return { label: title, action: { kind: 'message', text: typeof value === 'string' && value !== '' ? value : value === undefined || value === null ? title : JSON.stringify(value) } };
  }
}

function renderAttachment(attachment: unknown, style: Style, body: string[], choices: Choice[]): void {
  if (!isRecord(attachment)) return;
  const contentType = typeof attachment.contentType === 'string' ? attachment.contentType : '';
  const content = attachment.content;
  if (contentType === 'application/vnd.microsoft.card.adaptive' && isRecord(content)) {
    renderAdaptiveCard(content, style, body, choices);
  } else if (contentType.startsWith('application/vnd.microsoft.card.') && isRecord(content)) {
    // hero, thumbnail and similar cards
    if (typeof content.title === 'string' && content.title !== '') body.push(bold(style, oneLine(content.title)));
    if (typeof content.subtitle === 'string' && content.subtitle !== '') body.push(oneLine(content.subtitle));
    if (typeof content.text === 'string' && content.text !== '') body.push(...formatMarkdown(content.text, style).split('\n'));
    if (Array.isArray(content.images)) {
      for (const image of content.images) {
        if (isRecord(image)) body.push(dim(style, `(picture: ${pictureName(image.alt, image.url)})`));
      }
    }
    if (Array.isArray(content.buttons)) {
      for (const button of content.buttons) {
        const choice = cardActionChoice(button);
        if (choice !== null) choices.push(choice);
      }
    }
  } else if (contentType !== '') {
    const name = typeof attachment.name === 'string' ? attachment.name : typeof attachment.contentUrl === 'string' ? attachment.contentUrl : contentType;
    body.push(dim(style, `(attachment: ${oneLine(name)})`));
  }
}

function renderAdaptiveCard(card: Record<string, unknown>, style: Style, body: string[], choices: Choice[]): void {
  const inputs: CardInput[] = [];
  walkElements(card.body, (element) => {
    const type = typeof element.type === 'string' ? element.type : '';
    if (type === 'TextBlock' || type === 'RichTextBlock') {
      const text = type === 'TextBlock' ? element.text : Array.isArray(element.inlines) ? element.inlines.map((inline) => (isRecord(inline) ? inline.text : inline)).join('') : '';
      if (typeof text === 'string' && text.trim() !== '') {
        const formatted = formatMarkdown(text.trim(), style);
        body.push(...(element.weight === 'bolder' ? bold(style, formatted) : formatted).split('\n'));
      }
    } else if (type === 'FactSet' && Array.isArray(element.facts)) {
      for (const fact of element.facts) {
        if (isRecord(fact)) body.push(`${oneLine(String(fact.title ?? ''))}: ${oneLine(String(fact.value ?? ''))}`);
      }
    } else if (type === 'Image') {
      body.push(dim(style, `(picture: ${pictureName(element.altText, element.url)})`));
    } else if (type.startsWith('Input.')) {
      const input = cardInput(element, type);
      inputs.push(input);
      body.push(dim(style, describeInput(input)));
    }
  });
  const addAction = (action: unknown) => {
    if (!isRecord(action)) return;
    const type = typeof action.type === 'string' ? action.type : '';
    const title = oneLine(typeof action.title === 'string' && action.title !== '' ? action.title : typeof action.verb === 'string' ? action.verb : 'Submit');
    if (type === 'Action.Submit' || type === 'Action.Execute') {
      let data: unknown = action.data;
      if (type === 'Action.Execute' && data === undefined && typeof action.verb === 'string') data = { verb: action.verb };
      choices.push({ label: title, action: teamsSubmit(data) ?? { kind: 'submit', data, inputs } });
    } else if (type === 'Action.OpenUrl' && typeof action.url === 'string') {
      choices.push({ label: `${title} ↗`, action: { kind: 'open', url: action.url } });
    } else if (type === 'Action.ShowCard' && isRecord(action.card)) {
      // A shown card's own inputs and actions, flattened: the terminal has no cards to unfold.
      renderAdaptiveCard(action.card, style, body, choices);
    }
  };
  if (Array.isArray(card.actions)) card.actions.forEach(addAction);
  walkElements(card.body, (element) => {
    if (element.type === 'ActionSet' && Array.isArray(element.actions)) element.actions.forEach(addAction);
  });
}

/** Teams' `msteams` submit data: imBack says the value, messageBack sends text and/or value. */
function teamsSubmit(data: unknown): ChoiceAction | null {
  if (!isRecord(data) || !isRecord(data.msteams)) return null;
  const { msteams, ...rest } = data;
  if (msteams.type === 'imBack' && typeof msteams.value === 'string') return { kind: 'message', text: msteams.value };
  if (msteams.type === 'messageBack') {
    const action: ChoiceAction = { kind: 'message' };
    if (typeof msteams.text === 'string' && msteams.text !== '') action.text = msteams.text;
    const value = msteams.value ?? (Object.keys(rest).length > 0 ? rest : undefined);
    if (value !== undefined) action.value = value;
    return action;
  }
  return null;
}

function cardInput(element: Record<string, unknown>, type: string): CardInput {
  const id = typeof element.id === 'string' ? element.id : type;
  const labelSource = element.label ?? element.placeholder ?? element.title ?? id;
  const input: CardInput = { id, type, label: oneLine(String(labelSource)) };
  if (element.value !== undefined && element.value !== null) input.defaultValue = String(element.value);
  if (typeof element.min === 'string') input.min = element.min;
  if (typeof element.max === 'string') input.max = element.max;
  if (type === 'Input.ChoiceSet' && Array.isArray(element.choices)) {
    input.choices = element.choices.filter(isRecord).map((choice) => ({
      title: oneLine(String(choice.title ?? choice.value ?? '')),
      value: String(choice.value ?? choice.title ?? ''),
    }));
    input.multi = element.isMultiSelect === true;
  }
  return input;
}

/** One line per input: `Input.Date archiveDate: New archive date (from 2026-10-13, now 2026-12-20)`. */
export function describeInput(input: CardInput): string {
  const details: string[] = [];
  if (input.choices) details.push(`${input.multi ? 'one or more of' : 'one of'} ${input.choices.map((choice, index) => `${index + 1}=${choice.title}`).join(', ')}`);
  if (input.type === 'Input.Date') details.push('YYYY-MM-DD');
  if (input.min !== undefined) details.push(`from ${input.min}`);
  if (input.max !== undefined) details.push(`until ${input.max}`);
  if (input.defaultValue !== undefined) details.push(`now ${input.defaultValue}`);
  return `${input.type} ${input.id}: ${input.label}${details.length ? ` (${details.join('; ')})` : ''}`;
}

function walkElements(elements: unknown, visit: (element: Record<string, unknown>) => void): void {
  if (!Array.isArray(elements)) return;
  for (const element of elements) {
    if (!isRecord(element)) continue;
    visit(element);
    walkElements(element.items, visit);
    if (Array.isArray(element.columns)) for (const column of element.columns) if (isRecord(column)) walkElements(column.items, visit);
  }
}

function pictureName(alt: unknown, url: unknown): string {
  if (typeof alt === 'string' && alt !== '') return oneLine(alt);
  return typeof url === 'string' ? url.slice(0, 80) : 'image';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------
// The reply of an HTTP POST

export type PostOutcome =
  | { kind: 'replies'; activities: unknown[] }
  | { kind: 'unreachable'; message: string }
  | { kind: 'http-error'; message: string };

/** What a finished POST means for the person at the terminal. */
export function interpretResponse(status: number, statusText: string, body: string): PostOutcome {
  if (status !== 200) {
    const shown = body.trim() === '' ? '(empty body)' : body.trim().slice(0, 800);
    return { kind: 'http-error', message: `The bot answered ${status}${statusText ? ` ${statusText}` : ''}: ${shown}` };
  }
  if (body.trim() === '') return { kind: 'replies', activities: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'http-error', message: `The bot answered 200 but not with JSON: ${body.trim().slice(0, 300)}` };
  }
  if (isRecord(parsed) && Array.isArray(parsed.activities)) return { kind: 'replies', activities: parsed.activities };
  if (Array.isArray(parsed)) return { kind: 'replies', activities: parsed };
  return { kind: 'replies', activities: [] };
}

export function unreachableMessage(url: string): string {
  return `Can't reach the bot at ${url} — is \`npm start\` running?`;
}

export const USAGE = `Usage: npm run chat -- [options]

Chat with a running Gallery Access Assistant in the terminal.

Options:
  --url <url>     the bot (default ${DEFAULT_URL}, or env BOT_URL); posts to <url>/api/messages
  --lang <lang>   en | de | fr | nl
  --as <who>      customer | photographer-teams | photographer-slack | emulator
  --user <id>     Teams aadObjectId or Slack user id (with --as photographer-…)
  --help          this text

Without --lang or --as the client asks (or uses en and customer when stdin is piped).`;

export const COMMAND_HELP = `Type to talk to the bot; type a number to press one of the buttons shown as [1] [2] …
Commands: /quit (or Ctrl-D) ends · /restart starts a new conversation · /entity shows the last diagnosis entity · /help this text`;
