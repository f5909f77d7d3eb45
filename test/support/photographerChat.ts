import { readFile } from 'node:fs/promises';
import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import type { Role } from '../../src/domain/roles.js';
import type { Job, Photographer } from '../../src/domain/platformModel.js';
import { type Language, languageOf } from '../../src/language/languages.js';
import { type Audience, type MessageKey, type MessageValues, translate } from '../../src/language/messages.js';
import { Chat, type ChatOptions } from './botServer.js';
import { DEMO_PHOTOGRAPHERS, type DemoPhotographerName } from './demoCodes.js';

/**
 * Photographer conversations over HTTP: Teams and Slack identities of the demo photographers,
 * a Chat that checks every reply against design contract 1, and channel-neutral readers for
 * Teams Adaptive Cards and Slack mrkdwn/hero-card replies.
 */

/** The keys of contract 1 (the diagnosis entity), sorted. */
export const CONTRACT_KEYS = ['awaiting', 'locale', 'role', 'scenario', 'secondary', 'step', 'steps', 'symptom', 'type'] as const;

export type Channel = 'msteams' | 'slack' | 'webchat' | 'emulator';

export interface CheckedChatOptions extends ChatOptions {
  /** When set, every reply's entity must carry this role. */
  role?: Role | null;
}

let userCounter = 0;

/** A Chat whose every reply is checked: a message with exactly one diagnosis entity with exactly the contract's keys. */
export class ContractChat extends Chat {
  readonly transcript: Partial<Activity>[] = [];
  /** Events the bot sent to the channel (`handoff.initiate`): no replies to the person, kept apart. */
  readonly events: Partial<Activity>[] = [];
  readonly channel: string;
  readonly locale: string;

  constructor(
    url: string,
    private readonly checked: CheckedChatOptions = {},
  ) {
    super(url, checked);
    this.channel = checked.channelId ?? 'webchat';
    this.locale = checked.locale ?? 'en-US';
  }

  get language(): Language {
    return languageOf(this.locale) ?? 'en';
  }

  /** Who the bot speaks to here: the role the chat checks, else the one its channel implies. */
  get audience(): Audience {
    if (this.checked.role) return this.checked.role;
    if (this.channel === 'msteams' || this.channel === 'slack') return 'photographer';
    return this.channel === 'webchat' || this.channel === 'directline' ? 'customer' : 'unknown';
  }

  /** `translate` in this chat's language, to this chat's audience. */
  t(key: MessageKey, values?: MessageValues): string {
    return translate(this.language, key, { audience: this.audience, ...values });
  }

  override async send(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    const sent = await super.send(fields);
    this.events.push(...sent.filter((activity) => activity.type === 'event'));
    const replies = sent.filter((activity) => activity.type !== 'event');
    for (const reply of replies) checkContract(reply, this.checked.role);
    this.transcript.push(...replies);
    return replies;
  }

  /** A card button click: on Teams a submit `{ choice }`; on Slack (hero-card imBack) the label is typed. */
  choose(choiceId: string, label: string): Promise<Partial<Activity>[]> {
    if (this.channel === 'msteams') return this.send({ value: { choice: choiceId } });
    return this.say(label);
  }

  submit(value: Record<string, unknown>): Promise<Partial<Activity>[]> {
    return this.send({ value });
  }
}

export function checkContract(reply: Partial<Activity>, role?: Role | null): DiagnosisEntity {
  expect(reply.type, 'every reply is a message').toBe('message');
  const diagnoses = (reply.entities ?? []).filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE);
  expect(diagnoses, `exactly one diagnosis entity on ${JSON.stringify(reply.text ?? reply.attachments)}`).toHaveLength(1);
  const entity = diagnoses[0] as DiagnosisEntity;
  expect(Object.keys(entity).sort(), 'the diagnosis entity has exactly the contract keys').toEqual([...CONTRACT_KEYS]);
  expect(Array.isArray(entity.secondary)).toBe(true);
  if (role !== undefined) expect(entity.role, `role on ${JSON.stringify(replyLines(reply))}`).toBe(role);
  return entity;
}

/** The diagnosis entity of a reply, and of the last reply of a turn (what the bot waits for). */
export { diagnosisOf as entityOf, lastDiagnosis as lastEntity } from './botServer.js';

// ---------------------------------------------------------------------------------------
// Identities.

/** A demo photographer over Teams (their first aadObjectId) in their own locale, unless told otherwise. */
export function teamsPhotographer(url: string, name: DemoPhotographerName, locale?: string): ContractChat {
  const photographer = DEMO_PHOTOGRAPHERS[name];
  const aad = photographer.msteams.at(-1);
  if (aad === undefined) throw new Error(`${name} has no Teams account`);
  return teamsUser(url, aad, locale ?? photographer.locale, 'photographer');
}

/** Any Teams user by aadObjectId. */
export function teamsUser(url: string, aadObjectId: string, locale: string, role: Role | null = 'photographer'): ContractChat {
  userCounter += 1;
  return new ContractChat(url, {
    channelId: 'msteams',
    locale,
    role,
    from: { id: `29:teams-user-${userCounter}`, name: 'Teams user', aadObjectId },
  });
}

/** A demo photographer over Slack through Azure Bot Service. */
export function slackPhotographer(url: string, name: DemoPhotographerName, locale?: string): ContractChat {
  const photographer = DEMO_PHOTOGRAPHERS[name];
  const slackId = photographer.slack[0];
  if (slackId === undefined) throw new Error(`${name} has no Slack account`);
  return slackUser(url, slackId, locale ?? photographer.locale);
}

/** Any Slack user id, as the Azure Bot Service Slack channel sends it. */
export function slackUser(url: string, slackId: string, locale: string, role: Role | null = 'photographer'): ContractChat {
  return new ContractChat(url, {
    channelId: 'slack',
    locale,
    role,
    from: { id: `${slackId}:T0DEMOTEAM`, name: 'Slack user' },
    channelData: { SlackMessage: { type: 'event_callback', team_id: 'T0DEMOTEAM', event: { type: 'message', user: slackId, channel: 'D0DEMO' } } },
  });
}

/** The channel a demo photographer is tested on: Teams when they have it, else Slack. */
export function photographerChat(url: string, name: DemoPhotographerName): ContractChat {
  return DEMO_PHOTOGRAPHERS[name].msteams.length > 0 ? teamsPhotographer(url, name) : slackPhotographer(url, name);
}

// ---------------------------------------------------------------------------------------
// Reading replies: Teams Adaptive Cards and Slack / plain text alike.

export interface CardBody {
  type: string;
  id?: string;
  text?: string;
  min?: string;
  isRequired?: boolean;
  facts?: { title: string; value: string }[];
}

export interface CardAction {
  type: string;
  title: string;
  data?: { choice?: string; question?: number };
  associatedInputs?: string;
}

export interface AdaptiveCardContent {
  type: 'AdaptiveCard';
  version: string;
  body: CardBody[];
  actions?: CardAction[];
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function cardOf(reply: Partial<Activity> | undefined): AdaptiveCardContent | undefined {
  const attachment = reply?.attachments?.find((candidate) => candidate.contentType === ADAPTIVE_CARD);
  return attachment?.content as AdaptiveCardContent | undefined;
}

/** What a person reads in one reply, line by line: card TextBlocks and facts ("title: value"), or the text's lines. */
export function replyLines(reply: Partial<Activity>): string[] {
  const card = cardOf(reply);
  if (card !== undefined) {
    return card.body.flatMap((element) => [
      ...(element.text === undefined ? [] : [element.text]),
      ...(element.facts ?? []).map((fact) => `${fact.title}: ${fact.value}`),
    ]);
  }
  return (reply.text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** Everything the replies say, as one text (Slack's `*bold*` and Markdown's `**bold**` left as they are). */
export function allText(replies: readonly Partial<Activity>[]): string {
  return replies.flatMap(replyLines).join('\n');
}

/** The numbered plan of a reply: `1. …`, `2. …` lines, without the numbers; in order. */
export function planSteps(reply: Partial<Activity> | undefined): string[] {
  if (reply === undefined) return [];
  return replyLines(reply)
    .map((line) => /^(\d+)\. (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => match[2] ?? '');
}

/** The reply of a turn that carries the plan. */
export function planReply(replies: readonly Partial<Activity>[]): Partial<Activity> | undefined {
  return replies.find((reply) => planSteps(reply).length > 0);
}

/** Button ids of a Teams card (`data.choice`); labels of a Slack hero card. */
export function choicesOf(reply: Partial<Activity> | undefined): string[] {
  const card = cardOf(reply);
  if (card !== undefined) return (card.actions ?? []).map((action) => action.data?.choice ?? '');
  return (reply?.attachments ?? []).flatMap((attachment) => {
    const content = attachment.content as { buttons?: { title: string }[] } | undefined;
    return content?.buttons?.map((button) => button.title) ?? [];
  });
}

export function buttonTitles(reply: Partial<Activity> | undefined): string[] {
  const card = cardOf(reply);
  if (card !== undefined) return (card.actions ?? []).map((action) => action.title);
  return choicesOf(reply);
}

/** The facts of a Teams card. */
export function factsOf(reply: Partial<Activity> | undefined): Record<string, string> {
  const card = cardOf(reply);
  return Object.fromEntries((card?.body ?? []).flatMap((element) => (element.facts ?? []).map((fact) => [fact.title, fact.value])));
}

export function dateInputOf(reply: Partial<Activity> | undefined): CardBody | undefined {
  return cardOf(reply)?.body.find((element) => element.type === 'Input.Date');
}

// ---------------------------------------------------------------------------------------
// The platform data file.

export interface PlatformFile {
  photographers: Photographer[];
  jobs: Job[];
}

export async function readPlatform(file: string): Promise<PlatformFile> {
  return JSON.parse(await readFile(file, 'utf8')) as PlatformFile;
}

export async function jobIn(file: string, jobId: string): Promise<Job> {
  const job = (await readPlatform(file)).jobs.find((candidate) => candidate.id === jobId);
  if (job === undefined) throw new Error(`no job ${jobId} in ${file}`);
  return job;
}

/** `2026-12-20` → `20.12.2026`, as a German photographer types it. */
export function germanDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
}
