import type { Storage, StoreItems } from 'botbuilder';

/**
 * Storage that cannot be used (a corrupt or read-only SQLite file, an unreachable Azure
 * container) must not leave the bot looking healthy while every turn fails: it is said
 * once at start, /readyz answers 503, and each turn tells the person plainly that the
 * conversation cannot be saved right now.
 */

export interface Readiness {
  ready: boolean;
  detail: string;
}

export interface StorageReadiness {
  readiness(): Promise<Readiness>;
}

/** Bot state could not be read or written; the turn cannot go on. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

/** An eTag conflict is the storage working as designed, not the storage failing. */
function isETagConflict(error: unknown): boolean {
  return error instanceof Error && /etag conflict|precondition|ConditionNotMet/i.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
}

/**
 * Any storage, with its failures said as StorageUnavailableError, and a probe that tells
 * whether the next turn can be saved.
 */
export class GuardedStorage implements Storage, StorageReadiness {
  constructor(
    private readonly inner: Storage,
    private readonly what: string,
    private readonly probe: () => Promise<void>,
  ) {}

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isETagConflict(error)) throw error;
      throw new StorageUnavailableError(`${this.what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.guard(() => this.inner.read(keys));
  }

  write(changes: StoreItems): Promise<void> {
    return this.guard(() => this.inner.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.guard(() => this.inner.delete(keys));
  }

  async readiness(): Promise<Readiness> {
    try {
      await this.probe();
      return { ready: true, detail: this.what };
    } catch (error) {
      return { ready: false, detail: `${this.what}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

/** The storage could not even be opened: every turn is told so, /readyz stays 503 until the file is fixed and the bot restarted. */
export class UnusableStorage implements Storage, StorageReadiness {
  constructor(readonly reason: string) {}

  private fail(): never {
    throw new StorageUnavailableError(this.reason);
  }

  async read(): Promise<StoreItems> {
    return this.fail();
  }

  async write(): Promise<void> {
    this.fail();
  }

  async delete(): Promise<void> {
    this.fail();
  }

  async readiness(): Promise<Readiness> {
    return { ready: false, detail: this.reason };
  }
}
