import { PrivateConversationState, type TurnContext } from 'botbuilder-core';

type StateObject = Record<string, unknown>;

/**
 * One person's state in one conversation (botbuilder's PrivateConversationState: the same
 * storage key), read at most once per turn and saved whenever it was read, without
 * botbuilder's change check. That check serialises the whole state when it is read and
 * twice more when it is saved, to skip a write that the turn pipeline never skips: every
 * turn that reads the state changes it (the activity id is remembered at least).
 */
export class PersonalConversationState extends PrivateConversationState {
  /** This turn's state object, kept in the turn's own state under a key only this instance knows. */
  private readonly turnKey = Symbol('personal-conversation-state');

  override async load(context: TurnContext, force = false): Promise<StateObject> {
    const cached = context.turnState.get(this.turnKey) as StateObject | undefined;
    if (cached !== undefined && !force) return cached;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state = (items[key] as StateObject | undefined) ?? {};
    context.turnState.set(this.turnKey, state);
    return state;
  }

  /** Writes the state if this turn read it (or `force`: an empty one if it did not). */
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let state = context.turnState.get(this.turnKey) as StateObject | undefined;
    if (state === undefined) {
      if (!force) return;
      state = {};
    }
    state.eTag = '*';
    const key = await this.storageKey(context);
    await this.storage.write({ [key]: state });
    context.turnState.set(this.turnKey, state);
  }

  override async clear(context: TurnContext): Promise<void> {
    context.turnState.set(this.turnKey, {});
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.turnKey);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): StateObject | undefined {
    return context.turnState.get(this.turnKey) as StateObject | undefined;
  }
}
