import type { TurnContext } from 'botbuilder-core';
import { ActivityTypes } from 'botbuilder-core';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogKit.js';

/**
 * What a step of a waterfall is given: the turn, the waterfall's options and values, the
 * result of what ran before it, and the dialog stack's moves.
 */
export interface WaterfallStep {
  readonly context: TurnContext;
  /** The options the waterfall was begun with (`{}` when none). */
  readonly options: object;
  /** What the dialog this step waited for ended with; on a new message, its text. */
  readonly result: unknown;
  /** The waterfall's own values: kept with it in the dialog state from step to step. */
  readonly values: object;
  readonly index: number;
  beginDialog(dialogId: string, options?: object): Promise<DialogTurnResult>;
  replaceDialog(dialogId: string, options?: object): Promise<DialogTurnResult>;
  endDialog(result?: unknown): Promise<DialogTurnResult>;
  /** Runs the next step now, with this result. Once per step. */
  next(result?: unknown): Promise<DialogTurnResult>;
}

export type WaterfallStepFunction = (step: WaterfallStep) => Promise<DialogTurnResult>;

/** What a waterfall keeps in its dialog instance: the same fields as botbuilder's WaterfallDialog. */
interface WaterfallState {
  options: object;
  values: object;
  stepIndex: number;
}

/**
 * A sequence of steps, each run with the result of the one before: botbuilder's
 * WaterfallDialog, with the same stored state (`options`, `values`, `stepIndex`) and version
 * (`id:steps`), so a conversation saved by either continues in the other.
 *
 * The difference is the step. WaterfallDialog gives each step a WaterfallStepContext, a whole
 * DialogContext of its own: a state manager, a component registration with its service
 * collection, and memory paths parsed, six times in a customer's first turn. A step here is a
 * small object over the waterfall's own dialog context, which is all a step uses. Telemetry,
 * which this bot does not send, is left out, and so is the telemetry-only instance id.
 */
export class Waterfall extends Dialog {
  constructor(
    dialogId: string,
    private readonly steps: readonly WaterfallStepFunction[],
  ) {
    super(dialogId);
  }

  override getVersion(): string {
    return `${this.id}:${this.steps.length}`;
  }

  override async beginDialog(dc: DialogContext, options?: object): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as WaterfallState;
    state.options = options ?? {};
    state.values = {};
    return this.runStep(dc, 0, undefined);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    return this.resumeDialog(dc, undefined, dc.context.activity.text);
  }

  override async resumeDialog(dc: DialogContext, _reason: unknown, result?: unknown): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as WaterfallState;
    return this.runStep(dc, state.stepIndex + 1, result);
  }

  private async runStep(dc: DialogContext, index: number, result: unknown): Promise<DialogTurnResult> {
    const run = this.steps[index];
    if (run === undefined) return dc.endDialog(result);
    const state = dc.activeDialog!.state as WaterfallState;
    state.stepIndex = index;
    let nextCalled = false;
    return run({
      context: dc.context,
      options: state.options,
      result,
      values: state.values,
      index,
      beginDialog: (dialogId, options) => dc.beginDialog(dialogId, options),
      replaceDialog: (dialogId, options) => dc.replaceDialog(dialogId, options),
      endDialog: (value) => dc.endDialog(value),
      next: async (value) => {
        if (nextCalled) throw new Error(`Waterfall ${this.id}: next() called twice in step ${index}`);
        nextCalled = true;
        return this.resumeDialog(dc, undefined, value);
      },
    });
  }
}
