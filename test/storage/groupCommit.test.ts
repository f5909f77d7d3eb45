import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { GroupCommit, groupCommitOf } from '../../src/storage/groupCommit.js';

/**
 * The database's group commit on a real file, watched from a second connection: what that
 * connection sees is what is committed.
 */
let folder: string;
let db: SqliteDatabase;
let watcher: SqliteDatabase;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const file = join(folder, 'bot.sqlite');
  db = openDatabase(file);
  db.exec('CREATE TABLE lines (text TEXT NOT NULL UNIQUE)');
  watcher = openDatabase(file);
});

afterEach(() => {
  watcher.close();
  if (db.open) db.close();
  rmSync(folder, { recursive: true, force: true });
});

const committed = (): string[] => (watcher.prepare('SELECT text FROM lines ORDER BY rowid').all() as { text: string }[]).map((row) => row.text);
const insert = (text: string) => () => db.prepare('INSERT INTO lines (text) VALUES (?)').run(text).changes;

describe('GroupCommit', () => {
  it('commits the writes of a moment together, once the current callbacks are done, each resolving only then', async () => {
    const group = new GroupCommit(db);
    const resolved: string[] = [];
    const writes = ['one', 'two', 'three'].map((text) => group.run(insert(text)).then((changes) => resolved.push(`${text}:${changes}`)));
    expect(committed()).toEqual([]);
    await Promise.resolve();
    expect(resolved).toEqual([]);
    await Promise.all(writes);
    expect(committed()).toEqual(['one', 'two', 'three']);
    expect(resolved).toEqual(['one:1', 'two:1', 'three:1']);
  });

  it('runs the writes in one transaction: each sees the ones before it, nobody else sees any before the commit', async () => {
    const group = new GroupCommit(db);
    const seen: { inTransaction: boolean; before: number; outside: number }[] = [];
    const look = () => {
      seen.push({
        inTransaction: db.inTransaction,
        before: (db.prepare('SELECT count(*) AS n FROM lines').get() as { n: number }).n,
        outside: committed().length,
      });
    };
    await Promise.all([group.run(insert('a')), group.run(look), group.run(insert('b')), group.run(look)]);
    expect(seen).toEqual([
      { inTransaction: true, before: 1, outside: 0 },
      { inTransaction: true, before: 2, outside: 0 },
    ]);
  });

  it('undoes a write that fails alone: its caller hears why, the others are committed', async () => {
    const group = new GroupCommit(db);
    const halfDone = () => {
      insert('written before the failure')();
      insert('one')();
    };
    const results = await Promise.allSettled([group.run(insert('one')), group.run(halfDone), group.run(insert('two'))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(committed()).toEqual(['one', 'two']);
  });

  it('fails every write of a group whose commit fails', async () => {
    const group = new GroupCommit(db);
    const writes = [group.run(insert('one')), group.run(insert('two'))];
    db.close();
    const results = await Promise.allSettled(writes);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('tells `committed` in the step of the commit, before any caller goes on', async () => {
    const group = new GroupCommit(db);
    const order: string[] = [];
    const first = group.run(insert('one')).then(() => order.push('first caller goes on'));
    const second = group.run(insert('two'), (changes) => order.push(`second committed (${changes}), seen outside: ${committed().join(',')}`));
    await Promise.all([first, second]);
    expect(order).toEqual(['second committed (1), seen outside: one,two', 'first caller goes on']);
  });

  it('commits at once on flush (a read that must see everything, the graceful stop)', async () => {
    const group = new GroupCommit(db);
    const write = group.run(insert('now'));
    group.flush();
    expect(committed()).toEqual(['now']);
    await expect(write).resolves.toBe(1);
  });

  it('inside another transaction, leaves the writes to the scheduled commit instead of telling them "committed" early', async () => {
    const group = new GroupCommit(db);
    const resolved: string[] = [];
    const write = group.run(insert('waiting')).then(() => resolved.push('waiting'));
    db.transaction(() => {
      insert('in the transaction')();
      group.flush();
    })();
    expect(committed()).toEqual(['in the transaction']);
    await write;
    expect(committed()).toEqual(['in the transaction', 'waiting']);
    expect(resolved).toEqual(['waiting']);
  });

  it('is one per database, shared by every store writing to the file', () => {
    expect(groupCommitOf(db)).toBe(groupCommitOf(db));
    expect(groupCommitOf(db)).not.toBe(groupCommitOf(watcher));
  });
});
