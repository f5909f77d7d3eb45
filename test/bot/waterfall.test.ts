import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder-core';
import { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog.js';
import { describe, expect, it } from 'vitest';
import { type Dialog, DialogSet, type DialogState, type DialogTurnResult, DialogTurnStatus } from '../../src/bot/dialogKit.js';
import { Waterfall, type WaterfallStep } from '../../src/bot/waterfall.js';

/**
 * The bot's Waterfall against botbuilder's WaterfallDialog: the same steps see the same
 * results, and a conversation saved by one continues in the other (a deployment that
 * changes from one to the other loses no conversation that is mid-way).
 */

/** What these steps use of a step: botbuilder's WaterfallStepContext and the bot's WaterfallStep both have it. */
type Step = (step: Pick<WaterfallStep, 'options' | 'result' | 'values' | 'next'>) => Promise<DialogTurnResult>;

/** Asks for a name, then an age, then says both: two questions, each the end of a turn. */
function steps(said: string[]): Step[] {
  return [
    async (step) => {
      (step.values as { greeting?: string }).greeting = 'hello';
      said.push(`name? (${JSON.stringify(step.options)})`);
      return { status: DialogTurnStatus.waiting };
    },
    async (step) => {
      (step.values as { name?: unknown }).name = step.result;
      said.push('age?');
      return { status: DialogTurnStatus.waiting };
    },
    async (step) => {
      const values = step.values as { greeting: string; name: string };
      said.push(`${values.greeting} ${values.name}, ${String(step.result)}`);
      return step.next('finished');
    },
  ];
}

/** Runs one turn of `dialog` on a conversation whose state lives in `storage`. */
async function turn(storage: MemoryStorage, dialog: Dialog, activity: { type: string; text?: string }, options?: object): Promise<DialogTurnStatus> {
  const state = new ConversationState(storage);
  const dialogs = new DialogSet(state.createProperty<DialogState>('dialogs')).add(dialog);
  let status = DialogTurnStatus.empty;
  const adapter = new TestAdapter(async (context: TurnContext) => {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    status = result.status === DialogTurnStatus.empty ? (await dc.beginDialog(dialog.id, options)).status : result.status;
    await state.saveChanges(context);
  });
  await adapter.send(activity.type === ActivityTypes.Message ? (activity.text ?? '') : { type: activity.type, name: 'ping' }).startTest();
  return status;
}

describe('Waterfall', () => {
  it('runs the steps as WaterfallDialog does: options, values, results, next, the end', async () => {
    for (const make of [(said: string[]) => new WaterfallDialog('ask', steps(said)), (said: string[]) => new Waterfall('ask', steps(said))]) {
      const said: string[] = [];
      const storage = new MemoryStorage();
      expect(await turn(storage, make(said), { type: ActivityTypes.Message, text: 'hi' }, { from: 'test' })).toBe(DialogTurnStatus.waiting);
      expect(await turn(storage, make(said), { type: ActivityTypes.Message, text: 'Ada' })).toBe(DialogTurnStatus.waiting);
      expect(await turn(storage, make(said), { type: ActivityTypes.Message, text: '36' })).toBe(DialogTurnStatus.complete);
      expect(said).toEqual(['name? ({"from":"test"})', 'age?', 'hello Ada, 36']);
    }
  });

  it('continues a conversation WaterfallDialog saved, and WaterfallDialog continues one it saved', async () => {
    for (const [first, then] of [
      [(said: string[]) => new WaterfallDialog('ask', steps(said)), (said: string[]) => new Waterfall('ask', steps(said))],
      [(said: string[]) => new Waterfall('ask', steps(said)), (said: string[]) => new WaterfallDialog('ask', steps(said))],
    ] as const) {
      const said: string[] = [];
      const storage = new MemoryStorage();
      await turn(storage, first(said), { type: ActivityTypes.Message, text: 'hi' });
      await turn(storage, first(said), { type: ActivityTypes.Message, text: 'Ada' });
      expect(await turn(storage, then(said), { type: ActivityTypes.Message, text: '36' })).toBe(DialogTurnStatus.complete);
      expect(said.at(-1)).toBe('hello Ada, 36');
    }
    expect(new Waterfall('ask', steps([])).getVersion()).toBe(new WaterfallDialog('ask', steps([])).getVersion());
  });

  it('waits through an activity that is not a message, as WaterfallDialog does', async () => {
    const said: string[] = [];
    const storage = new MemoryStorage();
    await turn(storage, new Waterfall('ask', steps(said)), { type: ActivityTypes.Message, text: 'hi' });
    expect(await turn(storage, new Waterfall('ask', steps(said)), { type: ActivityTypes.Event })).toBe(DialogTurnStatus.waiting);
    expect(said).toEqual(['name? ({})']);
  });

  it('refuses a second next() in one step', async () => {
    const twice = new Waterfall('twice', [
      async (step) => {
        await step.next();
        return step.next();
      },
      async () => ({ status: DialogTurnStatus.waiting }),
    ]);
    await expect(turn(new MemoryStorage(), twice, { type: ActivityTypes.Message, text: 'go' })).rejects.toThrow(/next\(\) called twice/);
  });
});
