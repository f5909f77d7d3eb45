import { ConversationState, MemoryStorage, TestAdapter, type Storage, type StoreItems } from 'botbuilder';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../src/storage/sqliteStorage.js';
import { useSqliteFiles } from '../support/sqliteFiles.js';

const { open, path: inFolder } = useSqliteFiles('sqlite-storage-');

type Outcome = { ok: true; value?: unknown } | { ok: false; error: string };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await run();
    return value === undefined ? { ok: true } : { ok: true, value };
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Items with their eTags replaced by a marker; eTags must be non-empty strings. */
function withoutETags(items: StoreItems): StoreItems {
  const result: StoreItems = {};
  for (const [key, item] of Object.entries(items)) {
    expect(typeof item.eTag).toBe('string');
    expect(item.eTag).not.toBe('');
    expect(item.eTag).not.toBe('*');
    result[key] = { ...item, eTag: '<etag>' };
  }
  return result;
}

/** One storage and the eTags it handed out on reads, per key, oldest first. */
class Driver {
  private readonly seen = new Map<string, string[]>();
  constructor(readonly storage: Storage) {}

  eTag(key: string, mode: ETagMode): string | undefined {
    const history = this.seen.get(key) ?? [];
    switch (mode) {
      case 'none':
        return undefined;
      case 'star':
        return '*';
      case 'current':
        return history.at(-1);
      case 'oldest':
        return history[0];
      case 'bogus':
        return 'no-such-etag';
    }
  }

  async run(op: Op): Promise<Outcome> {
    switch (op.type) {
      case 'read':
        return outcome(async () => {
          const items = await this.storage.read(op.keys);
          for (const [key, item] of Object.entries(items)) this.seen.set(key, [...(this.seen.get(key) ?? []), item.eTag]);
          return withoutETags(items);
        });
      case 'write': {
        const changes: StoreItems = {};
        for (const key of op.keys) {
          const eTag = this.eTag(key, op.eTag);
          changes[key] = eTag === undefined ? { ...op.value } : { ...op.value, eTag };
        }
        return outcome(() => this.storage.write(changes));
      }
      case 'delete':
        return outcome(() => this.storage.delete(op.keys));
    }
  }
}

type ETagMode = 'none' | 'star' | 'current' | 'oldest' | 'bogus';
type Op =
  | { type: 'read'; keys: string[] }
  | { type: 'write'; keys: string[]; eTag: ETagMode; value: Record<string, unknown> }
  | { type: 'delete'; keys: string[] };

const KEYS = ['conversation/1', 'user/2', 'conversation/3'];
const key = fc.constantFrom(...KEYS);
const keys = fc.uniqueArray(key, { minLength: 0, maxLength: 3 });
const value = fc.dictionary(
  fc.string({ maxLength: 6 }).filter((k) => k !== 'eTag'),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 4 },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ type: fc.constant('read' as const), keys }),
  // Single-key writes: multi-key writes with a conflict differ on purpose (see below).
  fc.record({
    type: fc.constant('write' as const),
    keys: key.map((k) => [k]),
    eTag: fc.constantFrom<ETagMode>('none', 'star', 'current', 'oldest', 'bogus'),
    value,
  }),
  fc.record({ type: fc.constant('delete' as const), keys }),
);

async function sideBySide(ops: Op[], sqlite = new SqliteStorage(open())): Promise<void> {
  const memory = new Driver(new MemoryStorage());
  const candidate = new Driver(sqlite);
  for (const [i, step] of ops.entries()) {
    const expected = await memory.run(step);
    const actual = await candidate.run(step);
    expect(actual, `step ${i}: ${JSON.stringify(step)}`).toEqual(expected);
  }
  const all = { type: 'read' as const, keys: KEYS };
  expect(await candidate.run(all)).toEqual(await memory.run(all));
}

describe('SqliteStorage behaves like MemoryStorage', () => {
  it('for random sequences of reads, single-key writes (every kind of eTag) and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), (ops) => sideBySide(ops)),
      { numRuns: 150 },
    );
  });

  it('for the documented cases, step by step', async () => {
    const a = KEYS[0]!;
    const b = KEYS[1]!;
    await sideBySide([
      { type: 'read', keys: [] },
      { type: 'read', keys: [a] }, // missing keys are left out
      { type: 'write', keys: [a], eTag: 'bogus', value: { n: 1 } }, // new key: any eTag is accepted
      { type: 'read', keys: [a, b] },
      { type: 'write', keys: [a], eTag: 'current', value: { n: 2 } },
      { type: 'write', keys: [a], eTag: 'current', value: { n: 3 } }, // stale now: rejected
      { type: 'write', keys: [a], eTag: 'star', value: { n: 4 } },
      { type: 'write', keys: [a], eTag: 'none', value: { n: 5, nested: { list: [1, 'x', null] } } },
      { type: 'read', keys: [a] },
      { type: 'write', keys: [a, b], eTag: 'none', value: { both: true } }, // no conflict possible
      { type: 'read', keys: [a, b] },
      { type: 'delete', keys: [a, 'never-written'] },
      { type: 'write', keys: [a], eTag: 'oldest', value: { n: 6 } }, // deleted: written again
      { type: 'read', keys: [a, b] },
    ]);
  });

  it('serialises items through JSON, and reads return copies', async () => {
    const memory = new MemoryStorage();
    const sqlite = new SqliteStorage(open());
    const item = { when: new Date('2026-11-27T09:00:00Z'), gone: undefined, list: [1, undefined], fn: () => 1 };
    for (const storage of [memory, sqlite]) {
      await storage.write({ k: item });
      const first = await storage.read(['k']);
      first.k.list.push(99);
      expect((await storage.read(['k'])).k.list).toEqual([1, null]);
    }
    expect(withoutETags(await sqlite.read(['k']))).toEqual(withoutETags(await memory.read(['k'])));
    expect(item).not.toHaveProperty('eTag'); // the caller's object is not touched
  });

  it('rejects missing keys or changes with the same errors', async () => {
    const sqlite = new SqliteStorage(open());
    const memory = new MemoryStorage();
    for (const [run, message] of [
      [(s: Storage) => s.read(undefined as unknown as string[]), 'Keys are required when reading.'],
      [(s: Storage) => s.write(undefined as unknown as StoreItems), 'Changes are required when writing.'],
    ] as const) {
      await expect(run(memory)).rejects.toThrow(message);
      await expect(run(sqlite)).rejects.toThrow(message);
    }
  });

  it('gives every write a new eTag and returns items with theirs', async () => {
    const storage = new SqliteStorage(open());
    const eTags = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await storage.write({ k: { i, eTag: '*' } });
      const { k } = await storage.read(['k']);
      expect(k.i).toBe(i);
      eTags.add(k.eTag);
    }
    expect(eTags.size).toBe(20);
  });
});

describe('SqliteStorage: writes made together', () => {
  it('commits them in one transaction, yet a conflicting call fails alone and each call keeps what it was given', async () => {
    const db = open();
    const storage = new SqliteStorage(db);
    await storage.write({ a: { v: 0 }, b: { v: 0 } });
    const { a } = await storage.read(['a']);
    const given = { v: 1 };
    const writes = [
      storage.write({ a: { v: 1, eTag: a.eTag } }),
      storage.write({ a: { v: 2, eTag: 'stale' }, b: { v: 2 } }),
      storage.write({ c: given }),
    ];
    given.v = 99; // changed after the call: the call's value is what is stored
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('Storage: error writing "a" due to eTag conflict.');
    const items = await storage.read(['a', 'b', 'c']);
    expect([items.a.v, items.b.v, items.c.v]).toEqual([1, 0, 1]); // b of the failed call is not written
  });

  it('fails a call the database refuses alone: the rest of its group is committed, and the next group works', async () => {
    const db = open();
    const storage = new SqliteStorage(db);
    db.exec(`CREATE TRIGGER no_bad BEFORE INSERT ON bot_state WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const first = await Promise.allSettled([storage.write({ ok: { v: 1 } }), storage.write({ bad: { v: 1 } })]);
    expect(first.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect(Object.keys(await storage.read(['ok', 'bad']))).toEqual(['ok']);
    await storage.write({ later: { v: 2 } });
    expect((await storage.read(['later'])).later.v).toBe(2);
  });
});

describe('SqliteStorage on a file', () => {
  it('keeps data across closing and reopening the file, eTags included', async () => {
    const path = inFolder('nested', 'state', 'bot.sqlite'); // the folder is created
    const db = open(path);
    await new SqliteStorage(db).write({ 'conv/1': { dialogStack: ['main'], turns: 3 } });
    const { 'conv/1': before } = await new SqliteStorage(db).read(['conv/1']);
    db.close();

    const reopened = new SqliteStorage(open(path));
    const { 'conv/1': after } = await reopened.read(['conv/1']);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ dialogStack: ['main'], turns: 3 });
    await reopened.write({ 'conv/1': { ...after, turns: 4 } }); // its eTag is still the current one
  });

  it('uses WAL and a busy timeout', () => {
    const db = open(inFolder('bot.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('gives freed pages back on request (incremental auto-vacuum), also on a file created without it', async () => {
    expect(open(inFolder('new.sqlite')).pragma('auto_vacuum', { simple: true })).toBe(2);
    const path = inFolder('old.sqlite');
    const old = new Database(path);
    old.exec("CREATE TABLE bot_state (key TEXT PRIMARY KEY, etag TEXT NOT NULL, document TEXT NOT NULL, updated_at TEXT NOT NULL); INSERT INTO bot_state VALUES ('k', 'e', '{\"v\":1}', '2026-01-01T00:00:00.000Z')");
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    old.close();
    const reopened = open(path);
    expect(reopened.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect((await new SqliteStorage(reopened).read(['k'])).k).toEqual({ v: 1 });
  });

  it('rejects a stale eTag, also between two connections to the same file', async () => {
    const path = inFolder('bot.sqlite');
    const one = new SqliteStorage(open(path));
    const two = new SqliteStorage(open(path));
    await one.write({ k: { v: 1 } });
    const { k: seenByOne } = await one.read(['k']);
    const { k: seenByTwo } = await two.read(['k']);
    await two.write({ k: { ...seenByTwo, v: 2 } });
    await expect(one.write({ k: { ...seenByOne, v: 3 } })).rejects.toThrow('Storage: error writing "k" due to eTag conflict.');
    expect((await one.read(['k'])).k.v).toBe(2);
  });

  it('writes one call in one transaction: a conflict on one key leaves every key unchanged', async () => {
    // MemoryStorage would keep the other keys of the call; here nothing of a failed call lands.
    const storage = new SqliteStorage(open());
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    const { a } = await storage.read(['a']);
    await storage.write({ a: { v: 2 } });
    await expect(storage.write({ b: { v: 9 }, a: { ...a, v: 9 }, c: { v: 9 } })).rejects.toThrow('eTag conflict');
    const after = await storage.read(['a', 'b', 'c']);
    expect([after.a?.v, after.b?.v, after.c]).toEqual([2, 1, undefined]);
  });

  it('works as the storage of botbuilder state', async () => {
    const storage = new SqliteStorage(open(inFolder('bot.sqlite')));
    const state = new ConversationState(storage);
    const turns = state.createProperty<number>('turns');
    const adapter = new TestAdapter(async (context) => {
      const count = (await turns.get(context, 0)) + 1;
      await turns.set(context, count);
      await context.sendActivity(`turn ${count}`);
      await state.saveChanges(context);
    });
    await adapter.send('hi').assertReply('turn 1').send('again').assertReply('turn 2').startTest();
  });
});
