import { readFile } from 'node:fs/promises';
import { type Activity, ActivityTypes } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { localizer, type MessageKey, type MessageValues } from '../../src/language/messages.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { allText, buttonsOf, type DialogHarness, lastDiagnosis, msg, symptomLabels, textsOf, useHarnesses } from '../support/dialogHarness.js';

/**
 * Answer the person, then the question: at every question the bot understands, besides the
 * answers it waits for, a real question, a request for a person, thanks and goodbye, a
 * corrected date, and the common questions around a gallery that won't open (where the code
 * is, how long the shop stays open, what happens next), and says kindly what it cannot do
 * (orders, deliveries, refunds) with a person offered. It never guesses an answer.
 */

const { harness } = useHarnesses();

const toPhotographer = (locale: string, key: MessageKey, values?: MessageValues) => msg(locale, key, { audience: 'photographer', ...values });

/** A web chat customer with an archived job: the bot offers to notify the photographer. */
async function atNotifyOffer(locale: string): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat' });
  await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
  const replies = await h.send(DEMO_CODES['job-archived'], { locale });
  expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  return h;
}

/** A web chat customer whose data shows an open gallery: asked to reload, then whether that helped. */
async function atFeedbackAfterReload(locale: string): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat' });
  const told = await h.send(`${msg(locale, 'symptom.choice.missed-sale')} ${DEMO_CODES['no-known-cause']}`, { locale });
  expect(lastDiagnosis(told)).toMatchObject({ scenario: 'no-known-cause', awaiting: 'feedback' });
  return h;
}

describe('a real question at a yes/no question: answered, then the question again', () => {
  it('"when will i get my photos??" at "shall I let the photographer know?": what happens next for this code', async () => {
    const h = await atNotifyOffer('en-US');
    const replies = await h.send('when will i get my photos??');
    expect(textsOf(replies)).toEqual([`${msg('en-US', 'side.what-next', { next: 'photographer' })} ${msg('en-US', 'notify.offerPhotographer')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg('en-US', 'notify.yes'), msg('en-US', 'notify.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    // Understood, so it counts as no unclear answer: the next one gets the plain retry.
    expect(textsOf(await h.send('hmm'))).toEqual([msg('en-US', 'confirm.retry')]);
    const yes = await h.send('yes please');
    expect(textsOf(yes)[0]).toBe(msg('en-US', 'notify.recorded'));
  });

  it.each([
    ['en-US', 'yes pls. how long will that take??'],
    ['de-DE', 'ja bitte. wie lange dauert das denn?'],
    ['fr-FR', 'oui svp, et maintenant que dois-je faire ?'],
    ['nl-NL', 'ja graag, wat gebeurt er nu?'],
  ])('%s: "%s": the yes is taken and the question answered on the way, not the offer again', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'side.what-next', { next: 'photographer' }), msg(locale, 'notify.recorded'), msg(locale, 'feedback.question')]);
    expect((await h.outbox.pending()).map((record) => record.kind)).toEqual(['notify-photographer']);
  });

  it.each([
    // What the bot can say about personal data.
    ['en-US', 'hold on, is my data safe with you?', 'side.privacy'],
    ['de-DE', 'Sind meine Daten eigentlich sicher?', 'side.privacy'],
    ['fr-FR', 'et mes données personnelles, elles sont protégées ?', 'side.privacy'],
    ['nl-NL', 'wie kan mijn foto\'s eigenlijk zien?', 'side.privacy'],
    // Yes, an automated assistant.
    ['en-US', 'wait, are you a bot?', 'side.bot'],
    ['de-DE', 'sind Sie ein Bot oder ein Mensch', 'side.bot'],
    ['fr-FR', 'vous êtes un robot ?', 'side.bot'],
    ['nl-NL', 'ben je een bot?', 'side.bot'],
  ] as const)('%s: "%s" at the offer: %s, a person offered, the offer again (no yes taken)', async (locale, text, key) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, key)} ${msg(locale, 'ask.offerPerson')} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(await h.outbox.pending()).toEqual([]);
  });

  it.each([
    ['de-DE', 'bis wann kann ich überhaupt bestellen?'],
    ['en-US', 'how long is the shop open?'],
  ])('%s: "%s" at the offer for a job that sells (its photos hidden): the day its shop closes, and the offer again', async (locale, text) => {
    const h = await harness({ channelId: 'webchat' });
    const diagnosed = await h.send(`${msg(locale, 'symptom.choice.almost-ready')} ${DEMO_CODES['photos-hidden']}`, { locale });
    expect(lastDiagnosis(diagnosed)).toMatchObject({ scenario: 'photos-hidden', awaiting: 'confirm' });
    const replies = await h.send(text, { locale });
    const until = msg(locale, 'customer.orderUntil', { open: 'no', date: localizer(locale).longDate('2026-12-20') });
    expect(textsOf(replies)).toEqual([`${until} ${msg(locale, 'notify.offerPhotographer')}`]);
  });

  it('"how long is the shop open?" for an archived job: how it goes, no date that has passed', async () => {
    const h = await atNotifyOffer('en-US');
    const replies = await h.send('how long is the shop open?', { locale: 'en-US' });
    expect(textsOf(replies)).toEqual([`${msg('en-US', 'side.shop-open')} ${msg('en-US', 'notify.offerPhotographer')}`]);
  });

  it.each([
    ['en-US', 'why?'],
    ['de-DE', 'warum?'],
    ['fr-FR', 'pourquoi ?'],
    ['nl-NL', 'waarom'],
  ])('%s: "%s" alone at the offer: who has to act and what happens then, and the offer again', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'photographer' })} ${msg(locale, 'notify.offerPhotographer')}`]);
  });

  it.each([
    ['en-US', 'no thanks, can I call the photographer myself?'],
    ['de-DE', 'nein danke. Kann ich das Fotostudio selbst anrufen?'],
    ['fr-FR', "non merci, est-ce que je peux appeler le photographe moi-même ?"],
    ['nl-NL', 'nee, kan ik de fotograaf zelf bellen?'],
  ])('%s: "%s": the no is taken, and the question beside it is not passed over in silence (a person is offered)', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'side.phone'), msg(locale, 'notify.declined'), msg(locale, 'feedback.question')]);
    expect(buttonsOf(replies[2])).toContain(msg(locale, 'ask.person'));
    expect(await h.outbox.pending()).toEqual([]);
  });

  it('a question the bot cannot answer beside the no: the no is taken, and the question is said to be one it cannot answer here', async () => {
    const h = await atNotifyOffer('en-US');
    const replies = await h.send('no thanks, is it safe to pay by card?', { locale: 'en-US' });
    expect(textsOf(replies)).toEqual([msg('en-US', 'side.questionInCase'), msg('en-US', 'notify.declined'), msg('en-US', 'feedback.question')]);
    expect(buttonsOf(replies[2])).toContain(msg('en-US', 'ask.person'));
  });

  it.each([
    ['en-US', 'yes please?'],
    ['de-DE', 'ok klar, warum nicht?'],
    ['nl-NL', 'ja hoor, waarom niet?'],
  ])('%s: "%s" is an answer only: no "I can\'t answer that"', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'notify.recorded'), msg(locale, 'feedback.question')]);
  });

  it.each([
    ['en-US', 'what happens now?'],
    ['de-DE', 'Wie geht es jetzt weiter?'],
    ['fr-FR', 'Et maintenant, que dois-je faire ?'],
    ['nl-NL', 'Wat gebeurt er nu?'],
  ])('%s: "%s" for a code of a deleted job: the photographer gives a new code (no gallery to open)', async (locale, text) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(`${msg(locale, 'symptom.choice.incorrect-code')} ${DEMO_CODES['code-from-deleted-job']}`, { locale });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'newCode' })} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(msg(locale, 'side.what-next', { next: 'newCode' })).not.toBe(msg(locale, 'side.what-next', { next: 'photographer' }));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'code-from-deleted-job', awaiting: 'confirm' });
  });

  it.each([
    ['de-DE', 'Wie lange dauert das denn noch?', 'code-without-photos', 'addPhotos'],
    ['en-US', 'how long will that take?', 'photos-hidden', 'photos'],
    ['fr-FR', 'Et maintenant, que dois-je faire ?', 'code-without-photos', 'addPhotos'],
    ['nl-NL', 'Wat gebeurt er nu?', 'photos-hidden', 'photos'],
    ['en-US', 'any updates?', 'code-without-photos', 'addPhotos'],
    ['nl-NL', 'hoe lang duurt het nog?', 'code-without-photos', 'addPhotos'],
  ] as const)('%s: "%s" when the gallery is open but the photos are not shown (%s): the photographer adds or shows them, no gallery to open', async (locale, text, scenario, next) => {
    const h = await harness({ channelId: 'webchat' });
    const opened = await h.send(`${msg(locale, 'symptom.choice.almost-ready')} ${DEMO_CODES[scenario]}`, { locale });
    expect(lastDiagnosis(opened)).toMatchObject({ scenario, awaiting: 'confirm' });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next })} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(msg(locale, 'side.what-next', { next })).not.toBe(msg(locale, 'side.what-next', { next: 'photographer' }));
    expect(msg(locale, 'side.what-next', { next: 'addPhotos' })).not.toBe(msg(locale, 'side.what-next', { next: 'photos' }));
  });

  it.each([
    ['de-DE', 'Kann ich trotzdem noch bestellen oder sind die Fotos weg?'],
    ['en-US', 'can I still order or are the photos gone?'],
    ['fr-FR', 'est-ce que je peux encore commander ?'],
    ['nl-NL', 'kan ik nog bestellen?'],
  ])('%s: "%s" at the offer: what happens next, never "I can\'t answer that"', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'photographer' })} ${msg(locale, 'notify.offerPhotographer')}`]);
  });

  it.each([
    ['de-DE', 'ich will mein Geld zurück'],
    ['fr-FR', 'je veux être remboursé'],
    ['nl-NL', 'ik wil mijn geld terug'],
    ['en-US', 'I want a refund'],
  ])('%s: "%s": said kindly that refunds are not for this bot, a person offered, the question again', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.refund')} ${msg(locale, 'ask.offerPerson')} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg(locale, 'notify.yes'), msg(locale, 'notify.no'), msg(locale, 'ask.person')]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'confirm', locale });
    expect(await h.outbox.pending()).toEqual([]);
    // The button takes the case to a person: first the e-mail address.
    const person = await h.send('', { locale, value: { choice: 'agent', question: 999 } });
    expect(lastDiagnosis(person).awaiting).toBe('email');
  });

  it('"Talk to a person" typed works as well as clicked', async () => {
    const h = await atNotifyOffer('en-US');
    await h.send('I want a refund');
    const person = await h.send(msg('en-US', 'ask.person'));
    expect(lastDiagnosis(person).awaiting).toBe('email');
  });

  it('an order, a delivery and a question the bot cannot answer: each said kindly, a person offered', async () => {
    const h = await atNotifyOffer('en-US');
    const delivery = await h.send('I ordered prints 3 weeks ago and they never arrived');
    expect(textsOf(delivery)).toEqual([`${msg('en-US', 'side.delivery')} ${msg('en-US', 'ask.offerPerson')} ${msg('en-US', 'notify.offerPhotographer')}`]);
    const order = await h.send('what is my order number?');
    expect(textsOf(order)[0]).toContain(msg('en-US', 'side.order'));
    const question = await h.send('is it safe to pay by card?');
    // Within a case, without "I only know about galleries that won't open", which would contradict it.
    expect(textsOf(question)[0]).toContain(msg('en-US', 'side.questionInCase'));
    expect(textsOf(question)[0]).not.toContain(msg('en-US', 'side.question'));
    expect(lastDiagnosis(question).awaiting).toBe('confirm');
  });

  it('where the code is and how long the shop stays open, at the access-code question', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('en-US', 'symptom.choice.missed-sale'));
    const where = await h.send('where do i find the code');
    // Without the card there is no code to give: a person can find the gallery, so one is offered.
    expect(textsOf(where)).toEqual([`${msg('en-US', 'side.where-code')} ${msg('en-US', 'ask.offerPerson')} ${msg('en-US', 'code.question')}`]);
    expect(buttonsOf(where[0])).toEqual([msg('en-US', 'ask.person')]);
    expect(lastDiagnosis(where).awaiting).toBe('access-code');
    const open = await h.send('how long does the shop stay open?');
    expect(textsOf(open)).toEqual([`${msg('en-US', 'side.shop-open')} ${msg('en-US', 'code.question')}`]);
    const code = await h.send(DEMO_CODES['job-archived']);
    expect(lastDiagnosis(code)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it.each([
    ['de-DE', 'Ich habe die Karte verloren'],
    ['fr-FR', 'la carte est perdue'],
    ['nl-NL', 'ik ben de kaart kwijt'],
    ['en-US', 'i lost the card'],
  ])('%s: "%s" at the access-code question is no code: where the code is, and a person offered', async (locale, text) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg(locale, 'symptom.choice.incorrect-code'), { locale });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.where-code')} ${msg(locale, 'ask.offerPerson')} ${msg(locale, 'code.question')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg(locale, 'ask.person')]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'access-code', scenario: null });
  });

  it.each([
    ['en-US', 'JMV8 RT4X'],
    ['de-DE', 'jmv8rt4x'],
  ])('%s: a code alone ("%s") at "what do you see?" answers it: the data says what they probably see', async (locale, code) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send('hi', { locale });
    const replies = await h.send(code, { locale });
    expect(allText(replies)).toContain(msg(locale, 'customer.probablySees', { message: msg(locale, 'symptom.choice.almost-ready') }));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'code-not-activated', awaiting: 'symptom' });
    const yes = await h.send(msg(locale, 'customer.seen.yes'), { locale });
    expect(lastDiagnosis(yes)).toMatchObject({ symptom: 'almost-ready', scenario: 'code-not-activated', awaiting: 'confirm' });
  });

  it('a shop message named with a question around it is the answer to "what do you see?"', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send('hi');
    const replies = await h.send("it says missed the sale, can I still order?");
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
  });

  it.each([
    ['en-US', 'why does it still say'],
    ['de-DE', 'warum steht da immer noch'],
    ['fr-FR', 'pourquoi ça affiche encore'],
    ['nl-NL', 'waarom staat er nog steeds'],
  ])('%s: "%s <the shop message>?" at an offer is about this case: what happens next, never "I can\'t answer that"', async (locale, words) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(`${words} ${msg(locale, 'symptom.choice.missed-sale')}?`, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'photographer' })} ${msg(locale, 'notify.offerPhotographer')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg(locale, 'notify.yes'), msg(locale, 'notify.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it.each([
    ['en-US', 'why does it say', 'almost-ready'],
    ['de-DE', 'warum steht da', 'missed-sale'],
    ['fr-FR', 'pourquoi ça affiche', 'almost-ready'],
    ['nl-NL', 'waarom staat er', 'missed-sale'],
  ] as const)('%s: "%s <the shop message>?" before the code: what that message means, then the code question', async (locale, words, symptom) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg(locale, `symptom.choice.${symptom}`), { locale });
    const replies = await h.send(`${words} ${msg(locale, `symptom.choice.${symptom}`)}?`, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, `symptom.ack.${symptom}`)} ${msg(locale, 'code.question')}`]);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom, awaiting: 'access-code' });
  });

  it('thanks at a question: acknowledged, the question again; goodbye ends the case', async () => {
    const h = await atNotifyOffer('de-DE');
    const thanks = await h.send('danke', { locale: 'de-DE' });
    expect(textsOf(thanks)).toEqual([`${msg('de-DE', 'side.thanks')} ${msg('de-DE', 'notify.offerPhotographer')}`]);
    const bye = await h.send('tschüss', { locale: 'de-DE' });
    expect(textsOf(bye)).toEqual([msg('de-DE', 'side.goodbye')]);
    expect(lastDiagnosis(bye).awaiting).toBeNull();
    expect(await h.outbox.pending()).toEqual([]);
    const again = await h.send('Ihre Fotos sind fast fertig', { locale: 'de-DE' });
    expect(lastDiagnosis(again)).toMatchObject({ symptom: 'almost-ready', scenario: null, awaiting: 'access-code' });
  });

  it.each([
    ['en-US', "forget it, I'll try tomorrow. bye", 'side.goodbye'],
    ['nl-NL', 'laat maar, ik probeer het morgen wel. doei', 'side.goodbye'],
    ['de-DE', 'ach vergessen Sie es, hat sich erledigt', 'customer.solved'],
    ['fr-FR', "c'est bon, ça marche maintenant", 'customer.solved'],
    // Taking it back is no "no" to the question: the conversation ends there.
    ['en-US', 'nevermind forget it', 'case.withdrawn'],
    ['fr-FR', "laisse tomber, je vais appeler l'école", 'case.withdrawn'],
    ['de-DE', 'abbrechen', 'case.withdrawn'],
    ['nl-NL', 'nee laat maar', 'case.withdrawn'],
    ['fr-FR', 'stop', 'case.withdrawn'],
  ])('%s: "%s" at a question ends the case kindly, asking nothing more', async (locale, text, key) => {
    const h = await atNotifyOffer(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, key as MessageKey)]);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
    expect(await h.outbox.pending()).toEqual([]);
  });

  it.each([
    ['en-US', 'it still says'],
    ['en-US', 'why does it still say'],
    ['de-DE', 'da steht immer noch'],
    ['fr-FR', 'ça affiche toujours'],
    ['nl-NL', 'er staat nog steeds'],
  ])('%s: "%s <the shop message>" at "did this help?" after a reload did not help: a no, and the case goes to a person', async (locale, words) => {
    const h = await atFeedbackAfterReload(locale);
    const replies = await h.send(`${words} ${msg(locale, 'symptom.choice.missed-sale')}`, { locale });
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'email' });
    expect(allText(replies)).not.toContain(msg(locale, 'side.question'));
  });

  it.each([
    ['en-US', 'it still says'],
    ['de-DE', 'da steht immer noch'],
    ['fr-FR', 'ça affiche toujours'],
    ['nl-NL', 'er staat nog steeds'],
  ])('%s: "%s <the shop message>" at "did this help?" while the photographer has yet to open the gallery: how it stays until then, no escalation', async (locale, words) => {
    const h = await atNotifyOffer(locale);
    await h.send(msg(locale, 'notify.yes'), { locale });
    const replies = await h.send(`${words} ${msg(locale, 'symptom.choice.missed-sale')}`, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'photographer' })} ${msg(locale, 'feedback.question')}`]);
    expect(buttonsOf(replies[0])).toEqual([msg(locale, 'feedback.yes'), msg(locale, 'feedback.no')]);
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    // A plain "no" is still a no.
    const no = await h.send(msg(locale, 'feedback.no'), { locale });
    expect(lastDiagnosis(no).awaiting).toBe('email');
  });

  it.each([
    ['de-DE', 'hab neu geladen, gleiche meldung'],
    ['fr-FR', "j'ai rechargé, même message"],
    ['fr-FR', 'bof non'],
    ['nl-NL', 'nog steeds dezelfde melding'],
    ['nl-NL', 'neuh'],
    ['nl-NL', 'ik heb al 5x herladen, werkt niet'],
    ['en-US', 'reloaded twice, still the same'],
  ])('%s: "%s" at "did this help?" after a reload is a no: the case goes to a person', async (locale, text) => {
    const h = await atFeedbackAfterReload(locale);
    expect(lastDiagnosis(await h.send(text, { locale }))).toMatchObject({ awaiting: 'email' });
  });

  it.each([
    ['fr-FR', "Pouvez-vous repousser la date d'archivage au 15 janvier ?"],
    ['de-DE', 'Warum ist das eigentlich archiviert?'],
  ])('%s: "%s" at "did this help?" is a question, not a no: answered, and the question again', async (locale, text) => {
    const h = await atFeedbackAfterReload(locale);
    const replies = await h.send(text, { locale });
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'feedback' });
    expect(await h.outbox.pending()).toEqual([]);
  });

  it('"thanks!" at "did this help?" says yes', async () => {
    const h = await atNotifyOffer('en-US');
    await h.send(msg('en-US', 'notify.no'));
    const replies = await h.send('thanks!');
    expect(textsOf(replies)).toEqual([msg('en-US', 'feedback.thanks')]);
    expect(await h.outbox.pending()).toEqual([]);
  });
});

describe('never a guess after unclear answers', () => {
  it('"ja" at the access-code question again and again: the reason each time, and a person offered from the second on', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('de-DE', 'symptom.choice.missed-sale'), { locale: 'de-DE' });
    const first = await h.send('ja', { locale: 'de-DE' });
    expect(textsOf(first)).toEqual([msg('de-DE', 'code.retryNoCode')]);
    expect(buttonsOf(first[0])).toEqual([]);
    const second = await h.send('ja', { locale: 'de-DE' });
    expect(textsOf(second)).toEqual([`${msg('de-DE', 'code.retryNoCode')} ${msg('de-DE', 'ask.offerPerson')}`]);
    expect(buttonsOf(second[0])).toEqual([msg('de-DE', 'ask.person')]);
    expect(lastDiagnosis(second)).toMatchObject({ awaiting: 'access-code', scenario: null });
  });


  it('an unlinked photographer typing "done" three times at "did this help?": asked differently, then a person offered; nothing escalated', async () => {
    const h = await harness({ channelId: 'msteams' });
    await h.send('hi');
    for (const choice of ['almost-ready', 'selling', 'no', 'yes']) await h.send('', { value: { choice } });
    const plan = await h.send('', { value: { choice: 'no' } });
    expect(lastDiagnosis(plan).awaiting).toBe('feedback');
    const first = await h.send('done');
    expect(textsOf(first)).toEqual([toPhotographer('en-US', 'feedback.retry')]);
    const second = await h.send('done');
    expect(textsOf(second)).toEqual([`${toPhotographer('en-US', 'ask.unclearAgain', { question: toPhotographer('en-US', 'feedback.question') })} ${toPhotographer('en-US', 'ask.offerPerson')}`]);
    const third = await h.send('done');
    expect(lastDiagnosis(third)).toMatchObject({ awaiting: 'feedback' });
    expect(buttonsOf(third[0])).toContain(toPhotographer('en-US', 'ask.person'));
    expect(await h.outbox.pending()).toEqual([]);
  });

  it('"how do I link my account?" at the job-status question: how to link it, then the question again', async () => {
    const h = await harness({ channelId: 'msteams' });
    await h.send('hi');
    const status = await h.send('', { value: { choice: 'almost-ready' } });
    expect(lastDiagnosis(status).awaiting).toBe('job-status');
    const replies = await h.send('how do I link my account?');
    expect(textsOf(replies)).toEqual([`${toPhotographer('en-US', 'guided.linkAccount', { channel: 'Microsoft Teams' })} ${toPhotographer('en-US', 'guided.job-status')}`]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'job-status', scenario: null });
  });
});

describe('before the first question and after the end', () => {
  /** A customer whose case ended with "yes, it helped". */
  async function afterTheEnd(locale: string): Promise<DialogHarness> {
    const h = await atNotifyOffer(locale);
    await h.send(msg(locale, 'notify.no'), { locale });
    const end = await h.send(msg(locale, 'feedback.yes'), { locale });
    expect(textsOf(end)).toEqual([msg(locale, 'feedback.thanks')]);
    expect(lastDiagnosis(end).awaiting).toBeNull();
    return h;
  }

  it.each([
    ['en-US', 'any news?'],
    ['de-DE', 'Hallo, ich bin es wieder. Gibt es was Neues?'],
    ['fr-FR', 'Bonjour, des nouvelles ?'],
    ['nl-NL', 'is er al nieuws?'],
  ])('%s: "%s" after the case ended: the same code looked at again, as the gallery is now', async (locale, text) => {
    const h = await afterTheEnd(locale);
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)[0]).toBe(msg(locale, 'code.again', { code: 'MXR2 9PLT' }));
    expect(allText(replies)).not.toContain(msg(locale, 'side.question'));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it.each([
    ['en-US', 'any news?'],
    ['de-DE', 'Gibt es was Neues?'],
    ['fr-FR', 'des nouvelles ?'],
    ['nl-NL', 'hallo, al nieuws? het is nu 2 dagen later'],
  ])('%s: "%s" from a parent who asked for the photographer: still closed, they know, and no second request', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    await h.send(msg(locale, 'notify.yes'), { locale });
    await h.send(msg(locale, 'feedback.yes'), { locale });
    const requests = (await h.outbox.pending()).length;
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)[0]).toBe(msg(locale, 'code.again', { code: 'MXR2 9PLT' }));
    expect(textsOf(replies)).toContain(msg(locale, 'customer.notify.askedBefore', { code: 'same' }));
    expect(textsOf(replies)).not.toContain(msg(locale, 'notify.offerPhotographer'));
    expect(lastDiagnosis(replies)).toMatchObject({ scenario: 'job-archived', awaiting: 'feedback' });
    expect((await h.outbox.pending()).length).toBe(requests);
  });

  it.each([
    ['en-US', 'any news?'],
    ['de-DE', 'und, gibt es schon was Neues?'],
    ['fr-FR', 'des nouvelles ?'],
    ['nl-NL', 'al nieuws?'],
    ['en-US', 'hello?? anything new?'],
    ['en-US', 'any updates?'],
    ['fr-FR', 'toujours rien ?'],
    ['nl-NL', 'al iets nieuws?'],
    ['de-DE', 'immer noch nichts?'],
    ['en-US', 'still waiting...'],
    ['fr-FR', 'alors ça avance ?'],
    // Asked whether it works now: news asked for, not news given.
    ['en-US', 'is it open now'],
    ['fr-FR', 'est-ce que la galerie est ouverte maintenant ?'],
    ['de-DE', 'geht es jetzt?'],
  ])('%s: "%s" at "did this help?": that it was passed on while the gallery is closed; the good news once the photographer reopened the job', async (locale, text) => {
    const h = await atNotifyOffer(locale);
    await h.send(msg(locale, 'notify.yes'), { locale });
    // Still closed: they hear that the photographer was told, not what the photographer has to do.
    const before = await h.send(text, { locale });
    expect(textsOf(before)).toEqual([`${msg(locale, 'customer.notify.askedBefore', { code: 'same' })} ${msg(locale, 'feedback.question')}`]);
    await h.platform.applyChange({ kind: 'reopen-job', jobId: DEMO_CASES['job-archived'].jobId!, photographerId: DEMO_PHOTOGRAPHERS.lena.id, archiveDate: '2027-01-31' }, { idempotencyKey: 'by-hand' });
    const replies = await h.send(text, { locale });
    const open = msg(locale, 'customer.galleryOpen', { again: 'yes', until: 'date', date: localizer(locale).longDate('2027-01-31') });
    expect(textsOf(replies)).toEqual([`${open} ${msg(locale, 'feedback.question')}`]);
    expect(lastDiagnosis(replies).awaiting).toBe('feedback');
  });

  it('a question the bot cannot answer as the first message: what the bot knows about, a person offered, then the first question', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('is it safe to pay by card?');
    expect(textsOf(replies)[0]).toContain(msg('en-US', 'side.question'));
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'symptom' });
  });

  it.each([
    ['en-US', 'why?'],
    ['de-DE', 'wie lange dauert das?'],
  ])('%s: "%s" at the offer when some photos are hidden: the photographer has to show them, not "our support team will look into it"', async (locale, text) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(`${msg(locale, 'symptom.choice.almost-ready')} ${DEMO_CASES['partially-hidden'].code}`, { locale });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([`${msg(locale, 'side.what-next', { next: 'photos' })} ${msg(locale, 'notify.offerPhotographer')}`]);
  });

  it('some photos hidden: the photographer is told, and "any news?" is good news only once all of them are visible', async () => {
    const h = await harness({ channelId: 'webchat' });
    const demo = DEMO_CASES['partially-hidden'];
    const diagnosed = await h.send(`${msg('en-US', 'symptom.choice.almost-ready')} ${demo.code}`);
    expect(textsOf(diagnosed).at(-1)).toBe(msg('en-US', 'notify.offerPhotographer'));
    await h.send(msg('en-US', 'notify.yes'));
    expect((await h.outbox.pending()).map((record) => record.kind)).toEqual(['notify-photographer']);
    const before = await h.send('any news?');
    expect(textsOf(before)).toEqual([`${msg('en-US', 'customer.notify.askedBefore', { code: 'same' })} ${msg('en-US', 'feedback.question')}`]);
    await h.platform.applyChange({ kind: 'unhide-photos', jobId: demo.jobId!, photographerId: DEMO_PHOTOGRAPHERS.lena.id, galleryId: demo.galleryId! }, { idempotencyKey: 'by-hand' });
    const after = await h.send('any news?');
    expect(textsOf(after)[0]).toContain(msg('en-US', 'customer.galleryOpen', { again: 'no', until: 'date', date: localizer('en-US').longDate('2026-12-20') }));
  });

  it('"any news?" at "did this help?" for a gallery open all along: no "good news: your gallery is open now"', async () => {
    const h = await atFeedbackAfterReload('en-US');
    const replies = await h.send('any news?');
    expect(allText(replies)).not.toContain(msg('en-US', 'customer.galleryOpen', { again: 'yes', until: 'date', date: localizer('en-US').longDate('2026-12-20') }));
    expect(allText(replies)).not.toContain(msg('en-US', 'customer.galleryOpen', { again: 'no', until: 'date', date: localizer('en-US').longDate('2026-12-20') }));
    expect(textsOf(replies).at(-1)).toContain(msg('en-US', 'feedback.question'));
  });

  it('"hat sich schon jemand gemeldet?" after asking for the photographer, for a code of a deleted job: a new code comes, not "your code will work"', async () => {
    const h = await harness({ channelId: 'webchat' });
    const diagnosed = await h.send(`falscher Zugangscode ${DEMO_CODES['code-from-deleted-job']}`, { locale: 'de-DE' });
    expect(lastDiagnosis(diagnosed)).toMatchObject({ scenario: 'code-from-deleted-job', awaiting: 'confirm' });
    await h.send('ja bitte', { locale: 'de-DE' });
    const replies = await h.send('hat sich schon jemand gemeldet?', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([`${msg('de-DE', 'customer.notify.askedBefore', { code: 'new' })} ${msg('de-DE', 'feedback.question')}`]);
  });

  it('"any news?" from someone who never gave a code: what happens next depends on the questions, then the first one', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('any news?');
    expect(allText(replies)).toContain(msg('en-US', 'side.what-next', { next: 'other' }));
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'symptom', scenario: null });
  });

  it('"thanks!" and "bye" get a short answer and start nothing', async () => {
    const h = await afterTheEnd('en-US');
    const thanks = await h.send('thanks!');
    expect(textsOf(thanks)).toEqual([msg('en-US', 'end.thanks')]);
    expect(lastDiagnosis(thanks).awaiting).toBeNull();
    const bye = await h.send('bye');
    expect(textsOf(bye)).toEqual([msg('en-US', 'end.goodbye')]);
    expect(lastDiagnosis(bye).awaiting).toBeNull();
  });

  it('a new problem after the end starts a new case', async () => {
    const h = await afterTheEnd('en-US');
    const replies = await h.send('now my other code says your photos are almost ready');
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'almost-ready', scenario: null, awaiting: 'access-code' });
  });

  it('"danke" after a completed handoff: a short answer in German, not the first question', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send('Ich möchte mit einem Mitarbeiter sprechen', { locale: 'de-DE' });
    await h.send('', { locale: 'de-DE', value: { choice: 'skip' } });
    const completed = await h.sendActivity({ type: ActivityTypes.Event, name: 'handoff.status', value: { state: 'completed' }, locale: 'de-DE' });
    expect(textsOf(completed)).toEqual([msg('de-DE', 'handoff.completed')]);
    const thanks = await h.send('danke', { locale: 'de-DE' });
    expect(textsOf(thanks)).toEqual([msg('de-DE', 'end.thanks')]);
    expect(lastDiagnosis(thanks).awaiting).toBeNull();
  });

  it.each([
    ['I ordered prints 3 weeks ago and they never arrived', 'side.delivery', true],
    ['I want a refund', 'side.refund', true],
    ['is my data safe with you?', 'side.privacy', true],
    ['where do i find the code', 'side.where-code', true],
  ] as const)('first message "%s": its answer with the greeting, then the first question (a person offered where the bot cannot help)', async (text, key, person) => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send(text);
    expect(textsOf(replies)).toEqual([
      [msg('en-US', 'greeting'), msg('en-US', key), ...(person ? [msg('en-US', 'ask.offerPerson')] : [])].join(' '),
      msg('en-US', 'symptom.question'),
    ]);
    expect(buttonsOf(replies[1])).toEqual([...symptomLabels('en-US'), ...(person ? [msg('en-US', 'ask.person')] : [])]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'symptom', symptom: null });
  });
});

describe('a correction: another archive date at the reopen confirmation', () => {
  const LENA = DEMO_PHOTOGRAPHERS.lena;
  const de = localizer('de-DE', 'photographer');

  /** Lena on Teams; the step and date questions are cards whose texts the harness does not list per slot. */
  function lena(h: DialogHarness, fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    return h.sendActivity({ type: ActivityTypes.Message, locale: 'de-DE', from: { id: 'lena-teams', name: LENA.name, aadObjectId: LENA.msteams[1] }, ...fields }, false);
  }

  it.each(['fertig', 'gemacht', 'hab ich gemacht'])('"%s" at a step walked by hand is done: the next step', async (text) => {
    const h = await harness({ channelId: 'msteams' });
    await lena(h, { text: 'Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT' });
    const first = await lena(h, { value: { choice: 'walk' } });
    expect(lastDiagnosis(first)).toMatchObject({ step: 1, awaiting: 'step-result' });
    const next = await lena(h, { text });
    expect(lastDiagnosis(next)).toMatchObject({ step: 2, awaiting: 'step-result' });
  });

  /** Lena at "Einverstanden?" for reopening job-4102 until 13 December. */
  async function atReopenConfirmation(): Promise<DialogHarness> {
    const h = await harness({ channelId: 'msteams' });
    await lena(h, { text: 'Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT' });
    await lena(h, { text: 'Mach das für mich' });
    const summary = await lena(h, { text: '13.12.' });
    expect(lastDiagnosis(summary)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
    return h;
  }

  it('"20. Dezember" at "Einverstanden?": the same change with the new date, summarised and confirmed again', async () => {
    const h = await harness({ channelId: 'msteams' });
    const diagnosis = await lena(h, { text: 'Eine Mutter sieht „Verkauf verpasst“ – Code MXR2 9PLT' });
    expect(lastDiagnosis(diagnosis)).toMatchObject({ scenario: 'job-archived', awaiting: 'step-result' });
    const dates = await lena(h, { text: 'Mach das für mich' });
    expect(lastDiagnosis(dates).awaiting).toBe('archive-date');
    const summary = await lena(h, { text: '13.12.' });
    expect(lastDiagnosis(summary).awaiting).toBe('confirm');
    expect(allText(summary)).toContain(toPhotographer('de-DE', 'change.question'));

    const corrected = await lena(h, { text: '20. Dezember' });
    expect(textsOf(corrected)[0]).toBe(toPhotographer('de-DE', 'change.dateChanged', { date: de.fullDate('2026-12-20') }));
    expect(JSON.stringify(corrected)).toContain(de.fullDate('2026-12-20'));
    expect(lastDiagnosis(corrected)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });

    const done = await lena(h, { text: 'ja' });
    expect(allText(done)).toContain(de.fullDate('2026-12-20'));
    const data = JSON.parse(await readFile(h.dataFile!, 'utf8')) as { jobs: { id: string; archiving: { date: string | null }; status: string }[] };
    expect(data.jobs.find((job) => job.id === 'job-4102')).toMatchObject({ status: 'selling', archiving: { date: '2026-12-20' } });
  });

  it('"hmm nee, doch lieber bis Ende Januar" at "Einverstanden?" is another date, not a no: the change with 31 January', async () => {
    const h = await atReopenConfirmation();
    const corrected = await lena(h, { text: 'hmm nee, doch lieber bis Ende Januar' });
    expect(textsOf(corrected)[0]).toBe(toPhotographer('de-DE', 'change.dateChanged', { date: de.fullDate('2027-01-31') }));
    expect(lastDiagnosis(corrected)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('"ja, der 13.12. passt" (the date of the summary) is a yes; "nein, lieber 31.11." gets the reason, not a cancel', async () => {
    const h = await atReopenConfirmation();
    const impossible = await lena(h, { text: 'nein, lieber 31.11.' });
    expect(allText(impossible)).toContain('31. November');
    expect(allText(impossible)).not.toContain(toPhotographer('de-DE', 'change.cancelled', { earlier: 'no' }));
    expect(lastDiagnosis(impossible).awaiting).toBe('confirm');
    const done = await lena(h, { text: 'ja, der 13.12. passt' });
    expect(allText(done)).not.toContain(toPhotographer('de-DE', 'change.dateChanged', { date: de.fullDate('2026-12-13') }));
    const data = JSON.parse(await readFile(h.dataFile!, 'utf8')) as { jobs: { id: string; archiving: { date: string | null }; status: string }[] };
    expect(data.jobs.find((job) => job.id === 'job-4102')).toMatchObject({ status: 'selling', archiving: { date: '2026-12-13' } });
  });

  it.each([
    ['de-DE', 'warum muss die Kampagne aus?'],
    ['en-US', 'wait, will the parents get an email?'],
    ['fr-FR', 'pourquoi désactiver la campagne ?'],
  ])('%s: "%s" at the confirmation: why the campaign goes off, then the question again', async (locale, text) => {
    const h = await atReopenConfirmation();
    const replies = await lena(h, { text, locale });
    expect(allText(replies)).toContain(toPhotographer(locale, 'side.campaign'));
    expect(allText(replies)).not.toContain(toPhotographer(locale, 'side.question'));
    expect(lastDiagnosis(replies).awaiting).toBe('confirm');
  });

  it('a day suggested for one that does not exist, pressed at "Einverstanden?": the change with that day', async () => {
    const h = await atReopenConfirmation();
    const impossible = await lena(h, { text: 'nee, lieber am 31.02.' });
    expect(allText(impossible)).toContain('31. Februar');
    // The suggestions are the buttons of the question card, sent back with its number as Teams does.
    const card = impossible.at(-1)?.attachments?.[0]?.content as { actions: { title: string; data: { choice: string; question: number } }[] };
    expect(card.actions.map((action) => action.data.choice)).toContain('2027-03-01');
    const questionId = card.actions[0]!.data.question;
    const picked = await lena(h, { text: '', value: { choice: '2027-03-01', question: questionId } });
    expect(textsOf(picked)[0]).toBe(toPhotographer('de-DE', 'change.dateChanged', { date: de.fullDate('2027-03-01') }));
    expect(lastDiagnosis(picked)).toMatchObject({ scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('a day that does not exist at "Einverstanden?" gets its reason, and nothing changes', async () => {
    const h = await atReopenConfirmation();
    const impossible = await lena(h, { text: '31.11.' });
    expect(allText(impossible)).toContain('31. November');
    expect(lastDiagnosis(impossible).awaiting).toBe('confirm');
  });
});
