import { describe, expect, it } from 'vitest';
import { SYMPTOMS, type Symptom } from '../../src/domain/symptoms.js';
import { buttonsOf, type DialogHarness, lastDiagnosis, LOCALES, msg, symptomLabels, textsOf, useHarnesses } from '../support/dialogHarness.js';

const { harness } = useHarnesses();
/** A web chat conversation waiting for the symptom. */
async function atSymptom(locale: string): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat' });
  const replies = await h.send('hi', { locale });
  expect(lastDiagnosis(replies).awaiting).toBe('symptom');
  return h;
}

/** The reply to a readable symptom: its acknowledgement, then the access-code question. */
function expectSymptomTaken(replies: Awaited<ReturnType<DialogHarness['send']>>, locale: string, symptom: Symptom): void {
  expect(lastDiagnosis(replies)).toMatchObject({ symptom, scenario: null, awaiting: 'access-code' });
  expect(replies).toHaveLength(1);
  expect(replies[0]!.text).toBe(`${msg(locale, `symptom.ack.${symptom}`)} ${msg(locale, 'code.question')}`);
}

/** A friendly retry: the reason and the question again, with all four buttons. */
function expectRetry(replies: Awaited<ReturnType<DialogHarness['send']>>, locale: string, reason: string): void {
  expect(lastDiagnosis(replies)).toMatchObject({ symptom: null, awaiting: 'symptom' });
  expect(replies).toHaveLength(1);
  expect(replies[0]!.text).toBe(reason);
  expect(buttonsOf(replies[0])).toEqual(symptomLabels(locale));
}

describe('symptom: each button label typed, in each language', () => {
  const cases = LOCALES.flatMap((locale) => SYMPTOMS.map((symptom) => [locale, symptom] as const));
  it.each(cases)('%s: the label of "%s"', async (locale, symptom) => {
    const h = await atSymptom(locale);
    const label = msg(locale, `symptom.choice.${symptom}`);
    expectSymptomTaken(await h.send(label, { locale }), locale, symptom);
  });

  it.each([
    ['de-DE', 'deine fotos sind fast fertig', 'almost-ready'],
    ['fr-FR', "code d'acces incorrect", 'incorrect-code'],
    ['nl-NL', 'verkoop gemist', 'missed-sale'],
    ['en-US', 'something else please', 'other'],
  ] as const)('%s: a label typed without quotes or accents ("%s")', async (locale, typed, symptom) => {
    const h = await atSymptom(locale);
    expectSymptomTaken(await h.send(typed, { locale }), locale, symptom);
  });
});

describe('symptom: other ways of answering', () => {
  it.each([
    ['en-US', 'it just says my photos are almost ready??', 'almost-ready'],
    ['de-DE', 'da steht irgendwas mit Verkauf verpasst', 'missed-sale'],
    ['fr-FR', "il y a écrit code d'accès incorrect", 'incorrect-code'],
    ['nl-NL', "er staat dat mijn foto's bijna klaar zijn", 'almost-ready'],
    ['en-US', 'the page is completely blank and white', 'other'],
  ] as const)('%s: free text "%s"', async (locale, typed, symptom) => {
    const h = await atSymptom(locale);
    expectSymptomTaken(await h.send(typed, { locale }), locale, symptom);
  });

  it.each([
    ['fr-FR', "la galerie ne s'ouvre pas"],
    ['en-US', 'the shop page is completely blank'],
    ['de-DE', 'ich kann im Shop nichts finden'],
  ] as const)('%s: a description of something else that names the shop or gallery ("%s") is "other"', async (locale, typed) => {
    const h = await atSymptom(locale);
    expectSymptomTaken(await h.send(typed, { locale }), locale, 'other');
  });

  it.each([
    ['en-US', 'no photos'],
    ['de-DE', 'Galerie leer'],
    ['fr-FR', 'page blanche'],
    ['nl-NL', "geen foto's"],
  ] as const)('%s: a short description of a screen that is none of the three ("%s") is "other", not a retry', async (locale, typed) => {
    const h = await atSymptom(locale);
    expectSymptomTaken(await h.send(typed, { locale }), locale, 'other');
  });

  it.each([
    ['1', 'almost-ready'],
    ['2', 'incorrect-code'],
    ['3', 'missed-sale'],
    ['4', 'other'],
  ] as const)('the number of a button: "%s"', async (typed, symptom) => {
    const h = await atSymptom('en-US');
    expectSymptomTaken(await h.send(typed), 'en-US', symptom);
  });

  it('a card value { choice: "missed-sale" } with no text', async () => {
    const h = await atSymptom('de-DE');
    expectSymptomTaken(await h.send('', { locale: 'de-DE', value: { choice: 'missed-sale' } }), 'de-DE', 'missed-sale');
  });
});

describe('symptom: unreadable answers', () => {
  it.each([
    ['en-US', 'asdf', 'symptom.retry'],
    ['de-DE', '🙈🙈🙈', 'symptom.retry'],
    ['fr-FR', '??', 'symptom.retry'],
    ['nl-NL', 'hoi', 'symptom.retry'],
  ] as const)('%s: "%s" gets a friendly retry with the buttons again', async (locale, typed, key) => {
    const h = await atSymptom(locale);
    expectRetry(await h.send(typed, { locale }), locale, msg(locale, key));
  });

  it('an empty message: "couldn\'t read that" and the question again', async () => {
    const h = await atSymptom('en-US');
    expectRetry(await h.send(''), 'en-US', `${msg('en-US', 'input.unreadable')} ${msg('en-US', 'symptom.question')}`);
  });

  it('a picture without text: "I can only read text" and the question again', async () => {
    const h = await atSymptom('fr-FR');
    const replies = await h.send('', { locale: 'fr-FR', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/screen.png' }] });
    expectRetry(replies, 'fr-FR', `${msg('fr-FR', 'input.empty')} ${msg('fr-FR', 'symptom.question')}`);
  });

  it('a card value that is no symptom, without text, gets the retry', async () => {
    const h = await atSymptom('en-US');
    expectRetry(await h.send('', { value: { choice: 'bogus' } }), 'en-US', msg('en-US', 'symptom.retry'));
  });

  it.each(LOCALES)('%s: unreadable answers (even an empty one) are never taken for "something else": asked differently, then a person is offered', async (locale) => {
    const h = await atSymptom(locale);
    expectRetry(await h.send('qwertz', { locale }), locale, msg(locale, 'symptom.retry'));
    const second = await h.send('🙂', { locale });
    expect(textsOf(second)).toEqual([`${msg(locale, 'ask.unclearAgain', { question: msg(locale, 'symptom.question') })} ${msg(locale, 'ask.offerPerson')}`]);
    expect(buttonsOf(second[0])).toEqual([...symptomLabels(locale), msg(locale, 'ask.person')]);
    const empty = await h.send('', { locale });
    expect(lastDiagnosis(empty)).toMatchObject({ symptom: null, awaiting: 'symptom' });
    expect(buttonsOf(empty[0])).toContain(msg(locale, 'ask.person'));
    const named = await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    expect(lastDiagnosis(named)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
  });
});
