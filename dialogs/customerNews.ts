import type { Turn } from '../src/bot/turn.js';
import { hiddenPhotos } from '../src/domain/facts.js';
import { SCENARIO_INFO } from '../src/domain/scenarios.js';
import type { Intent } from '../src/language/intents.js';
import { newsOfCode, opensNow, waitsForPhotos } from '../src/proactive/galleryNews.js';
import type { DialogDependencies } from './dependencies.js';
import { askedBeforeText, type SideAnswer, topicAnswer } from './sideTopics.js';

type NewsDependencies = Pick<DialogDependencies, 'platform' | 'notices' | 'recognizer'>;

/**
 * What a customer's question beside a yes/no is answered with when their code says more than
 * the usual answer: "any news?" looks at the code again (a gallery opened meanwhile is good
 * news; still closed, one who asked for the photographer hears that it was passed on), so does
 * "is it open now?", and "until when can I order?" gets the date the job's shop closes. Null:
 * the usual answer.
 */
export function customerNews(deps: NewsDependencies): (turn: Turn, intent: Exclude<Intent, 'goodbye' | 'thanks'>) => Promise<SideAnswer | null> {
  return async (turn, intent) => {
    if (turn.identity.role !== 'customer' || turn.case.accessCode === null || turn.case.scenario === null) return null;
    if (intent === 'shop-open') return orderDeadline(turn, deps);
    // "Any news?", and "is it open now?": the news if there is any, else how it goes on, not "I can't answer that".
    if (intent === 'what-next' || (intent === 'question' && deps.recognizer.speaksOfSolved(turn.input.text))) {
      return (await galleryNews(turn, deps)) ?? whatNext(turn, deps);
    }
    // "Warum?" at "shall I let the photographer know?": who has to act, and what happens then.
    if (intent === 'question' && deps.recognizer.whyAlone(turn.input.text)) return whatNext(turn, deps);
    return null;
  };
}

async function galleryNews(turn: Turn, { platform, notices }: NewsDependencies): Promise<SideAnswer | null> {
  const { accessCode, scenario, symptom, jobId } = turn.case;
  if (accessCode === null || scenario === null) return null;
  const photos = waitsForPhotos(scenario);
  if (SCENARIO_INFO[scenario].fixedBy !== 'photographer' && !photos) return null;
  const asked = jobId !== null && (await notices.askedBefore(jobId, turn.conversationId).catch(() => false));
  // Nothing blocked the gallery: only one who asked for hidden photos waits; to anyone else an open gallery is no news.
  if (photos && !asked) return null;
  const news = await newsOfCode(platform, turn.l, accessCode, symptom, scenario);
  if (news !== null) return { text: news, offerPerson: false };
  return asked ? { text: askedBeforeText(turn), offerPerson: false } : null;
}

/**
 * What happens next for this customer, as the case's scenario says; where nothing blocked the
 * gallery but some of its photos are hidden, that the photographer has to show them (the
 * scenario alone would say support looks into it, while the photographer was offered).
 */
async function whatNext(turn: Turn, { platform }: NewsDependencies): Promise<SideAnswer> {
  const { accessCode, scenario } = turn.case;
  if (waitsForPhotos(scenario) && accessCode !== null) {
    const lookup = await platform.lookupCode(accessCode).catch(() => null);
    if (lookup?.kind === 'found' && hiddenPhotos(lookup.gallery).hidden > 0) return { text: turn.l.t('side.what-next', { next: 'photos' }), offerPerson: false };
  }
  return topicAnswer(turn, 'what-next');
}

/** The day the shop of the customer's job closes, while it sells; null when it does not, or the platform cannot say. */
async function orderDeadline(turn: Turn, { platform }: NewsDependencies): Promise<SideAnswer | null> {
  const lookup = await platform.lookupCode(turn.case.accessCode ?? '').catch(() => null);
  if (lookup?.kind !== 'found') return null;
  const { status, archiving } = lookup.job;
  if (status !== 'selling' || !archiving.enabled || archiving.date === null) return null;
  const open = opensNow(lookup, turn.case.symptom, waitsForPhotos(turn.case.scenario)) ? 'yes' : 'no';
  return { text: turn.l.t('customer.orderUntil', { open, date: turn.l.longDate(archiving.date) }), offerPerson: false };
}
