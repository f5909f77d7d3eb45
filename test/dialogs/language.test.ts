import { describe, expect, it } from 'vitest';
import { localizer } from '../../src/language/messages.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { lastDiagnosis, msg, textsOf, useHarnesses } from '../support/dialogHarness.js';

/**
 * Their language: the bot answers in the language the person clearly writes in, else the
 * channel's locale; the diagnosis entity's `locale` says which; short answers, codes, dates
 * and quoted shop messages keep the conversation's language.
 */

const { harness } = useHarnesses();

describe('the reply follows the language the person writes in', () => {
  it('nl-NL browser, "it says missed the sale, code MXR29PLT": answered in English, and the conversation stays English', async () => {
    const h = await harness({ channelId: 'webchat' });
    const first = await h.send('it says missed the sale, code MXR29PLT', { locale: 'nl-NL', answerLocale: 'en-US' });
    expect(lastDiagnosis(first)).toMatchObject({ locale: 'en-US', symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
    expect(textsOf(first).at(-1)).toBe(msg('en-US', 'notify.offerPhotographer'));
    // "ja" is Dutch as much as German: too short to switch, the conversation keeps English.
    const yes = await h.send('ja', { locale: 'nl-NL', answerLocale: 'en-US' });
    expect(textsOf(yes)[0]).toBe(msg('en-US', 'notify.recorded'));
    const recorded = await h.outbox.pending();
    expect(recorded.map((record) => record.locale)).toEqual(['en-US']);
  });

  it('a German customer on an English browser: "ich will mein Geld zurück" answered in German, formally', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    await h.send(DEMO_CODES['job-archived']);
    const replies = await h.send('ich will mein Geld zurück', { locale: 'en-US', answerLocale: 'de-DE' });
    expect(textsOf(replies)).toEqual([`${msg('de-DE', 'side.refund')} ${msg('de-DE', 'ask.offerPerson')} ${msg('de-DE', 'notify.offerPhotographer')}`]);
    expect(textsOf(replies)[0]).toContain('Sie');
  });

  it('the person switches clearly: the reply switches; a code or "ok" keeps the language', async () => {
    const h = await harness({ channelId: 'webchat' });
    const french = await h.send("Il est écrit que j'ai manqué la vente", { locale: 'de-DE', answerLocale: 'fr-FR' });
    expect(lastDiagnosis(french)).toMatchObject({ locale: 'fr-FR', symptom: 'missed-sale', awaiting: 'access-code' });
    const code = await h.send(DEMO_CODES['job-archived'], { locale: 'de-DE', answerLocale: 'fr-FR' });
    expect(textsOf(code)[0]).toBe(msg('fr-FR', 'customer.job-archived', { date: localizer('fr-FR').longDate('2026-10-12') }));
    const english = await h.send('when will i get my photos??', { locale: 'de-DE', answerLocale: 'en-US' });
    expect(textsOf(english)[0]).toContain(msg('en-US', 'side.what-next', { next: 'photographer' }));
    const ok = await h.send('ok', { locale: 'de-DE', answerLocale: 'en-US' });
    expect(textsOf(ok)).toEqual([msg('en-US', 'notify.recorded'), msg('en-US', 'feedback.question')]);
  });

  it('a quoted shop message tells the shop\'s language, not the person\'s: the channel\'s locale stays', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('Missed the Sale? No Worries - Your Memories Are Safe!', { locale: 'de-DE' });
    expect(lastDiagnosis(replies)).toMatchObject({ locale: 'de-DE', symptom: 'missed-sale', awaiting: 'access-code' });
  });

  // At the reopen confirmation too: sideTopics.test.ts checks every reply of that conversation is in German.
  it('a date alone keeps the conversation\'s language', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send("Il est écrit que j'ai manqué la vente", { locale: 'en-US', answerLocale: 'fr-FR' });
    const replies = await h.send('20. Dezember', { locale: 'en-US', answerLocale: 'fr-FR' });
    expect(lastDiagnosis(replies)).toMatchObject({ locale: 'fr-FR', awaiting: 'access-code' });
  });
});
