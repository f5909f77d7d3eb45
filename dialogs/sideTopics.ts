import type { ReplyChoice } from '../src/channels/replyModel.js';
import { SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Symptom } from '../src/domain/symptoms.js';
import { type Intent, PERSON_TOPICS, type Topic } from '../src/language/intents.js';
import type { Turn } from '../src/bot/turn.js';

/** The choice id of "Talk to a person", offered with a question after a side answer or unclear answers. */
export const PERSON_CHOICE = 'agent';

export function personChoice(turn: Turn): ReplyChoice {
  return { id: PERSON_CHOICE, label: turn.l.t('ask.person') };
}

/** Turns whose next question offers a person too (a side answer came before any question was open). */
const PERSON_OFFERED = new WeakSet<Turn>();

export function offerPersonThisTurn(turn: Turn): void {
  PERSON_OFFERED.add(turn);
}

export function personOfferedThisTurn(turn: Turn): boolean {
  return PERSON_OFFERED.has(turn);
}

/** What the bot says to a message that is no answer: its text, and whether a person should be offered. */
export interface SideAnswer {
  text: string;
  offerPerson: boolean;
}

const CHANNEL_NAMES = { msteams: 'Microsoft Teams', slack: 'Slack' } as const;

/**
 * Who acts next on this customer's case, as far as the diagnosis says: a code of a deleted
 * job needs a new code, photos hidden in an open gallery need the photographer to show them,
 * and a gallery without photos needs them added, not an opened gallery.
 */
function nextFor(turn: Turn): 'photographer' | 'photos' | 'addPhotos' | 'newCode' | 'support' | 'other' {
  const scenario = turn.case.scenario;
  if (scenario === null) return 'other';
  if (scenario === 'code-from-deleted-job') return 'newCode';
  if (scenario === 'code-without-photos') return 'addPhotos';
  if (scenario === 'photos-hidden') return 'photos';
  const fixedBy = SCENARIO_INFO[scenario].fixedBy;
  return fixedBy === 'customer' ? 'other' : fixedBy;
}

function linkAccount(turn: Turn): SideAnswer {
  const { identity, l } = turn;
  if (identity.role === 'photographer' && identity.photographer === null) {
    return { text: l.t('guided.linkAccount', { channel: CHANNEL_NAMES[identity.channel] }), offerPerson: false };
  }
  if (identity.role === 'photographer') {
    return { text: l.t('side.linkedAccount.photographer', { channel: CHANNEL_NAMES[turn.channelId === 'slack' ? 'slack' : 'msteams'] }), offerPerson: false };
  }
  return { text: l.t('side.question'), offerPerson: true };
}

/** "I've already passed on that you're waiting", and what comes then: a new code for a code of a deleted job, else the code as it is. */
export function askedBeforeText(turn: Turn): string {
  return turn.l.t('customer.notify.askedBefore', { code: turn.case.scenario === 'code-from-deleted-job' ? 'new' : 'same' });
}

/** The short answer to one of the common questions, or to something this bot cannot handle. */
export function topicAnswer(turn: Turn, topic: Topic): SideAnswer {
  const { l } = turn;
  switch (topic) {
    case 'link-account':
      return linkAccount(turn);
    case 'what-next':
      return { text: l.t('side.what-next', { next: nextFor(turn) }), offerPerson: false };
    case 'campaign':
      // A customer asking about e-mails wants to know when the gallery opens; the campaign is the photographer's.
      return turn.identity.role === 'photographer' ? { text: l.t('side.campaign'), offerPerson: false } : topicAnswer(turn, 'what-next');
    case 'where-code':
      // A customer without the card has no code to give: people can find the gallery by the school and the child.
      return { text: l.t('side.where-code'), offerPerson: turn.identity.role === 'customer' };
    default:
      return { text: l.t(`side.${topic}`), offerPerson: PERSON_TOPICS.includes(topic) };
  }
}

/**
 * A question about the shop's message ("why does it still say Missed the Sale?") is about
 * this very case: before a diagnosis a customer hears what the message means, after it
 * what happens next.
 */
export function shopMessageAnswer(turn: Turn, symptom: Symptom): SideAnswer {
  if (turn.identity.role === 'customer' && turn.case.scenario === null) {
    return { text: turn.l.t(`symptom.ack.${symptom}`), offerPerson: false };
  }
  return topicAnswer(turn, 'what-next');
}

/**
 * The answer to a real question or a topic, whether a question is open or not; thanks and
 * goodbyes are answered by each caller in its own way (acknowledged, or the case ends).
 */
export function sideAnswer(turn: Turn, intent: Exclude<Intent, 'thanks' | 'goodbye'>): SideAnswer {
  if (intent === 'question') {
    // In the middle of a case, "I only know about galleries that won't open" would contradict it.
    const inCase = turn.case.symptom !== null || turn.case.accessCode !== null || turn.case.jobId !== null;
    return { text: turn.l.t(inCase ? 'side.questionInCase' : 'side.question'), offerPerson: true };
  }
  return topicAnswer(turn, intent);
}
