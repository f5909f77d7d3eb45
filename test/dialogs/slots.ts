import type { Activity } from 'botbuilder';
import type { Slot } from '../../src/channels/replyModel.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { createHarness, type DialogHarness, lastDiagnosis, msg } from '../support/dialogHarness.js';

/** The slots a conversation can be brought to with the dialogs that exist. */
export type ReachableSlot = Exclude<Slot, 'step-result' | 'archive-date'>;

/** Messages (in the locale's own words, typed button labels) that bring a new conversation to a slot. */
export function pathTo(slot: ReachableSlot, locale: string): { channelId: string; texts: string[] } {
  const customer = [msg(locale, 'symptom.choice.missed-sale'), DEMO_CODES['job-archived'], msg(locale, 'notify.no')];
  const photographer = [
    msg(locale, 'role.photographer'),
    msg(locale, 'symptom.choice.almost-ready'),
    msg(locale, 'guided.job-status.selling'),
    msg(locale, 'guided.yes'),
    msg(locale, 'guided.yes'),
  ];
  switch (slot) {
    case 'role':
      return { channelId: 'emulator', texts: ['hi'] };
    case 'symptom':
      return { channelId: 'webchat', texts: ['hi'] };
    case 'access-code':
      return { channelId: 'webchat', texts: ['hi', ...customer.slice(0, 1)] };
    case 'confirm':
      return { channelId: 'webchat', texts: ['hi', ...customer.slice(0, 2)] };
    case 'feedback':
      return { channelId: 'webchat', texts: ['hi', ...customer.slice(0, 3)] };
    case 'email':
      return { channelId: 'webchat', texts: ['hi', ...customer.slice(0, 3), msg(locale, 'feedback.no')] };
    case 'job-status':
      return { channelId: 'emulator', texts: ['hi', ...photographer.slice(0, 2)] };
    case 'code-activated':
      return { channelId: 'emulator', texts: ['hi', ...photographer.slice(0, 3)] };
    case 'photos-linked':
      return { channelId: 'emulator', texts: ['hi', ...photographer.slice(0, 4)] };
    case 'photos-hidden':
      return { channelId: 'emulator', texts: ['hi', ...photographer.slice(0, 5)] };
  }
}

/** A new conversation brought to `slot`; fails when the bot is not waiting there. */
export async function reach(slot: ReachableSlot, locale: string): Promise<{ h: DialogHarness; last: Partial<Activity>[] }> {
  const { channelId, texts } = pathTo(slot, locale);
  const h = await createHarness({ channelId });
  const turns = await h.talk(texts, locale);
  const last = turns[turns.length - 1]!;
  const awaiting = lastDiagnosis(last).awaiting;
  if (awaiting !== slot) throw new Error(`test set-up: expected to wait for "${slot}", the bot waits for "${awaiting}"`);
  return { h, last };
}
