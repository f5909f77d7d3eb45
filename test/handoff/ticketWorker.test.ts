import { afterEach, describe, expect, it } from 'vitest';
import type { NewCase } from '../../src/handoff/caseRecord.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import type { HelpdeskSettings } from '../../src/handoff/ticketRequests.js';
import { TicketWorker, type TicketWorkerOptions } from '../../src/handoff/ticketWorker.js';
import { createLogger } from '../../src/logger.js';
import { type HelpdeskAnswer, HelpdeskStandIn } from '../support/helpdeskStandIn.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

/**
 * The ticket worker against helpdesks on 127.0.0.1 that speak Freshdesk's, Zendesk's and a
 * generic webhook's wire format: the exact requests, what each answer makes of the case, and
 * exactly one ticket per case across failures, restarts and a second worker.
 */

const { open, path: inFolder } = useSqliteFiles('ticket-worker-');

const FRESHDESK_CREATED: HelpdeskAnswer = { status: 201, body: { id: 4711, subject: 'x', status: 2 } };
const ZENDESK_CREATED: HelpdeskAnswer = { status: 201, body: { ticket: { id: 35436, subject: 'x' } } };

const standIns: HelpdeskStandIn[] = [];
async function helpdesk(accept: HelpdeskAnswer): Promise<{ standIn: HelpdeskStandIn; url: string }> {
  const standIn = new HelpdeskStandIn(accept);
  standIns.push(standIn);
  return { standIn, url: await standIn.start() };
}
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.stop()));
});

/** A clock the test moves by hand, from 2026-11-27 09:00 UTC. */
function manualClock() {
  let t = Date.parse('2026-11-27T09:00:00.000Z');
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

function escalation(overrides: Partial<NewCase> = {}): NewCase {
  return {
    kind: 'escalation',
    reason: 'requested',
    role: 'customer',
    channel: 'webchat',
    conversationId: 'conv-7',
    locale: 'de-DE',
    symptom: 'missed-sale',
    scenario: 'job-archived',
    secondary: [],
    accessCode: 'MXR29PLT',
    jobId: 'job-4102',
    photographerId: 'ph-brandt',
    stepsTried: ['reloaded the page'],
    transcript: [
      { from: 'user', text: 'Verkauf verpasst? <b>Hilfe</b> & "so"', at: '2026-11-27T08:00:00.000Z' },
      { from: 'bot', text: 'Welcher Code?', at: '2026-11-27T08:00:01.000Z' },
    ],
    email: 'parent@example.com',
    reference: null,
    ...overrides,
  };
}

function logLines() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

function worker(outbox: SqliteCaseOutbox, helpdesk: HelpdeskSettings, options: Partial<TicketWorkerOptions> = {}): TicketWorker {
  return new TicketWorker({ outbox, helpdesk, logger: createLogger('silent'), backoff: (attempt) => attempt * 60_000, ...options });
}

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

const FACTS_HTML = (caseId: string, email: string) =>
  '<ul>' +
  `<li><strong>Case:</strong> ${caseId}</li>` +
  '<li><strong>Recorded:</strong> 2026-11-27T09:00:00.000Z</li>' +
  '<li><strong>Reason:</strong> requested</li>' +
  '<li><strong>Role:</strong> customer</li>' +
  '<li><strong>Language:</strong> de-DE</li>' +
  '<li><strong>Channel:</strong> webchat</li>' +
  '<li><strong>Conversation:</strong> conv-7</li>' +
  '<li><strong>Symptom:</strong> missed-sale</li>' +
  '<li><strong>Diagnosis:</strong> job-archived</li>' +
  '<li><strong>Other faults:</strong> none</li>' +
  '<li><strong>Access code:</strong> MXR29PLT</li>' +
  '<li><strong>Job:</strong> job-4102</li>' +
  '<li><strong>Photographer:</strong> ph-brandt</li>' +
  `<li><strong>E-mail address:</strong> ${email}</li>` +
  '</ul>';

const TRANSCRIPT_HTML =
  '<p><strong>Customer</strong> (2026-11-27T08:00:00.000Z): Verkauf verpasst? &lt;b&gt;Hilfe&lt;/b&gt; &amp; &quot;so&quot;</p>' +
  '<p><strong>Bot</strong> (2026-11-27T08:00:01.000Z): Welcher Code?</p>';

const SUMMARY = 'A customer could not solve a gallery problem with the Gallery Access Assistant and was passed to support. Everything collected in the chat is below.';

describe('Freshdesk', () => {
  it('POSTs {url}/api/v2/tickets with Basic key:X and exactly the documented fields; the ticket id becomes the reference', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    expect(await worker(outbox, { format: 'freshdesk', url: `${url}/`, apiKey: 'fd-api-key', locale: 'en-US' }, { now: clock.now }).runDue()).toBe(1);

    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/api/v2/tickets');
    expect(request!.headers.authorization).toBe(basic('fd-api-key:X'));
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request!.body).toEqual({
      email: 'parent@example.com',
      subject: 'Customer: gallery will not open (job-archived)',
      description: [
        `<p>${SUMMARY}</p>`,
        '<h3>Facts</h3>',
        FACTS_HTML(record.id, 'parent@example.com'),
        '<h3>Steps tried</h3>',
        '<ol><li>reloaded the page</li></ol>',
        '<h3>Transcript</h3>',
        TRANSCRIPT_HTML,
      ].join('\n'),
      status: 2,
      priority: 2,
      source: 7,
      tags: ['gallery-access', 'escalation', 'role-customer', 'symptom-missed-sale', 'scenario-job-archived'],
    });
    expect(outbox.deliveryState(record.id)).toMatchObject({ attempts: 0, deliveredAt: '2026-11-27T09:00:00.000Z', failedAt: null, ticketReference: '#4711' });
    expect(await outbox.ticketReference(record.id)).toBe('#4711');
    expect(await outbox.pending()).toEqual([]);
  });

  it('without an e-mail address names a contact that stands for the chat and says the customer is reachable only there', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation({ email: null, stepsTried: [] }));
    await worker(outbox, { format: 'freshdesk', url, apiKey: 'fd-api-key', locale: 'en-US' }, { now: clock.now }).runDue();

    const body = standIn.requests[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('email');
    expect(body.name).toBe('Chat customer');
    expect(body.unique_external_id).toBe('chat-conv-7');
    expect(body.description).toBe(
      [
        `<p>${SUMMARY}</p>`,
        '<p><strong>No e-mail address: the customer can only be reached in the chat (conversation conv-7).</strong></p>',
        '<h3>Facts</h3>',
        FACTS_HTML(record.id, 'none (reachable only in the chat)'),
        '<h3>Steps tried</h3>',
        '<p>none</p>',
        '<h3>Transcript</h3>',
        TRANSCRIPT_HTML,
      ].join('\n'),
    );
  });

  it('writes the ticket in the deployment language and a photographer case at high priority', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const outbox = new SqliteCaseOutbox(open());
    await outbox.record(escalation({ role: 'photographer', email: undefined, locale: 'en-GB' }));
    await worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'de-DE' }).runDue();
    const body = standIn.requests[0]!.body as Record<string, unknown>;
    expect(body.subject).toBe('Fotograf/in: Galerie öffnet nicht (job-archived)');
    expect(body.priority).toBe(3);
    expect(body.unique_external_id).toBe('photographer-ph-brandt');
    expect(body.name).toBe('Fotograf/in ph-brandt');
    expect(body.description).toContain('<li><strong>Sprache:</strong> en-GB</li>');
    expect(body.description).not.toContain('nur im Chat');
  });
});

describe('Zendesk', () => {
  it('POSTs {url}/api/v2/tickets with Basic of the key as Zendesk writes it, a private comment, requester, tags and priority', async () => {
    const { standIn, url } = await helpdesk(ZENDESK_CREATED);
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation({ transcript: [{ from: 'user', text: 'hilfe <b>', at: '2026-11-27T08:00:00.000Z' }] }));
    await worker(outbox, { format: 'zendesk', url, apiKey: 'agent@example.com/token:zd-API-token', locale: 'en-US' }, { now: clock.now }).runDue();

    const [request] = standIn.requests;
    expect(request!.path).toBe('/api/v2/tickets');
    expect(request!.headers.authorization).toBe(basic('agent@example.com/token:zd-API-token'));
    expect(request!.headers['idempotency-key']).toBe(record.id);
    expect(request!.body).toEqual({
      ticket: {
        subject: 'Customer: gallery will not open (job-archived)',
        comment: {
          body: [
            SUMMARY,
            [
              'Facts:',
              `- Case: ${record.id}`,
              '- Recorded: 2026-11-27T09:00:00.000Z',
              '- Reason: requested',
              '- Role: customer',
              '- Language: de-DE',
              '- Channel: webchat',
              '- Conversation: conv-7',
              '- Symptom: missed-sale',
              '- Diagnosis: job-archived',
              '- Other faults: none',
              '- Access code: MXR29PLT',
              '- Job: job-4102',
              '- Photographer: ph-brandt',
              '- E-mail address: parent@example.com',
            ].join('\n'),
            'Steps tried:\n1. reloaded the page',
            'Transcript:\nCustomer (2026-11-27T08:00:00.000Z): hilfe <b>',
          ].join('\n\n'),
          public: false,
        },
        requester: { name: 'Chat customer', email: 'parent@example.com' },
        tags: ['gallery-access', 'escalation', 'role-customer', 'symptom-missed-sale', 'scenario-job-archived'],
        priority: 'normal',
      },
    });
    expect(outbox.deliveryState(record.id)?.ticketReference).toBe('#35436');
  });

  it('without an e-mail address sends the requester by name only', async () => {
    const { standIn, url } = await helpdesk(ZENDESK_CREATED);
    const outbox = new SqliteCaseOutbox(open());
    await outbox.record(escalation({ email: null }));
    await worker(outbox, { format: 'zendesk', url, apiKey: 'agent@example.com/token:t', locale: 'en-US' }).runDue();
    const ticket = (standIn.requests[0]!.body as { ticket: { requester: unknown; comment: { body: string } } }).ticket;
    expect(ticket.requester).toEqual({ name: 'Chat customer' });
    expect(ticket.comment.body).toContain('No e-mail address: the customer can only be reached in the chat (conversation conv-7).');
  });
});

describe('generic webhook', () => {
  it('POSTs the conversation id and the whole context to the URL as given, Bearer key when set', async () => {
    const { standIn, url } = await helpdesk({ status: 202, body: { ticket: 'SUP-881' } });
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    await worker(outbox, { format: 'generic', url: `${url}/hooks/gallery?x=1`, apiKey: 'hook-key', locale: 'en-US' }, { now: clock.now }).runDue();

    const [request] = standIn.requests;
    expect(request!.path).toBe('/hooks/gallery?x=1');
    expect(request!.headers.authorization).toBe('Bearer hook-key');
    expect(request!.headers['idempotency-key']).toBe(record.id);
    expect(request!.body).toEqual({
      conversationId: 'conv-7',
      channel: 'webchat',
      createdAt: '2026-11-27T09:00:00.000Z',
      kind: 'escalation',
      reason: 'requested',
      context: {
        caseId: record.id,
        role: 'customer',
        locale: 'de-DE',
        symptom: 'missed-sale',
        scenario: 'job-archived',
        secondary: [],
        accessCode: 'MXR29PLT',
        jobId: 'job-4102',
        photographerId: 'ph-brandt',
        stepsTried: ['reloaded the page'],
        email: 'parent@example.com',
      },
      transcript: [
        { from: 'user', text: 'Verkauf verpasst? <b>Hilfe</b> & "so"', at: '2026-11-27T08:00:00.000Z' },
        { from: 'bot', text: 'Welcher Code?', at: '2026-11-27T08:00:01.000Z' },
      ],
    });
    expect(outbox.deliveryState(record.id)?.ticketReference).toBe('SUP-881');
  });

  it('sends no Authorization without a key, and an answer without a usable id delivers the case without a reference', async () => {
    const { standIn, url } = await helpdesk({ status: 204 });
    const outbox = new SqliteCaseOutbox(open());
    const plain = await outbox.record(escalation());
    const odd = await outbox.record(escalation());
    standIn.script.push({ status: 200 }, { status: 200, body: { id: '<script>alert(1)</script>' } });
    await worker(outbox, { format: 'generic', url, locale: 'en-US' }).runDue();
    expect(standIn.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
    for (const record of [plain, odd]) expect(outbox.deliveryState(record.id)).toMatchObject({ ticketReference: null, failedAt: null });
    expect(await outbox.pending()).toEqual([]);
  });

  it.each([
    [{ id: 12 }, '12'],
    [{ id: 'T-1' }, 'T-1'],
    [{ ticket: { id: 9 } }, '9'],
    [{ ticket: 77 }, '77'],
  ])('reads the reference from %j', async (answer, reference) => {
    const { url } = await helpdesk({ status: 201, body: answer });
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(escalation());
    await worker(outbox, { format: 'generic', url, locale: 'en-US' }).runDue();
    expect(await outbox.ticketReference(record.id)).toBe(reference);
  });
});

describe('durable delivery', () => {
  it('a helpdesk that fails three times, with the bot restarted in between, still yields exactly one ticket', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    standIn.script.push({ status: 503 }, { status: 500 }, { status: 502 });
    const clock = manualClock();
    const file = inFolder('bot.sqlite');
    const settings: HelpdeskSettings = { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' };
    const backoff = (attempt: number) => 2 ** attempt * 60_000;

    const firstDb = open(file);
    const firstOutbox = new SqliteCaseOutbox(firstDb, { now: clock.now });
    const record = await firstOutbox.record(escalation());
    const first = worker(firstOutbox, settings, { now: clock.now, backoff });
    expect(await first.runDue()).toBe(1);
    expect(firstOutbox.deliveryState(record.id)).toMatchObject({ attempts: 1, nextAttemptAt: '2026-11-27T09:02:00.000Z', lastError: 'HTTP 503', deliveredAt: null });
    // Not due yet: nothing is sent.
    clock.advance(60_000);
    expect(await first.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await first.runDue()).toBe(1);
    expect(firstOutbox.deliveryState(record.id)).toMatchObject({ attempts: 2, nextAttemptAt: '2026-11-27T09:06:00.000Z', lastError: 'HTTP 500' });
    await first.stop();
    firstDb.close();

    // The restarted bot: a new worker over the same file continues the backoff where it was.
    const secondOutbox = new SqliteCaseOutbox(open(file), { now: clock.now });
    const second = worker(secondOutbox, settings, { now: clock.now, backoff });
    expect(await second.runDue()).toBe(0);
    clock.advance(4 * 60_000);
    expect(await second.runDue()).toBe(1);
    expect(secondOutbox.deliveryState(record.id)).toMatchObject({ attempts: 3, nextAttemptAt: '2026-11-27T09:14:00.000Z', lastError: 'HTTP 502' });
    clock.advance(8 * 60_000);
    expect(await second.runDue()).toBe(1);
    clock.advance(24 * 60 * 60_000);
    expect(await second.runDue()).toBe(0);

    expect(standIn.requests).toHaveLength(4);
    expect(new Set(standIn.requests.map((request) => JSON.stringify(request.body))).size).toBe(1);
    expect(secondOutbox.deliveryState(record.id)).toMatchObject({ attempts: 3, deliveredAt: '2026-11-27T09:14:00.000Z', lastError: null, ticketReference: '#4711' });
  });

  it('a 4xx is logged without secrets and kept as failed for an operator, never sent again', async () => {
    const { standIn, url } = await helpdesk({ status: 400, body: { description: 'Validation failed', errors: [{ field: 'email', message: 'parent@example.com is invalid' }] } });
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const refused = await outbox.record(escalation());
    const { lines, logger } = logLines();
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'SECRET-fd-key', locale: 'en-US' }, { now: clock.now, logger });
    expect(await tickets.runDue()).toBe(1);
    for (let day = 0; day < 3; day++) {
      clock.advance(24 * 60 * 60_000);
      expect(await tickets.runDue()).toBe(0);
    }
    expect(standIn.requests).toHaveLength(1);
    expect(outbox.deliveryState(refused.id)).toMatchObject({ attempts: 1, failedAt: '2026-11-27T09:00:00.000Z', lastError: 'HTTP 400', deliveredAt: null });
    // Still in the outbox for an operator.
    expect((await outbox.pending()).map((record) => record.id)).toEqual([refused.id]);

    const log = lines.join('\n');
    expect(log).toContain('helpdesk refused the ticket');
    expect(log).toContain(refused.id);
    for (const secret of ['SECRET-fd-key', Buffer.from('SECRET-fd-key:X').toString('base64'), 'parent@example.com', 'MXR29PLT', 'Verkauf', '/api/v2']) expect(log).not.toContain(secret);
  });

  it.each([401, 403, 404, 422])('HTTP %i is refused for good', async (status) => {
    const { standIn, url } = await helpdesk({ status });
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    const tickets = worker(outbox, { format: 'zendesk', url, apiKey: 'agent@example.com/token:t', locale: 'en-US' }, { now: clock.now });
    await tickets.runDue();
    clock.advance(60 * 60_000);
    await tickets.runDue();
    expect(standIn.requests).toHaveLength(1);
    expect(outbox.deliveryState(record.id)?.lastError).toBe(`HTTP ${status}`);
  });

  it('a rate limit is tried again, no earlier than the helpdesk asks', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    standIn.script.push({ status: 429, headers: { 'retry-after': '3600' } });
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { now: clock.now });
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)).toMatchObject({ attempts: 1, nextAttemptAt: '2026-11-27T10:00:00.000Z', lastError: 'HTTP 429' });
    clock.advance(60 * 60_000 - 1);
    expect(await tickets.runDue()).toBe(0);
    clock.advance(1);
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)?.ticketReference).toBe('#4711');
  });

  it('a Retry-After as a date counts from now, and one beyond a day is cut to a day', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    standIn.script.push({ status: 503, headers: { 'retry-after': 'Fri, 27 Nov 2026 11:30:00 GMT' } }, { status: 429, headers: { 'retry-after': String(30 * 24 * 3600) } });
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { now: clock.now });
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)?.nextAttemptAt).toBe('2026-11-27T11:30:00.000Z');
    clock.advance(150 * 60_000);
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)?.nextAttemptAt).toBe('2026-11-28T11:30:00.000Z');
  });

  it('a helpdesk that does not answer in time, or cannot be reached, is tried again', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    standIn.script.push('hang');
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { now: clock.now, timeoutMs: 300 });
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)).toMatchObject({ attempts: 1, lastError: 'no answer within 300 ms', deliveredAt: null });

    // Nothing listens on the port any more.
    await standIn.stop();
    clock.advance(60 * 60_000);
    await tickets.runDue();
    expect(outbox.deliveryState(record.id)).toMatchObject({ attempts: 2, lastError: 'helpdesk not reachable', failedAt: null, deliveredAt: null });
  });

  it('two workers over one SQLite file never send a case twice', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const file = inFolder('bot.sqlite');
    const outboxes = [new SqliteCaseOutbox(open(file)), new SqliteCaseOutbox(open(file))] as const;
    for (let i = 0; i < 12; i++) await outboxes[i % 2]!.record(escalation({ conversationId: `conv-${i}` }));
    const settings: HelpdeskSettings = { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' };
    const tried = await Promise.all(outboxes.map((outbox) => worker(outbox, settings).runDue()));

    expect(tried.reduce((sum, count) => sum + count, 0)).toBe(12);
    const conversations = standIn.requests.map((request) => (request.body as { description: string }).description.match(/Conversation:<\/strong> (conv-\d+)/)?.[1]);
    expect(conversations.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `conv-${i}`).sort());
    expect(await outboxes[0].pending()).toEqual([]);
  });

  it('a customer whose photographer could not be told becomes a ticket asking support to pass it on', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const outbox = new SqliteCaseOutbox(open());
    await outbox.record(escalation({ kind: 'notify-photographer', reason: 'customer asked to notify the photographer; the photographer has never talked to the bot' }));
    await worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }).runDue();
    const body = standIn.requests[0]!.body as { description: string; tags: string[] };
    expect(body.description).toMatch(
      /^<p>A customer is waiting for the photographer to fix their gallery, and the photographer could not be reached through the Gallery Access Assistant: please pass this on to them\. /,
    );
    expect(body.description).toContain('<li><strong>Reason:</strong> customer asked to notify the photographer; the photographer has never talked to the bot</li>');
    expect(body.tags).toEqual(['gallery-access', 'notify-photographer', 'role-customer', 'symptom-missed-sale', 'scenario-job-archived']);
  });

  it('a case claimed by a worker that died is sent by another once the claim runs out', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    expect(outbox.claimDue('worker-that-died', 5 * 60_000)?.record.id).toBe(record.id);
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { now: clock.now, leaseMs: 5 * 60_000 });
    expect(await tickets.runDue()).toBe(0);
    clock.advance(5 * 60_000 - 1);
    expect(await tickets.runDue()).toBe(0);
    expect(outbox.nextDueAt()?.toISOString()).toBe('2026-11-27T09:05:00.000Z');
    clock.advance(1);
    expect(await tickets.runDue()).toBe(1);
    expect(standIn.requests).toHaveLength(1);
    // The dead worker's late outcome changes nothing.
    expect(outbox.markFailed({ record, attempts: 0, owner: 'worker-that-died' }, 'HTTP 400')).toBe(false);
    expect(outbox.deliveryState(record.id)).toMatchObject({ failedAt: null, ticketReference: '#4711' });
  });

  it('stop waits for the ticket in flight and writes it down', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(escalation());
    const slowFetch: typeof fetch = async (input, init) => {
      await held;
      return fetch(input, init);
    };
    const tickets = worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { fetch: slowFetch });
    tickets.start();
    let stopped = false;
    const stopping = tickets.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(standIn.requests).toHaveLength(1);
    expect(outbox.deliveryState(record.id)?.ticketReference).toBe('#4711');
  });
});

describe('lines written after the ticket was created', () => {
  const line = (text: string, at: string) => ({ from: 'user' as const, text, at });

  /** A case whose Freshdesk ticket was created, with the worker that created it and the clock. */
  async function ticketCreated(url: string, apiKey: string) {
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation());
    const w = worker(outbox, { format: 'freshdesk', url, apiKey, locale: 'en-US' }, { now: clock.now });
    await w.runDue();
    return { clock, outbox, record, w };
  }

  it('Freshdesk: each line becomes a private note on the ticket, HTML-escaped, with Basic key:X, in order', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const { outbox, record, w } = await ticketCreated(url, 'fd-api-key');
    await outbox.append(record.id, line('hello? <b>anyone</b> & "so"', '2026-11-27T09:05:00.000Z'));
    await outbox.append(record.id, line('it is for class 4b\nthanks', '2026-11-27T09:06:00.000Z'));
    expect(await w.runDue()).toBe(2);

    const notes = standIn.requests.slice(1);
    expect(notes.map((request) => [request.method, request.path, request.headers.authorization])).toEqual([
      ['POST', '/api/v2/tickets/4711/notes', basic('fd-api-key:X')],
      ['POST', '/api/v2/tickets/4711/notes', basic('fd-api-key:X')],
    ]);
    expect(notes.map((request) => request.body)).toEqual([
      { body: '<p><strong>Customer</strong> (2026-11-27T09:05:00.000Z): hello? &lt;b&gt;anyone&lt;/b&gt; &amp; &quot;so&quot;</p>', private: true },
      { body: '<p><strong>Customer</strong> (2026-11-27T09:06:00.000Z): it is for class 4b<br>thanks</p>', private: true },
    ]);
    // Nothing more to send: each line once.
    expect(await w.runDue()).toBe(0);
    expect(standIn.requests).toHaveLength(3);
  });

  it('Zendesk: each line is a private comment, PUT on the ticket with the key as Zendesk writes it', async () => {
    const { standIn, url } = await helpdesk(ZENDESK_CREATED);
    const clock = manualClock();
    const outbox = new SqliteCaseOutbox(open(), { now: clock.now });
    const record = await outbox.record(escalation({ role: 'photographer' }));
    const w = worker(outbox, { format: 'zendesk', url, apiKey: 'agent@example.com/token:zd-API-token', locale: 'de-DE' }, { now: clock.now });
    await w.runDue();
    await outbox.append(record.id, line('hat nicht geklappt', '2026-11-27T09:05:00.000Z'));
    await w.runDue();
    const [, comment] = standIn.requests;
    expect(comment!.method).toBe('PUT');
    expect(comment!.path).toBe('/api/v2/tickets/35436');
    expect(comment!.headers.authorization).toBe(basic('agent@example.com/token:zd-API-token'));
    expect(comment!.headers['idempotency-key']).toBe(`${record.id}/line-2`);
    expect(comment!.body).toEqual({ ticket: { comment: { body: 'Fotograf/in (2026-11-27T09:05:00.000Z): hat nicht geklappt', public: false } } });
  });

  it('generic: a case-line POST to the webhook with the Bearer key', async () => {
    const { standIn, url } = await helpdesk({ status: 200, body: { id: 'T-9' } });
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(escalation());
    const w = worker(outbox, { format: 'generic', url: `${url}/hooks/support`, apiKey: 'hook-key', locale: 'en-US' });
    await w.runDue();
    await outbox.append(record.id, line('still nothing', '2026-11-27T09:05:00.000Z'));
    await w.runDue();
    const [, added] = standIn.requests;
    expect([added!.method, added!.path, added!.headers.authorization]).toEqual(['POST', '/hooks/support', 'Bearer hook-key']);
    expect(added!.body).toEqual({ type: 'case-line', caseId: record.id, conversationId: 'conv-7', line: line('still nothing', '2026-11-27T09:05:00.000Z') });
  });

  it('a line written while the ticket is being created: not in the ticket, so added to it as a note, once', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(escalation());
    // The person writes after the worker took the case and before the helpdesk answers.
    const writingMeanwhile: typeof fetch = async (input, init) => {
      if (standIn.requests.length === 0) await outbox.append(record.id, line('are you there?', '2026-11-27T09:05:00.000Z'));
      return fetch(input, init);
    };
    expect(await worker(outbox, { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, { fetch: writingMeanwhile }).runDue()).toBe(2);
    const [ticket, note] = standIn.requests;
    expect((ticket!.body as { description: string }).description).not.toContain('are you there?');
    expect(note!.path).toBe('/api/v2/tickets/4711/notes');
    expect((note!.body as { body: string }).body).toContain('are you there?');
    expect(standIn.requests).toHaveLength(2);
  });

  it('a helpdesk that fails twice, then recovers: every line once, in order', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const { clock, outbox, record, w } = await ticketCreated(url, 'k');
    for (const [index, text] of ['one', 'two', 'three'].entries()) await outbox.append(record.id, line(text, `2026-11-27T09:0${index + 1}:00.000Z`));
    standIn.script.push({ status: 503 }, { status: 502 });
    await w.runDue();
    // Not yet: the first line waits for its backoff, and the others behind it.
    expect(standIn.requests).toHaveLength(2);
    clock.advance(60_000);
    await w.runDue();
    expect(standIn.requests).toHaveLength(3);
    clock.advance(2 * 60_000);
    await w.runDue();
    const notes = standIn.requests.filter((request) => request.path.endsWith('/notes')).map((request) => (request.body as { body: string }).body);
    expect(notes).toEqual([expect.stringContaining('one'), expect.stringContaining('one'), expect.stringContaining('one'), expect.stringContaining('two'), expect.stringContaining('three')]);
    expect(await w.runDue()).toBe(0);
  });

  it('a line the helpdesk refuses (4xx) holds the later ones back for an operator, whose retry sends them in order', async () => {
    const { standIn, url } = await helpdesk(FRESHDESK_CREATED);
    const { clock, outbox, record, w } = await ticketCreated(url, 'k');
    await outbox.append(record.id, line('one', '2026-11-27T09:01:00.000Z'));
    await outbox.append(record.id, line('two', '2026-11-27T09:02:00.000Z'));
    standIn.script.push({ status: 404 });
    await w.runDue();
    clock.advance(24 * 60 * 60_000);
    expect(await w.runDue()).toBe(0);
    expect(standIn.requests).toHaveLength(2);
    expect(outbox.retry(record.id)).toBe('retried');
    expect(await w.runDue()).toBe(2);
    const notes = standIn.requests.slice(1).map((request) => (request.body as { body: string }).body);
    expect(notes).toEqual([expect.stringContaining('one'), expect.stringContaining('one'), expect.stringContaining('two')]);
    // Everything is with the helpdesk now.
    expect(outbox.retry(record.id)).toBe('delivered');
  });

  it('a ticket without a number the helpdesk gave: its lines are kept for an operator, not sent anywhere', async () => {
    const { standIn, url } = await helpdesk({ status: 201, body: {} });
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(escalation());
    const w = worker(outbox, { format: 'zendesk', url, apiKey: 'k', locale: 'en-US' });
    await w.runDue();
    await outbox.append(record.id, line('hello?', '2026-11-27T09:01:00.000Z'));
    expect(await w.runDue()).toBe(1);
    expect(standIn.requests).toHaveLength(1);
    expect(await w.runDue()).toBe(0);
  });
});
