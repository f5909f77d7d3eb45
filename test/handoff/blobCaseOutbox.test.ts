import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobCaseOutbox } from '../../src/handoff/blobCaseOutbox.js';
import type { NewCase } from '../../src/handoff/caseRecord.js';
import { TicketWorker } from '../../src/handoff/ticketWorker.js';
import { silentLogger } from '../../src/logger.js';
import { type Azurite, freshContainer, startAzurite } from '../support/azurite.js';
import { HelpdeskStandIn } from '../support/helpdeskStandIn.js';

/**
 * The escalation outbox in Azure Blob (azurite in memory), with two outbox objects on one
 * container standing for two instances: one open case per person and matter, each case
 * claimed by one worker at a time, and exactly one ticket per case from several workers.
 */

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);

afterAll(() => azurite?.stop());

async function twoInstances(now?: () => Date): Promise<[BlobCaseOutbox, BlobCaseOutbox]> {
  const container = await freshContainer(azurite, 'outbox-test');
  const options = now === undefined ? {} : { now };
  return [new BlobCaseOutbox(container, options), new BlobCaseOutbox(container, options)];
}

function escalation(overrides: Partial<NewCase> = {}): NewCase {
  return {
    kind: 'escalation',
    reason: 'not-helped',
    role: 'customer',
    channel: 'webchat',
    conversationId: 'conv-1',
    locale: 'fr-FR',
    symptom: 'missed-sale',
    scenario: 'job-archived',
    secondary: [],
    accessCode: 'MXR29PLT',
    jobId: 'job-4102',
    photographerId: null,
    stepsTried: [],
    transcript: [{ from: 'user', text: "j'ai manqué la vente « été »", at: '2026-12-02T08:00:00.000Z' }],
    email: 'parent@example.com',
    ...overrides,
  };
}

describe('BlobCaseOutbox', () => {
  it('keeps a case with its transcript and steps, counts it for its job, and lists it until delivered', async () => {
    const [one, two] = await twoInstances();
    const record = await one.record(escalation(), 'webchat:parent-1');
    await two.append(record.id, { from: 'user', text: 'toujours rien ?', at: '2026-12-02T08:01:00.000Z' });
    await two.addStepsTried(record.id, ['reloaded', 'reloaded', 'other browser']);
    const open = await two.openCase('webchat:parent-1', { kind: 'escalation', symptom: 'missed-sale', accessCode: 'MXR29PLT' });
    expect(open?.transcript.map((line) => line.text)).toEqual(["j'ai manqué la vente « été »", 'toujours rien ?']);
    expect(open?.stepsTried).toEqual(['reloaded', 'other browser']);
    expect(await two.countPending({ kind: 'escalation', jobId: 'job-4102' })).toBe(1);
    expect(await two.countPending({ kind: 'escalation', jobId: 'job-9' })).toBe(0);
    expect((await one.pending()).map((pending) => pending.id)).toEqual([record.id]);
    await two.markDelivered(record.id);
    expect(await one.pending()).toEqual([]);
    expect(await one.openCase('webchat:parent-1', { kind: 'escalation', symptom: 'missed-sale', accessCode: 'MXR29PLT' })).toBeNull();
    await expect(one.append('case-missing', { from: 'user', text: 'x', at: '2026-12-02T08:00:00.000Z' })).rejects.toThrow(/no case with the id/);
  });

  it('one open case per person and matter, even when two instances record it at once', async () => {
    const [one, two] = await twoInstances();
    const results = await Promise.allSettled([one.record(escalation(), 'webchat:p'), two.record(escalation(), 'webchat:p'), one.record(escalation(), 'webchat:p')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await one.pending()).toHaveLength(1);
    // Another matter (another code) of the same person, and the same matter of someone else, are cases of their own.
    await two.record(escalation({ accessCode: 'JMV8RT4X' }), 'webchat:p');
    await two.record(escalation(), 'webchat:someone-else');
    expect(await one.pending()).toHaveLength(3);
    // Once delivered, the matter can be asked about again.
    const [first] = await one.pending();
    await one.markDelivered(first!.id);
    await expect(one.record(escalation(), 'webchat:p')).resolves.toMatchObject({ kind: 'escalation' });
  });

  it('a claim is one worker\'s until it runs out; outcomes of a lost claim change nothing', async () => {
    let t = Date.parse('2026-12-02T09:00:00.000Z');
    const now = () => new Date(t);
    const [one, two] = await twoInstances(now);
    const record = await one.record(escalation());
    const claims = await Promise.all([one.claimDue('a', 60_000), two.claimDue('b', 60_000), one.claimDue('c', 60_000), two.claimDue('d', 60_000)]);
    const held = claims.filter((claim) => claim !== null);
    expect(held).toHaveLength(1);
    expect(await two.claimDue('e', 60_000)).toBeNull();
    t += 61_000;
    const taken = await two.claimDue('late', 60_000);
    expect(taken?.record.id).toBe(record.id);
    expect(await one.markTicketCreated(held[0]!, '#1')).toBe(false);
    expect(await two.markRetry(taken!, new Date(t + 30_000), 'HTTP 503')).toBe(true);
    expect(await one.claimDue('early', 60_000)).toBeNull();
    t += 30_000;
    const again = await one.claimDue('again', 60_000);
    expect(again?.attempts).toBe(1);
    expect(await one.markTicketCreated(again!, '#4711')).toBe(true);
    expect(await two.deliveryState(record.id)).toMatchObject({ attempts: 1, ticketReference: '#4711', lastError: null, deliveredAt: new Date(t).toISOString() });
    expect((await two.entry(record.id))?.state).toBe('delivered');
  });

  it('pages the cases newest first for an operator', async () => {
    let t = Date.parse('2026-12-02T09:00:00.000Z');
    const [one] = await twoInstances(() => new Date((t += 1000)));
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await one.record(escalation({ conversationId: `c-${i}` }))).id);
    const first = await one.list({ limit: 2 });
    const second = await one.list({ limit: 2, after: first.next ?? undefined });
    const third = await one.list({ limit: 2, after: second.next ?? undefined });
    expect([...first.entries, ...second.entries, ...third.entries].map((entry) => entry.record.id)).toEqual(ids.reverse());
    expect(third.next).toBeNull();
    await expect(one.list({ limit: 2, after: 'not-a-cursor' })).rejects.toThrow(/not a page cursor/);
  });

  it('workers of two instances send every case exactly once', async () => {
    const [one, two] = await twoInstances();
    const records = [];
    for (let i = 0; i < 12; i++) records.push(await (i % 2 === 0 ? one : two).record(escalation({ conversationId: `conv-${i}` }), `webchat:parent-${i}`));
    const standIn = new HelpdeskStandIn({ status: 201, body: { id: 1 } });
    const url = await standIn.start();
    try {
      const workers = [one, two, one, two].map(
        (outbox) => new TicketWorker({ outbox, helpdesk: { format: 'generic', url, locale: 'en-US' }, logger: silentLogger, pollMs: 50 }),
      );
      await Promise.all(workers.map((worker) => worker.runDue()));
      const keys = standIn.requests.map((request) => request.headers['idempotency-key']);
      expect(keys.sort()).toEqual(records.map((record) => record.id).sort());
      expect(await one.pending()).toEqual([]);
    } finally {
      await standIn.stop();
    }
  }, 60_000);

  it('lines written after the ticket reach it once each and in order, from workers of two instances, across a helpdesk that fails and recovers', async () => {
    let t = Date.parse('2026-12-02T09:00:00.000Z');
    const now = () => new Date(t);
    const [one, two] = await twoInstances(now);
    const record = await one.record(escalation(), 'webchat:parent-lines');
    const standIn = new HelpdeskStandIn({ status: 201, body: { id: 'T-1' } });
    const url = await standIn.start();
    try {
      const workers = [one, two, one, two].map(
        (outbox) => new TicketWorker({ outbox, helpdesk: { format: 'generic', url, locale: 'en-US' }, logger: silentLogger, now, backoff: () => 60_000 }),
      );
      await workers[0]!.runDue();
      expect(standIn.requests).toHaveLength(1);
      const texts = ['un', 'deux', 'trois', 'quatre', 'cinq'];
      for (const [index, text] of texts.entries()) await (index % 2 === 0 ? one : two).append(record.id, { from: 'user', text, at: `2026-12-02T09:0${index + 1}:00.000Z` });
      standIn.script.push({ status: 503 });
      await Promise.all(workers.map((worker) => worker.runDue()));
      // The first line was not reached: it and the ones behind it wait for the backoff.
      expect(standIn.requests).toHaveLength(2);
      t += 60_000;
      await Promise.all(workers.map((worker) => worker.runDue()));
      const lines = standIn.requests.slice(1).map((request) => request.body as { type: string; caseId: string; line: { text: string } });
      expect(lines.map((body) => [body.type, body.caseId])).toEqual(Array.from({ length: 6 }, () => ['case-line', record.id]));
      expect(lines.map((body) => body.line.text)).toEqual(['un', ...texts]);
      expect(await Promise.all(workers.map((worker) => worker.runDue()))).toEqual([0, 0, 0, 0]);
    } finally {
      await standIn.stop();
    }
  }, 60_000);

  it('an operator\'s retry puts a refused case back into delivery, unless a newer case of the matter is open or it is delivered', async () => {
    const [one, two] = await twoInstances();
    const record = await one.record(escalation(), 'webchat:parent-retry');
    const claimed = await one.claimDue('worker-a', 60_000);
    expect(await one.markFailed(claimed!, 'HTTP 422')).toBe(true);
    expect(await two.retry(record.id)).toBe('retried');
    expect((await two.entry(record.id))?.state).toBe('pending');
    // Open again, it holds its matter: the person's next request is added to it.
    expect((await one.openCase('webchat:parent-retry', { kind: 'escalation', symptom: 'missed-sale', accessCode: 'MXR29PLT' }))?.id).toBe(record.id);
    const again = await two.claimDue('worker-b', 60_000);
    expect(again?.record.id).toBe(record.id);
    expect(await two.markTicketCreated(again!, '#9')).toBe(true);
    expect(await one.retry(record.id)).toBe('delivered');
    expect(await one.retry('case-00000000-0000-0000-0000-000000000000')).toBe('unknown');

    // Refused, and the person opened a newer case of the same matter since: that one has what they said.
    const refused = await one.record(escalation({ conversationId: 'conv-2' }), 'webchat:parent-2');
    await one.markFailed((await one.claimDue('worker-a', 60_000))!, 'HTTP 400');
    await two.record(escalation({ conversationId: 'conv-3' }), 'webchat:parent-2');
    expect(await one.retry(refused.id)).toBe('matter-open');
    expect((await one.entry(refused.id))?.state).toBe('failed');
  });

  it('a line written while the ticket is on its way is added to the ticket afterwards, not lost and not sent twice', async () => {
    const [one, two] = await twoInstances();
    const record = await one.record(escalation(), 'webchat:parent-race');
    const standIn = new HelpdeskStandIn({ status: 201, body: { id: 4711 } });
    const url = await standIn.start();
    try {
      // The person writes, through the other instance, after the worker took the case and before the helpdesk answers.
      const writingMeanwhile: typeof fetch = async (input, init) => {
        if (standIn.requests.length === 0) await two.append(record.id, { from: 'user', text: 'vous êtes là ?', at: '2026-12-02T08:05:00.000Z' });
        return fetch(input, init);
      };
      const worker = new TicketWorker({ outbox: one, helpdesk: { format: 'freshdesk', url, apiKey: 'k', locale: 'en-US' }, logger: silentLogger, fetch: writingMeanwhile });
      expect(await worker.runDue()).toBe(2);
      const [ticket, note] = standIn.requests;
      expect((ticket!.body as { description: string }).description).not.toContain('vous êtes là');
      expect([note!.path, (note!.body as { body: string }).body]).toEqual(['/api/v2/tickets/4711/notes', expect.stringContaining('vous êtes là ?')]);
      expect(await worker.runDue()).toBe(0);
    } finally {
      await standIn.stop();
    }
  });
});
