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
});
