import { z } from 'zod';
import { type Localizer, localizer, type MessageKey } from '../language/messages.js';
import type { CaseRecord, TranscriptLine } from './caseRecord.js';
import { handoffContextOf } from './openHandoff.js';
import type { ClaimedLine } from './sqliteCaseOutbox.js';

/**
 * The HTTP request that creates a helpdesk ticket for a recorded case, one per
 * HANDOFF_FORMAT, and reading the ticket's reference from the helpdesk's answer:
 *
 * - freshdesk: `POST {url}/api/v2/tickets` (Freshdesk API v2), Basic `{key}:X`;
 * - zendesk: `POST {url}/api/v2/tickets` (Zendesk Support API), Basic of the key as Zendesk
 *   writes it (`agent@example.com/token:API_TOKEN`), with the case id as `Idempotency-Key`;
 * - generic: a JSON POST of the conversation id and the whole context to the webhook's own
 *   URL, Bearer key when one is set, with the case id as `Idempotency-Key`.
 *
 * What the person writes after the ticket was created is added to it, one request per line:
 *
 * - freshdesk: `POST {url}/api/v2/tickets/{id}/notes`, a private note (HTML);
 * - zendesk: `PUT {url}/api/v2/tickets/{id}`, a private comment (plain text);
 * - generic: a JSON POST of `{ type: 'case-line', caseId, conversationId, line }` to the webhook.
 *
 * Tickets are written in the deployment's language (DEFAULT_LOCALE): support agents read
 * them, the customer's own language is one of the facts.
 */

export type HandoffFormat = 'freshdesk' | 'zendesk' | 'generic';

export interface HelpdeskSettings {
  format: HandoffFormat;
  /** The helpdesk's base URL (Freshdesk, Zendesk) or the webhook's full URL (generic). */
  url: string;
  apiKey?: string | undefined;
  /** The language of the ticket's text. */
  locale: string;
}

export interface TicketRequest {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  /** Serialised as JSON. */
  body: unknown;
}

/** Freshdesk's numbers: status Open, source Chat; priority Low 1 … Urgent 4. */
const FRESHDESK_OPEN = 2;
const FRESHDESK_CHAT = 7;
const ZENDESK_PRIORITY = { 1: 'low', 2: 'normal', 3: 'high', 4: 'urgent' } as const;

type Priority = keyof typeof ZENDESK_PRIORITY;

/**
 * A photographer who is stuck blocks every customer of the job: high. A customer: medium,
 * the normal case of this helpdesk queue.
 */
export function priorityOf(record: CaseRecord): Priority {
  return record.role === 'photographer' ? 3 : 2;
}

/** Tags an agent can filter by: where the ticket comes from and what was found. */
export function tagsOf(record: CaseRecord): string[] {
  return ['gallery-access', record.kind, `role-${record.role ?? 'unknown'}`, `symptom-${record.symptom ?? 'unknown'}`, `scenario-${record.scenario ?? 'unknown'}`];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text: nothing a person typed becomes markup in the agent's helpdesk. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A requester that stands for the chat when the person gave no address. */
function stableContactId(record: CaseRecord): string {
  return record.role === 'photographer' && record.photographerId !== null ? `photographer-${record.photographerId}` : `chat-${record.conversationId}`;
}

interface TicketText {
  subject: string;
  summary: string;
  /** Null when the person can be written to by e-mail. */
  onlyInChat: string | null;
  facts: [label: string, value: string][];
  steps: string[];
  transcript: [speaker: string, at: string, text: string][];
  headings: { facts: string; steps: string; transcript: string; none: string };
}

function ticketText(record: CaseRecord, l: Localizer): TicketText {
  const role = record.role ?? 'unknown';
  const unknown = l.t('ticket.unknown');
  const or = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? unknown : value);
  const label = (key: MessageKey) => l.t(key);
  // Only a customer who was asked and said no is reachable in the chat alone.
  const noAddress = record.email === null || (record.email === undefined && record.role !== 'photographer');
  const facts: [string, string][] = [
    [label('ticket.fact.case'), record.id],
    [label('ticket.fact.recorded'), record.createdAt],
    [label('ticket.fact.reason'), record.reason],
    [label('ticket.fact.role'), l.t('ticket.role', { role })],
    [label('ticket.fact.locale'), or(record.locale)],
    [label('ticket.fact.channel'), or(record.channel)],
    [label('ticket.fact.conversation'), or(record.conversationId)],
    [label('ticket.fact.symptom'), or(record.symptom)],
    [label('ticket.fact.scenario'), or(record.scenario)],
    [label('ticket.fact.secondary'), record.secondary.length === 0 ? l.t('ticket.none') : record.secondary.join(', ')],
    [label('ticket.fact.accessCode'), or(record.accessCode)],
    [label('ticket.fact.job'), or(record.jobId)],
    [label('ticket.fact.photographer'), or(record.photographerId)],
    [label('ticket.fact.email'), typeof record.email === 'string' ? record.email : noAddress ? l.t('ticket.noEmail') : unknown],
  ];
  return {
    subject: l.t('ticket.subject', { role, scenario: or(record.scenario) }),
    summary: l.t('ticket.summary', { role, kind: record.kind === 'notify-photographer' ? 'notify' : 'escalation' }),
    onlyInChat: noAddress ? l.t('ticket.onlyInChat', { conversation: record.conversationId }) : null,
    facts,
    steps: record.stepsTried,
    transcript: record.transcript.map((line) => [l.t('ticket.speaker', { from: line.from, role }), line.at, line.text]),
    headings: { facts: l.t('ticket.facts'), steps: l.t('ticket.stepsTried'), transcript: l.t('ticket.transcript'), none: l.t('ticket.none') },
  };
}

/** Freshdesk's description: HTML, every value escaped. */
export function htmlDescription(text: TicketText): string {
  const parts = [`<p>${escapeHtml(text.summary)}</p>`];
  if (text.onlyInChat !== null) parts.push(`<p><strong>${escapeHtml(text.onlyInChat)}</strong></p>`);
  parts.push(`<h3>${escapeHtml(text.headings.facts)}</h3>`);
  parts.push(`<ul>${text.facts.map(([label, value]) => `<li><strong>${escapeHtml(label)}:</strong> ${escapeHtml(value)}</li>`).join('')}</ul>`);
  parts.push(`<h3>${escapeHtml(text.headings.steps)}</h3>`);
  parts.push(text.steps.length === 0 ? `<p>${escapeHtml(text.headings.none)}</p>` : `<ol>${text.steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol>`);
  parts.push(`<h3>${escapeHtml(text.headings.transcript)}</h3>`);
  parts.push(
    text.transcript.length === 0
      ? `<p>${escapeHtml(text.headings.none)}</p>`
      : text.transcript.map(([speaker, at, line]) => htmlLine(speaker, at, line)).join(''),
  );
  return parts.join('\n');
}

/** Zendesk's comment body: plain text with the same sections. */
export function plainDescription(text: TicketText): string {
  const parts = [text.summary];
  if (text.onlyInChat !== null) parts.push(text.onlyInChat);
  parts.push(`${text.headings.facts}:\n${text.facts.map(([label, value]) => `- ${label}: ${value}`).join('\n')}`);
  parts.push(`${text.headings.steps}:\n${text.steps.length === 0 ? text.headings.none : text.steps.map((step, index) => `${index + 1}. ${step}`).join('\n')}`);
  parts.push(`${text.headings.transcript}:\n${text.transcript.length === 0 ? text.headings.none : text.transcript.map(([speaker, at, line]) => plainLine(speaker, at, line)).join('\n')}`);
  return parts.join('\n\n');
}

/** `{url}/api/v2/tickets`, whether or not the base URL ends with a slash. */
function ticketsUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/v2/tickets`;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };

/** Freshdesk: the API key as the user name, "X" as the password. */
function freshdeskAuthorization(settings: HelpdeskSettings): string {
  return `Basic ${Buffer.from(`${settings.apiKey ?? ''}:X`).toString('base64')}`;
}

/** Zendesk: the key as Zendesk writes it (`agent@example.com/token:API_TOKEN`). */
function zendeskAuthorization(settings: HelpdeskSettings): string {
  return `Basic ${Buffer.from(settings.apiKey ?? '').toString('base64')}`;
}

function genericHeaders(settings: HelpdeskSettings, idempotencyKey: string): Record<string, string> {
  return { ...JSON_HEADERS, 'idempotency-key': idempotencyKey, ...(settings.apiKey === undefined ? {} : { authorization: `Bearer ${settings.apiKey}` }) };
}

/** One transcript line in HTML, as the ticket's description and a note show it. */
function htmlLine(speaker: string, at: string, text: string): string {
  return `<p><strong>${escapeHtml(speaker)}</strong> (${escapeHtml(at)}): ${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`;
}

function plainLine(speaker: string, at: string, text: string): string {
  return `${speaker} (${at}): ${text}`;
}

/** The helpdesk's own number of a ticket from the reference kept ("#4711" → "4711"); null when it is none. */
function ticketNumberOf(reference: string | null): string | null {
  const number = reference?.replace(/^#/, '') ?? '';
  return /^\d{1,20}$/.test(number) ? number : null;
}

/**
 * The request that adds a line written after the ticket to it, or null when the helpdesk
 * gave no ticket number to add it to (Freshdesk and Zendesk need one).
 */
export function lineRequest(settings: HelpdeskSettings, claimed: ClaimedLine): TicketRequest | null {
  const l = localizer(settings.locale);
  const { line } = claimed;
  const speaker = l.t('ticket.speaker', { from: line.from, role: claimed.role ?? 'unknown' });
  const ticket = ticketNumberOf(claimed.ticketReference);
  switch (settings.format) {
    case 'freshdesk':
      if (ticket === null) return null;
      return {
        method: 'POST',
        url: `${ticketsUrl(settings.url)}/${ticket}/notes`,
        headers: { ...JSON_HEADERS, authorization: freshdeskAuthorization(settings) },
        body: { body: htmlLine(speaker, line.at, line.text), private: true },
      };
    case 'zendesk':
      if (ticket === null) return null;
      return {
        method: 'PUT',
        url: `${ticketsUrl(settings.url)}/${ticket}`,
        headers: { ...JSON_HEADERS, authorization: zendeskAuthorization(settings), 'idempotency-key': lineKey(claimed) },
        body: { ticket: { comment: { body: plainLine(speaker, line.at, line.text), public: false } } },
      };
    case 'generic':
      return {
        method: 'POST',
        url: settings.url,
        headers: genericHeaders(settings, lineKey(claimed)),
        body: { type: 'case-line', caseId: claimed.caseId, conversationId: claimed.conversationId, line: line satisfies TranscriptLine },
      };
  }
}

/** The same line keeps its key across attempts, so a helpdesk that honours the key adds it once. */
function lineKey(claimed: ClaimedLine): string {
  return `${claimed.caseId}/line-${claimed.index}`;
}

export function ticketRequest(settings: HelpdeskSettings, record: CaseRecord): TicketRequest {
  const l = localizer(settings.locale);
  const text = ticketText(record, l);
  const email = typeof record.email === 'string' ? record.email : null;
  const priority = priorityOf(record);
  switch (settings.format) {
    case 'freshdesk':
      return {
        method: 'POST',
        url: ticketsUrl(settings.url),
        headers: { ...JSON_HEADERS, authorization: freshdeskAuthorization(settings) },
        body: {
          // Freshdesk needs one requester identifier: the address, else an external id that
          // stands for this chat (Freshdesk adds a contact for an id it does not know).
          ...(email === null ? { name: l.t('ticket.requester', { role: record.role ?? 'unknown', id: record.photographerId ?? '' }), unique_external_id: stableContactId(record) } : { email }),
          subject: text.subject,
          description: htmlDescription(text),
          status: FRESHDESK_OPEN,
          priority,
          source: FRESHDESK_CHAT,
          tags: tagsOf(record),
        },
      };
    case 'zendesk':
      return {
        method: 'POST',
        url: ticketsUrl(settings.url),
        headers: { ...JSON_HEADERS, authorization: zendeskAuthorization(settings), 'idempotency-key': record.id },
        body: {
          ticket: {
            subject: text.subject,
            comment: { body: plainDescription(text), public: false },
            requester: { name: l.t('ticket.requester', { role: record.role ?? 'unknown', id: record.photographerId ?? '' }), ...(email === null ? {} : { email }) },
            tags: tagsOf(record),
            priority: ZENDESK_PRIORITY[priority],
          },
        },
      };
    case 'generic':
      return {
        method: 'POST',
        url: settings.url,
        headers: genericHeaders(settings, record.id),
        body: {
          conversationId: record.conversationId,
          channel: record.channel,
          createdAt: record.createdAt,
          kind: record.kind,
          reason: record.reason,
          context: handoffContextOf(record),
          transcript: record.transcript,
        },
      };
  }
}

/** What a customer may be shown as a ticket's reference: short, no markup. */
const SHOWABLE_REFERENCE = /^[\w#./-]{1,64}$/;

const idLike = z.union([z.number().int().nonnegative(), z.string().regex(SHOWABLE_REFERENCE)]);
const freshdeskAnswer = z.object({ id: idLike });
const zendeskAnswer = z.object({ ticket: z.object({ id: idLike }) });
const genericAnswer = z.union([z.object({ id: idLike }), z.object({ ticket: idLike }), z.object({ ticket: z.object({ id: idLike }) })]);

/**
 * The ticket's reference from the helpdesk's answer ("#123" for Freshdesk's and Zendesk's
 * numbers, a webhook's own id as it gave it), or null when it gave none we can show.
 */
export function ticketReferenceOf(format: HandoffFormat, answer: unknown): string | null {
  const numbered = (id: string | number) => (typeof id === 'number' ? `#${id}` : id);
  switch (format) {
    case 'freshdesk': {
      const parsed = freshdeskAnswer.safeParse(answer);
      return parsed.success ? numbered(parsed.data.id) : null;
    }
    case 'zendesk': {
      const parsed = zendeskAnswer.safeParse(answer);
      return parsed.success ? numbered(parsed.data.ticket.id) : null;
    }
    case 'generic': {
      const parsed = genericAnswer.safeParse(answer);
      if (!parsed.success) return null;
      const data = parsed.data;
      const id = 'id' in data ? data.id : typeof data.ticket === 'object' ? data.ticket.id : data.ticket;
      return String(id);
    }
  }
}
