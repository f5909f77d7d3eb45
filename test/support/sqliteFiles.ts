import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';

export interface SqliteFiles {
  /** Opens a database (in memory by default); it is closed after the test if still open. */
  open(path?: string): SqliteDatabase;
  /** A path inside the test's own temporary folder. */
  path(...parts: string[]): string;
}

/**
 * SQLite databases for the tests of a file: each test gets a fresh temporary folder (removed
 * after it, with every database it opened closed first). Call at the top level of a test file.
 */
export function useSqliteFiles(folderPrefix: string): SqliteFiles {
  let folder: string;
  const opened: SqliteDatabase[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), folderPrefix));
  });

  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  return {
    open(path = ':memory:') {
      const db = openDatabase(path);
      opened.push(db);
      return db;
    },
    path: (...parts) => join(folder, ...parts),
  };
}
