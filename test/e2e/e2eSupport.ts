import { readFileSync } from 'node:fs';
import { sameAccessCode } from '../../src/domain/accessCode.js';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE, type DiagnosisEntity } from '../../src/channels/diagnosisEntity.js';
import { SLOTS } from '../../src/channels/replyModel.js';
import { SYMPTOMS } from '../../src/domain/symptoms.js';
import { SCENARIOS } from '../../src/domain/scenarios.js';
import { LANGUAGES, type Language } from '../../src/language/languages.js';
import { type MessageKey, type MessageValues, translate } from '../../src/language/messages.js';
import { projectRoot } from '../../src/projectRoot.js';
import { Chat, type ChatOptions } from '../support/botServer.js';
import { DEMO_CODES } from '../support/demoCodes.js';

/**
 * Shared by the HTTP end-to-end tests: a Chat that checks every reply it receives against
 * design contract 1 (exactly one diagnosis entity with exactly the contract's keys) and
 * against leaks (no access code the customer did not type, no job or photographer data
 * in a customer conversation, no echoed markup).
 */

export const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'nl-NL'] as const;
export type TestLocale = (typeof LOCALES)[number];

export function languageOfLocale(locale: string): Language {
  const language = locale.slice(0, 2).toLowerCase();
  if (!(LANGUAGES as readonly string[]).includes(language)) throw new Error(`not a language the bot speaks: ${locale}`);
  return language as Language;
}

/** `translate` for a locale. */
export function t(locale: string, key: MessageKey, values?: MessageValues): string {
  return translate(languageOfLocale(locale), key, values);
}

/** The keys of contract 1, sorted. */
export const CONTRACT_KEYS = ['awaiting', 'locale', 'role', 'scenario', 'secondary', 'step', 'steps', 'symptom', 'type'];

interface DemoData {
  photographers: { id: string; name: string; email: string }[];
  jobs: { id: string; name: string; archiving: { date: string | null }; galleries: { accessCode: string }[] }[];
}

export const DEMO_DATA = JSON.parse(readFileSync(join(projectRoot(), 'demo', 'platform.json'), 'utf8')) as DemoData;

export function normalizeCode(text: string): string {
  return text.toUpperCase().replace(/[\s\-–_]+/g, '');
}

/** Every access code of the demo data and of DEMO_CODES (the typo and the unknown code too). */
export const KNOWN_CODES: readonly string[] = [
  ...new Set([...DEMO_DATA.jobs.flatMap((job) => job.galleries.map((gallery) => normalizeCode(gallery.accessCode))), ...Object.values(DEMO_CODES).map(normalizeCode)]),
];

/** Whether a person typed this code: in any spelling that is the same code (look-alikes: O and 0; I, L and 1). */
function typedAny(typedCodes: ReadonlySet<string>, code: string): boolean {
  return [...typedCodes].some((typed) => sameAccessCode(typed, code));
}

/** What a customer must never read: job names and ids, photographer names and e-mail addresses. */
const PLATFORM_SECRETS: readonly string[] = [
  ...DEMO_DATA.jobs.flatMap((job) => [job.id, job.name]),
  ...DEMO_DATA.photographers.flatMap((photographer) => [photographer.id, photographer.name, photographer.email]),
];

export function archiveDateOf(jobId: string): string | null {
  return DEMO_DATA.jobs.find((job) => job.id === jobId)?.archiving.date ?? null;
}

/** How many replies the checks below have seen, across the file. */
export const contractStats = { replies: 0, messages: 0 };

/** Checks one reply against contract 1 and the leak rules; `typedCodes` are codes the person typed in this conversation. */
export function checkReply(reply: Partial<Activity>, typedCodes: ReadonlySet<string>): void {
  contractStats.replies += 1;
  if (reply.type !== 'message') return;
  contractStats.messages += 1;
  const diagnoses = (reply.entities ?? []).filter((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE);
  expect(diagnoses, `exactly one diagnosis entity on ${JSON.stringify(reply.text)}`).toHaveLength(1);
  const entity = diagnoses[0] as DiagnosisEntity;
  expect(Object.keys(entity).sort(), 'the diagnosis entity has exactly the contract keys').toEqual(CONTRACT_KEYS);
  expect([null, 'customer', 'photographer']).toContain(entity.role);
  expect(typeof entity.locale).toBe('string');
  expect([null, ...SYMPTOMS]).toContain(entity.symptom);
  expect([null, ...SCENARIOS]).toContain(entity.scenario);
  expect([null, ...SLOTS]).toContain(entity.awaiting);
  expect(Array.isArray(entity.secondary)).toBe(true);
  for (const fault of entity.secondary) expect(SCENARIOS).toContain(fault);

  const text = reply.text ?? '';
  const flat = normalizeCode(text);
  for (const code of KNOWN_CODES) {
    if (!typedAny(typedCodes, code)) expect(flat.includes(code), `reply mentions ${code}, which the customer never typed: ${text}`).toBe(false);
  }
  expect(text).not.toMatch(/<\s*script|alert\(1\)/i);
  if (entity.role !== 'photographer') {
    for (const secret of PLATFORM_SECRETS) expect(text.includes(secret), `a customer reply reveals "${secret}": ${text}`).toBe(false);
  }
}

/** A Chat whose every reply goes through checkReply. */
export class CheckedChat extends Chat {
  readonly typedCodes = new Set<string>();
  readonly transcript: Partial<Activity>[] = [];

  constructor(url: string, options: ChatOptions = {}) {
    super(url, options);
  }

  override async send(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    for (const typed of [fields.text, (fields.value as { text?: unknown } | undefined)?.text]) {
      if (typeof typed !== 'string') continue;
      const flat = normalizeCode(typed);
      for (const code of KNOWN_CODES) if (flat.includes(code)) this.typedCodes.add(code);
    }
    const replies = await super.send(fields);
    for (const reply of replies) checkReply(reply, this.typedCodes);
    this.transcript.push(...replies);
    return replies;
  }
}

/** Replies that are messages (what a person sees). */
export function messages(replies: readonly Partial<Activity>[]): Partial<Activity>[] {
  return replies.filter((reply) => reply.type === 'message');
}

export function entitiesOf(replies: readonly Partial<Activity>[]): DiagnosisEntity[] {
  return messages(replies).map((reply) => reply.entities?.find((entity) => entity.type === DIAGNOSIS_ENTITY_TYPE) as DiagnosisEntity);
}

export async function healthz(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  await response.arrayBuffer();
  return response.status;
}
