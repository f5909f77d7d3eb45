import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Reply, ReplyChoice, Slot } from '../src/channels/replyModel.js';
import { type Turn, turnOf } from '../src/bot/turn.js';
import { isUserInput } from '../src/bot/turnInput.js';

/** What reading an answer gave: a value, or a reason to ask again. */
/** `choices` replace the question's buttons for the retry, e.g. "did you mean A or B?". */
export type Answer<T> = { ok: true; value: T } | { ok: false; retry: string; choices?: ReplyChoice[] };

export interface AskSpec<T, O> {
  /** The slot the diagnosis entity reports while the question is open. */
  slot: Slot;
  question(turn: Turn, options: O): Reply;
  read(text: string, turn: Turn, options: O, attempt: number): Answer<T> | Promise<Answer<T>>;
  /** After this many unreadable answers the question ends with `giveUp`'s value instead of looping. */
  maxAttempts?: number;
  giveUp?(turn: Turn, options: O): T;
}

export interface AskOptions {
  /** Text a person already gave (in an earlier message): read it before asking. */
  answer?: string;
  /** Said before the question in the same message, e.g. an acknowledgement. */
  lead?: string;
}

interface AskState<O> {
  options: O;
  attempts: number;
}

/**
 * One question of a flow: asks, reads the answer, asks again with a reason when the
 * answer can't be read. A small cousin of botbuilder's prompts that speaks the reply
 * model and keeps the `awaiting` slot of the case up to date.
 */
export class AskDialog<T, O extends AskOptions = AskOptions> extends Dialog<O> {
  constructor(
    dialogId: string,
    private readonly spec: AskSpec<T, O>,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const opts = (options ?? {}) as O;
    const state: AskState<O> = { options: opts, attempts: 0 };
    dc.activeDialog!.state = state;
    const turn = turnOf(dc.context);
    if (opts.answer !== undefined && opts.answer !== '') return this.readAnswer(dc, turn, state, opts.answer);
    this.ask(turn, opts, opts.lead);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    // Typing indicators, reactions and other non-messages neither answer nor count as a try.
    if (!isUserInput(dc.context.activity)) return Dialog.EndOfTurn;
    const turn = turnOf(dc.context);
    return this.readAnswer(dc, turn, dc.activeDialog!.state as AskState<O>, turn.input.text);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as AskState<O>;
    this.ask(turnOf(context), state.options);
  }

  private async readAnswer(dc: DialogContext, turn: Turn, state: AskState<O>, text: string): Promise<DialogTurnResult> {
    state.attempts += 1;
    const answer: Answer<T> =
      text === '' && turn.input.choiceId === null
        ? { ok: false, retry: `${turn.l.t(turn.input.attachmentsOnly ? 'input.empty' : 'input.unreadable')} ${this.spec.question(turn, state.options).text}` }
        : await this.spec.read(text, turn, state.options, state.attempts);
    if (answer.ok) {
      turn.case.awaiting = null;
      return dc.endDialog(answer.value);
    }
    const maxAttempts = this.spec.maxAttempts;
    if (maxAttempts !== undefined && state.attempts >= maxAttempts && this.spec.giveUp) {
      turn.case.awaiting = null;
      return dc.endDialog(this.spec.giveUp(turn, state.options));
    }
    // The reason to ask again replaces the question's text; its buttons stay.
    const question = this.spec.question(turn, state.options);
    turn.case.awaiting = this.spec.slot;
    turn.say({ ...question, text: answer.retry, ...(answer.choices ? { choices: answer.choices } : {}) });
    return Dialog.EndOfTurn;
  }

  private ask(turn: Turn, options: O, lead?: string): void {
    const question = this.spec.question(turn, options);
    turn.case.awaiting = this.spec.slot;
    turn.say(lead ? { ...question, text: `${lead} ${question.text}` } : question);
  }
}
