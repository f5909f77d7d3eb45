import { describe, expect, it } from 'vitest';
import type { NewCase } from '../../src/handoff/caseRecord.js';
import { SqliteCaseOutbox } from '../../src/handoff/sqliteCaseOutbox.js';
import { DEMO_CASES, DEMO_CODES } from '../support/demoCodes.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

const { open, path: inFolder } = useSqliteFiles('case-outbox-');

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  const archived = DEMO_CASES['job-archived'];
  return {
    kind: 'notify-photographer',
    reason: 'customer-asked',
    role: 'customer',
    channel: 'webchat',
    conversationId: 'conv-1',
    locale: 'de-DE',
    symptom: 'missed-sale',
    scenario: archived.scenario,
    secondary: [],
    accessCode: DEMO_CODES['job-archived'],
    jobId: archived.jobId,
    photographerId: 'ph-brandt',
    stepsTried: [],
    transcript: [{ from: 'user', text: 'Verkauf verpasst?', at: '2026-11-27T08:00:00.000Z' }],
    ...overrides,
  };
}

/** A clock that moves one second per call, from 2026-11-27 09:00 UTC. */
function ticking(): () => Date {
  let t = Date.parse('2026-11-27T09:00:00.000Z');
  return () => new Date((t += 1000));
}

describe('SqliteCaseOutbox', () => {
  it('records a case with an id and a time, and returns what it stored', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: () => new Date('2026-11-27T10:15:00.000Z') });
    const recorded = await outbox.record(newCase());
    expect(recorded.id).toMatch(/^case-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recorded.createdAt).toBe('2026-11-27T10:15:00.000Z');
    expect(recorded).toEqual({ ...newCase(), id: recorded.id, createdAt: recorded.createdAt });
    expect(await outbox.pending()).toEqual([recorded]);
  });

  it('gives every case its own id and ignores ids smuggled into the new case', async () => {
    const outbox = new SqliteCaseOutbox(open());
    const smuggled = { ...newCase(), id: 'case-mine', createdAt: '1999-01-01T00:00:00.000Z' } as NewCase;
    const a = await outbox.record(smuggled);
    const b = await outbox.record(newCase());
    expect(a.id).not.toBe('case-mine');
    expect(a.createdAt).not.toBe('1999-01-01T00:00:00.000Z');
    expect(a.id).not.toBe(b.id);
  });

  it('lists pending cases oldest first, also within the same millisecond, and honours the limit', async () => {
    const sameInstant = () => new Date('2026-11-27T10:00:00.000Z');
    const outbox = new SqliteCaseOutbox(open(), { now: sameInstant });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await outbox.record(newCase({ conversationId: `conv-${i}` }))).id);
    expect((await outbox.pending()).map((c) => c.id)).toEqual(ids);
    expect((await outbox.pending(2)).map((c) => c.id)).toEqual(ids.slice(0, 2));
    expect(await outbox.pending(0)).toEqual([]);
    await expect(outbox.pending(-1)).rejects.toThrow(RangeError);
    await expect(outbox.pending(1.5)).rejects.toThrow(RangeError);
  });

  it('orders by creation time', async () => {
    const times = ['2026-11-27T10:00:02.000Z', '2026-11-27T10:00:01.000Z', '2026-11-27T10:00:03.000Z'];
    let i = 0;
    const outbox = new SqliteCaseOutbox(open(), { now: () => new Date(times[i++]!) });
    const [late, early, latest] = [await outbox.record(newCase()), await outbox.record(newCase()), await outbox.record(newCase())];
    expect((await outbox.pending()).map((c) => c.id)).toEqual([early.id, late.id, latest.id]);
  });

  it('leaves delivered cases out, idempotently, and refuses an unknown id', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: ticking() });
    const first = await outbox.record(newCase());
    const second = await outbox.record(newCase({ kind: 'escalation', reason: 'fix-failed' }));
    await outbox.markDelivered(first.id);
    await outbox.markDelivered(first.id);
    expect((await outbox.pending()).map((c) => c.id)).toEqual([second.id]);
    await expect(outbox.markDelivered('case-unknown')).rejects.toThrow('case-unknown');
  });

  it('returns copies: changing a returned case changes nothing stored', async () => {
    const outbox = new SqliteCaseOutbox(open());
    const input = newCase();
    const recorded = await outbox.record(input);
    input.transcript.push({ from: 'bot', text: 'later', at: '2026-11-27T11:00:00.000Z' });
    recorded.stepsTried.push('changed');
    const [pending] = await outbox.pending();
    pending!.secondary.push('photos-hidden');
    expect(await outbox.pending()).toEqual([{ ...newCase(), id: recorded.id, createdAt: recorded.createdAt }]);
  });

  it('keeps pending cases across a restart', async () => {
    const path = inFolder('data', 'bot.sqlite');
    const db = open(path);
    const outbox = new SqliteCaseOutbox(db, { now: ticking() });
    const delivered = await outbox.record(newCase());
    const waiting = await outbox.record(newCase({ kind: 'escalation', symptom: null, scenario: null, accessCode: null }));
    await outbox.markDelivered(delivered.id);
    db.close();

    const reopened = new SqliteCaseOutbox(open(path));
    expect(await reopened.pending()).toEqual([waiting]);
  });

  it('appends lines to the transcript of a case, keeping the rest and the other cases as they were, and refuses an unknown id', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: ticking() });
    const handedOver = await outbox.record(newCase({ kind: 'escalation', email: 'parent@example.com' }));
    const other = await outbox.record(newCase());
    const lines = [
      { from: 'user' as const, text: 'hello?', at: '2026-11-27T11:00:00.000Z' },
      { from: 'user' as const, text: 'any news? "quoted" \\ and ünïcode', at: '2026-11-27T11:05:00.000Z' },
    ];
    await Promise.all(lines.map((line) => outbox.append(handedOver.id, line)));
    expect(await outbox.pending()).toEqual([{ ...handedOver, transcript: [...handedOver.transcript, ...lines] }, other]);
    await expect(outbox.append('case-unknown', lines[0]!)).rejects.toThrow(/no case with the id "case-unknown"/);
  });

  it('shares the database with the bot state', async () => {
    const { SqliteStorage } = await import('../../src/storage/sqliteStorage.js');
    const db = open(inFolder('bot.sqlite'));
    const storage = new SqliteStorage(db);
    const outbox = new SqliteCaseOutbox(db);
    await storage.write({ k: { v: 1 } });
    await outbox.record(newCase());
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => t.name)).toEqual(['bot_state', 'case_outbox']);
  });
  it('countPending counts only undelivered cases of that kind about that job, across more than 500 cases', async () => {
    const db = open();
    const outbox = new SqliteCaseOutbox(db, { now: ticking() });
    const jobId = DEMO_CASES['job-archived'].jobId!;
    const otherJob = DEMO_CASES['photos-hidden'].jobId!;
    const mine: string[] = [];
    // 520 customers waiting for this job, 30 for another job, 40 escalations about this job.
    for (let i = 0; i < 520; i++) mine.push((await outbox.record(newCase({ conversationId: `wait-${i}` }))).id);
    for (let i = 0; i < 30; i++) await outbox.record(newCase({ conversationId: `other-${i}`, jobId: otherJob }));
    for (let i = 0; i < 40; i++) await outbox.record(newCase({ conversationId: `esc-${i}`, kind: 'escalation' }));
    await outbox.record(newCase({ conversationId: 'no-job', jobId: null }));
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId })).toBe(520);
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId: otherJob })).toBe(30);
    expect(await outbox.countPending({ kind: 'escalation', jobId })).toBe(40);
    expect(await outbox.countPending({ kind: 'escalation', jobId: otherJob })).toBe(0);
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId: 'job-none' })).toBe(0);

    // Delivered cases no longer wait, the oldest as well as the newest.
    for (const id of [...mine.slice(0, 10), ...mine.slice(-5)]) await outbox.markDelivered(id);
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId })).toBe(505);
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId: otherJob })).toBe(30);
    // The same as filtering every pending case, which pending(500) could not see in full.
    const all = await outbox.pending(10_000);
    expect(all.filter((record) => record.kind === 'notify-photographer' && record.jobId === jobId)).toHaveLength(505);
    expect((await outbox.pending(500)).filter((record) => record.kind === 'notify-photographer' && record.jobId === jobId).length).toBeLessThan(505);
  });

  it('countPending is 0 on an empty outbox and does not count a job id that only appears in the text', async () => {
    const outbox = new SqliteCaseOutbox(open());
    const jobId = DEMO_CASES['job-archived'].jobId!;
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId })).toBe(0);
    await outbox.record(newCase({ jobId: null, reason: jobId, transcript: [{ from: 'user', text: jobId, at: '2026-11-27T08:00:00.000Z' }] }));
    expect(await outbox.countPending({ kind: 'notify-photographer', jobId })).toBe(0);
  });
});

describe('one open case per person and matter', () => {
  const matter = { kind: 'escalation', symptom: 'missed-sale', accessCode: DEMO_CODES['job-archived'] } as const;

  it('finds the person\'s undelivered case of the same kind, symptom and code, and nobody else\'s', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: ticking() });
    const mine = await outbox.record(newCase({ kind: 'escalation' }), 'webchat:parent-a');
    await outbox.record(newCase({ kind: 'escalation' })); // recorded without a person: never an open case of anybody
    expect((await outbox.openCase('webchat:parent-a', matter))?.id).toBe(mine.id);
    expect(await outbox.openCase('webchat:parent-b', matter)).toBeNull();
    expect(await outbox.openCase('webchat:parent-a', { ...matter, kind: 'notify-photographer' })).toBeNull();
    expect(await outbox.openCase('webchat:parent-a', { ...matter, symptom: 'almost-ready' })).toBeNull();
    expect(await outbox.openCase('webchat:parent-a', { ...matter, accessCode: DEMO_CODES['job-in-planning'] })).toBeNull();
    // Once delivered it is no longer open: the next request is a new case.
    await outbox.markDelivered(mine.id);
    expect(await outbox.openCase('webchat:parent-a', matter)).toBeNull();
    await outbox.record(newCase({ kind: 'escalation' }), 'webchat:parent-a');
  });

  it('refuses a second open case of the same matter for one person (the unique index), symptom and code null alike', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: ticking() });
    await outbox.record(newCase({ kind: 'escalation' }), 'webchat:parent-a');
    await expect(outbox.record(newCase({ kind: 'escalation' }), 'webchat:parent-a')).rejects.toThrow(/UNIQUE/);
    await outbox.record(newCase({ kind: 'escalation', symptom: null, accessCode: null }), 'webchat:parent-a');
    await expect(outbox.record(newCase({ kind: 'escalation', symptom: null, accessCode: null }), 'webchat:parent-a')).rejects.toThrow(/UNIQUE/);
    expect(await outbox.openCase('webchat:parent-a', { kind: 'escalation', symptom: null, accessCode: null })).not.toBeNull();
  });

  it('adds steps tried to a case, each once', async () => {
    const outbox = new SqliteCaseOutbox(open(), { now: ticking() });
    const record = await outbox.record(newCase({ kind: 'escalation', stepsTried: ['a'] }), 'msteams:lena');
    await outbox.addStepsTried(record.id, ['a', 'b', 'c']);
    await outbox.addStepsTried(record.id, ['c']);
    expect((await outbox.openCase('msteams:lena', matter))?.stepsTried).toEqual(['a', 'b', 'c']);
  });

  it('opens a file of an older release (no person column) and keeps its cases', async () => {
    const file = inFolder('older.sqlite');
    const database = open(file);
    database.exec(`CREATE TABLE case_outbox (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, delivered_at TEXT, json TEXT NOT NULL);
      INSERT INTO case_outbox VALUES ('case-old', '2026-11-01T00:00:00.000Z', NULL, '{"id":"case-old","kind":"escalation","transcript":[],"stepsTried":[]}');`);
    const outbox = new SqliteCaseOutbox(database);
    expect((await outbox.pending()).map((record) => record.id)).toEqual(['case-old']);
    await outbox.record(newCase({ kind: 'escalation' }), 'webchat:parent-a');
    expect(await outbox.openCase('webchat:parent-a', matter)).not.toBeNull();
  });
});

describe('an operator\'s retry', () => {
  it('puts a refused case back into delivery; a delivered one is 409-worthy, a newer open case of the matter keeps it failed', async () => {
    const outbox = new SqliteCaseOutbox(open());
    const record = await outbox.record(newCase(), 'webchat:parent-1');
    outbox.markFailed(outbox.claimDue('worker-a', 60_000)!, 'HTTP 422');
    expect(outbox.retry(record.id)).toBe('retried');
    expect(outbox.entry(record.id)?.state).toBe('pending');
    const again = outbox.claimDue('worker-b', 60_000);
    expect(again?.record.id).toBe(record.id);
    outbox.markTicketCreated(again!, '#1');
    expect(outbox.retry(record.id)).toBe('delivered');
    expect(outbox.retry('case-unknown')).toBe('unknown');

    const refused = await outbox.record(newCase({ conversationId: 'conv-2' }), 'webchat:parent-2');
    outbox.markFailed(outbox.claimDue('worker-a', 60_000)!, 'HTTP 400');
    await outbox.record(newCase({ conversationId: 'conv-3' }), 'webchat:parent-2');
    expect(outbox.retry(refused.id)).toBe('matter-open');
    expect(outbox.entry(refused.id)?.state).toBe('failed');
  });
});
