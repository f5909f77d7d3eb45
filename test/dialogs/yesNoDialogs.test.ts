import { describe, expect, it } from 'vitest';
import { DEMO_CODES } from '../support/demoCodes.js';
import { buttonsOf, type DialogHarness, lastDiagnosis, LOCALES, msg, textsOf, useHarnesses } from '../support/dialogHarness.js';

const { harness } = useHarnesses();

/** A web chat customer with an archived job: the bot offers to notify the photographer. */
async function atConfirm(locale: string): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat' });
  await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
  const replies = await h.send(DEMO_CODES['job-archived'], { locale });
  expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  return h;
}

/** Past the offer (declined): the bot asks whether this helped. */
async function atFeedback(locale: string): Promise<DialogHarness> {
  const h = await atConfirm(locale);
  const replies = await h.send(msg(locale, 'notify.no'), { locale });
  expect(lastDiagnosis(replies).awaiting).toBe('feedback');
  return h;
}

describe('confirm: shall I notify the photographer?', () => {
  it.each([
    ['en-US', 'yes please', true],
    ['en-US', 'no', false],
    ['de-DE', 'ja', true],
    ['de-DE', 'nein danke', false],
    ['fr-FR', 'oui', true],
    ['fr-FR', 'non merci', false],
    ['nl-NL', 'ja graag', true],
    ['nl-NL', 'nee', false],
  ] as const)('%s: "%s"', async (locale, typed, yes) => {
    const h = await atConfirm(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, yes ? 'notify.recorded' : 'notify.declined'), msg(locale, 'feedback.question')]);
    expect(buttonsOf(replies[1])).toEqual([msg(locale, 'feedback.yes'), msg(locale, 'feedback.no')]);
    expect(lastDiagnosis(replies).awaiting).toBe('feedback');
    expect((await h.outbox.pending()).map((c) => c.kind)).toEqual(yes ? ['notify-photographer'] : []);
  });

  it.each(LOCALES)('%s: the button labels typed', async (locale) => {
    const h = await atConfirm(locale);
    await h.send(msg(locale, 'notify.yes'), { locale });
    expect((await h.outbox.pending()).map((c) => c.kind)).toEqual(['notify-photographer']);
  });

  it('a card value { choice: "yes" } without text', async () => {
    const h = await atConfirm('fr-FR');
    const replies = await h.send('', { locale: 'fr-FR', value: { choice: 'yes' } });
    expect(textsOf(replies)[0]).toBe(msg('fr-FR', 'notify.recorded'));
    expect((await h.outbox.pending()).map((c) => c.kind)).toEqual(['notify-photographer']);
  });

  it('neither yes nor no: the retry with the same buttons, nothing recorded', async () => {
    const h = await atConfirm('de-DE');
    const replies = await h.send('vielleicht später', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([msg('de-DE', 'confirm.retry')]);
    expect(buttonsOf(replies[0])).toEqual([msg('de-DE', 'notify.yes'), msg('de-DE', 'notify.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    expect(await h.outbox.pending()).toEqual([]);
  });

  it('answers that are neither are never taken for one: asked differently, then a person is offered', async () => {
    const h = await atConfirm('en-US');
    expect(textsOf(await h.send('hmm'))).toEqual([msg('en-US', 'confirm.retry')]);
    const second = await h.send('🤔');
    expect(textsOf(second)).toEqual([`${msg('en-US', 'ask.unclearAgain', { question: msg('en-US', 'notify.offerPhotographer') })} ${msg('en-US', 'ask.offerPerson')}`]);
    expect(buttonsOf(second[0])).toEqual([msg('en-US', 'notify.yes'), msg('en-US', 'notify.no'), msg('en-US', 'ask.person')]);
    const third = await h.send('purple');
    expect(lastDiagnosis(third)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    expect(await h.outbox.pending()).toEqual([]);
    const yes = await h.send('yes');
    expect(textsOf(yes)[0]).toBe(msg('en-US', 'notify.recorded'));
  });

  it('a typing indicator is no answer and gets no reply', async () => {
    const h = await atConfirm('en-US');
    const replies = await h.sendActivity({ type: 'typing', locale: 'en-US' });
    expect(replies).toEqual([]);
    const yes = await h.send('yes');
    expect(textsOf(yes)[0]).toBe(msg('en-US', 'notify.recorded'));
  });
});

describe('feedback: did this help?', () => {
  it.each([
    ['en-US', 'yes it did', true],
    ['de-DE', 'nein', false],
    ['fr-FR', 'oui merci', true],
    ['nl-NL', 'nee', false],
  ] as const)('%s: "%s"', async (locale, typed, helped) => {
    const h = await atFeedback(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, helped ? 'feedback.thanks' : 'handoff.email.question')]);
    expect(lastDiagnosis(replies).awaiting).toBe(helped ? null : 'email');
    if (!helped) await h.send(typed, { locale });
    const cases = await h.outbox.pending();
    expect(cases.map((c) => [c.kind, c.reason])).toEqual(helped ? [] : [['escalation', 'not-helped']]);
  });

  it('the escalation holds the transcript of the whole case', async () => {
    const h = await atFeedback('nl-NL');
    await h.send('nee', { locale: 'nl-NL' });
    await h.send('overslaan', { locale: 'nl-NL' });
    const [record] = await h.outbox.pending();
    const userLines = record!.transcript.filter((line) => line.from === 'user').map((line) => line.text);
    expect(userLines).toEqual([msg('nl-NL', 'symptom.choice.missed-sale'), DEMO_CODES['job-archived'], msg('nl-NL', 'notify.no'), 'nee', 'overslaan']);
    expect(record!.transcript.some((line) => line.from === 'bot' && line.text === msg('nl-NL', 'feedback.question'))).toBe(true);
  });

  it('neither yes nor no: the feedback retry', async () => {
    const h = await atFeedback('en-US');
    const replies = await h.send('maybe');
    expect(textsOf(replies)).toEqual([msg('en-US', 'feedback.retry')]);
    expect(buttonsOf(replies[0])).toEqual([msg('en-US', 'feedback.yes'), msg('en-US', 'feedback.no')]);
    expect(lastDiagnosis(replies).awaiting).toBe('feedback');
  });

  it('a finished case: the next message starts a new one without a second greeting', async () => {
    const h = await atFeedback('de-DE');
    await h.send('ja', { locale: 'de-DE' });
    const replies = await h.send('hallo', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([msg('de-DE', 'symptom.question')]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: null, scenario: null, awaiting: 'symptom' });
  });
});
