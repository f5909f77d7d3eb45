import { type Activity, MemoryStorage, PrivateConversationState, type Storage, type StoreItems, TestAdapter, TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { PersonalConversationState } from '../../src/bot/personalConversationState.js';

/** MemoryStorage that counts its calls. */
class CountingStorage implements Storage {
  readonly inner = new MemoryStorage();
  reads = 0;
  writes: StoreItems[] = [];
  async read(keys: string[]): Promise<StoreItems> {
    this.reads += 1;
    return this.inner.read(keys);
  }
  async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)) as StoreItems);
    await this.inner.write(changes);
  }
  async delete(keys: string[]): Promise<void> {
    await this.inner.delete(keys);
  }
}

const activity: Partial<Activity> = { type: 'message', channelId: 'webchat', conversation: { id: 'conv-1' } as Activity['conversation'], from: { id: 'user-1' } as Activity['from'] };
const turn = () => new TurnContext(new TestAdapter(), activity);

describe('one person\'s state in a conversation, read once and saved once per turn', () => {
  it('uses the key PrivateConversationState uses, reads storage once per turn, and keeps what the turn changed', async () => {
    const storage = new CountingStorage();
    const state = new PersonalConversationState(storage);
    const first = turn();
    const loaded = await state.load(first);
    loaded.count = 1;
    expect(await state.load(first)).toBe(loaded);
    await state.saveChanges(first);
    expect(storage.reads).toBe(1);
    expect(Object.keys(storage.writes[0] ?? {})).toEqual([new PrivateConversationState(storage).getStorageKey(first)]);
    const second = turn();
    expect((await state.load(second)).count).toBe(1);
    // The same data botbuilder's own class reads.
    expect((await new PrivateConversationState(storage.inner).load(turn())).count).toBe(1);
  });

  it('saves a state the turn read even when unchanged, nothing for a turn that never read it, and an empty one when forced', async () => {
    const storage = new CountingStorage();
    const state = new PersonalConversationState(storage);
    const reader = turn();
    await state.load(reader);
    await state.saveChanges(reader);
    expect(storage.writes).toHaveLength(1);
    await state.saveChanges(turn());
    expect(storage.writes).toHaveLength(1);
    const forced = turn();
    await state.saveChanges(forced, true);
    expect(storage.writes).toHaveLength(2);
    expect(state.get(forced)).toEqual({ eTag: '*' });
  });

  it('clears for the turn, deletes from storage, and reads afresh when forced', async () => {
    const storage = new CountingStorage();
    const state = new PersonalConversationState(storage);
    const first = turn();
    (await state.load(first)).kept = true;
    await state.saveChanges(first);
    const second = turn();
    await state.load(second);
    await state.clear(second);
    expect(state.get(second)).toEqual({});
    expect((await state.load(second, true)).kept).toBe(true);
    await state.delete(second);
    expect(state.get(second)).toBeUndefined();
    expect(await state.load(turn())).toEqual({});
  });
});
