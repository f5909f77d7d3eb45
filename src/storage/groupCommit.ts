import type { SqliteDatabase } from './database.js';

interface Waiting {
  work: () => unknown;
  committed: ((result: unknown) => void) | undefined;
  result?: unknown;
  error?: unknown;
  failed: boolean;
  done(result: unknown): void;
  fail(error: unknown): void;
}

/**
 * The writes of a moment in one commit, whoever makes them: the state of the turns ending
 * together, their transcript lines, the help chat's activities and handled marks. A commit
 * in WAL mode appends every page it changed to the log (the tables' shared interior and
 * index pages among them), and the log is later copied back: one commit for all of them
 * writes those pages once, not once per turn and per kind of write.
 *
 * Each write runs in a savepoint of its own inside the group's transaction, so one that
 * fails is undone alone and only its caller hears of it. A write's promise resolves only
 * once the group is committed. The group commits once the current I/O callbacks are done
 * (setImmediate), or at once when `flush` is called (a read that must see every write, the
 * graceful stop).
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  /** Whether a commit at the end of the moment is scheduled. */
  private scheduled = false;
  private readonly commitGroup;

  constructor(private readonly db: SqliteDatabase) {
    // Called inside commitGroup's transaction, a transaction function is a savepoint.
    const inSavepoint = db.transaction((work: () => unknown) => work());
    this.commitGroup = db.transaction((group: readonly Waiting[]) => {
      for (const write of group) {
        try {
          write.result = inSavepoint(write.work);
        } catch (error) {
          write.failed = true;
          write.error = error;
        }
      }
    });
  }

  /**
   * Runs `work` (synchronous database writes) in the next commit; its result once committed.
   * `committed` is called with the result in the same synchronous step as the commit, before
   * anything else runs: what must follow the commit without a gap (telling a conversation's
   * listeners, whose backlog reads would otherwise see a write twice or not at all).
   */
  run<T>(work: () => T, committed?: (result: T) => void): Promise<T> {
    return new Promise<T>((done, fail) => {
      this.waiting.push({ work, committed: committed as ((result: unknown) => void) | undefined, failed: false, done: done as (result: unknown) => void, fail });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /**
   * Commits what is waiting now. Inside another transaction it leaves the writes to the
   * scheduled commit: there the group would be a savepoint of that transaction, and its
   * writers would hear "committed" before anything is. Whoever must see every write in a
   * transaction of its own (an erasure) flushes before it begins.
   */
  flush(): void {
    if (this.waiting.length === 0 || this.db.inTransaction) return;
    const group = this.waiting;
    this.waiting = [];
    try {
      this.commitGroup(group);
    } catch (error) {
      // The commit itself failed (a full disk, a lock held too long): nothing of the group is stored.
      for (const write of group) write.fail(error);
      return;
    }
    for (const write of group) {
      if (write.failed) continue;
      try {
        write.committed?.(write.result);
      } catch (error) {
        write.failed = true;
        write.error = error;
      }
    }
    for (const write of group) {
      if (write.failed) write.fail(write.error);
      else write.done(write.result);
    }
  }
}

const groups = new WeakMap<SqliteDatabase, GroupCommit>();

/** The database's one group commit: every store writing to the file shares it. */
export function groupCommitOf(db: SqliteDatabase): GroupCommit {
  let group = groups.get(db);
  if (group === undefined) {
    group = new GroupCommit(db);
    groups.set(db, group);
  }
  return group;
}
