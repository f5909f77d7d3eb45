import { type Activity, ActivityTypes } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS } from '../support/demoCodes.js';
import { localizer, type MessageKey, type MessageValues } from '../../src/language/messages.js';
import { parseSupportHours, type SupportHours } from '../../src/domain/supportHours.js';
import { allText, buttonsOf, DEMO_TODAY, type DialogHarness, type HarnessOptions, lastDiagnosis, msg, textsOf, useHarnesses } from '../support/dialogHarness.js';

const { harness } = useHarnesses();
const toPhotographer = (locale: string, key: MessageKey, values?: MessageValues) => msg(locale, key, { audience: 'photographer', ...values });

/** A customer with a diagnosed archived job who asked for a person: the e-mail question is open. */
async function atEmailQuestion(locale: string, options: HarnessOptions = {}): Promise<DialogHarness> {
  const h = await harness({ channelId: 'webchat', ...options });
  await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
  await h.send(DEMO_CODES['job-archived'], { locale });
  const replies = await h.send(msg(locale, 'notify.no'), { locale });
  expect(lastDiagnosis(replies).awaiting).toBe('feedback');
  const question = await h.send(msg(locale, 'feedback.no'), { locale });
  expect(textsOf(question)).toEqual([msg(locale, 'handoff.email.question')]);
  expect(buttonsOf(question[0])).toEqual([msg(locale, 'handoff.email.skip')]);
  expect(lastDiagnosis(question).awaiting).toBe('email');
  return h;
}

function handoffStatus(state: string, locale: string): Partial<Activity> {
  return { type: ActivityTypes.Event, name: 'handoff.status', value: { state }, locale };
}

describe('handoff: the e-mail address before a person takes over', () => {
  it.each([
    ['en-US', 'parent@example.com', 'parent@example.com'],
    ['de-DE', ' Eltern.Schmidt@example.de ', 'Eltern.Schmidt@example.de'],
    ['fr-FR', 'mailto:parent@example.fr', 'parent@example.fr'],
    ['nl-NL', 'Ouder@Example.nl', 'Ouder@Example.nl'],
    ['en-US', 'its mike_t@yahoo.co.uk and hurry up', 'mike_t@yahoo.co.uk'],
    ['de-DE', 'meine Mail: t.weber@gmx.de.', 't.weber@gmx.de'],
    ['fr-FR', "c'est marie.dupont@orange.fr", 'marie.dupont@orange.fr'],
    ['nl-NL', 'stuur het naar jan@devries.nl aub', 'jan@devries.nl'],
  ] as const)('%s: "%s" is kept in the case as %s, named back, and sent with the handoff event', async (locale, typed, address) => {
    const h = await atEmailQuestion(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'escalation.recorded'), msg(locale, 'handoff.email.known', { email: address })]);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
    const [record] = await h.outbox.pending();
    expect(record).toMatchObject({ kind: 'escalation', reason: 'not-helped', email: address });
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({
      type: 'event',
      name: 'handoff.initiate',
      value: { caseId: record!.id, role: 'customer', locale, scenario: 'job-archived', accessCode: 'MXR29PLT', jobId: 'job-4102', email: address },
    });
  });

  it.each([
    ['en-US', 'skip'],
    ['en-US', 'No thanks'],
    ['de-DE', 'Überspringen'],
    ['de-DE', 'nein'],
    ['fr-FR', 'passer'],
    ['fr-FR', 'non'],
    ['nl-NL', 'overslaan'],
    ['nl-NL', 'nee'],
  ] as const)('%s: "%s" skips it; the case says the customer is only reachable in this chat', async (locale, typed) => {
    const h = await atEmailQuestion(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'handoff.email.skipped'), msg(locale, 'escalation.recorded')]);
    const [record] = await h.outbox.pending();
    expect(record!.email).toBeNull();
    expect((h.events[0]!.value as { email: unknown }).email).toBeNull();
  });

  it.each([
    ['en-US', 'never mind'],
    ['en-US', 'Oh forget it, I found it'],
    ['de-DE', 'ach egal, vergiss es'],
    ['de-DE', 'Schon gut, hat sich erledigt'],
    ['fr-FR', 'laissez tomber'],
    ['fr-FR', 'Non finalement non, plus besoin'],
    ['nl-NL', 'laat maar'],
    ['nl-NL', 'hoeft niet meer, toch niet'],
  ] as const)('%s: "%s" takes the request back: nothing recorded, no event, and the next message starts afresh', async (locale, typed) => {
    const h = await atEmailQuestion(locale);
    const replies = await h.send(typed, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'handoff.email.withdrawn')]);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
    expect(await h.outbox.pending()).toEqual([]);
    expect(h.events).toEqual([]);
    const next = await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    expect(lastDiagnosis(next).awaiting).toBe('access-code');
  });

  it('the skip button skips it too', async () => {
    const h = await atEmailQuestion('en-US');
    const replies = await h.send('', { value: { choice: 'skip' } });
    expect(textsOf(replies)).toEqual([msg('en-US', 'handoff.email.skipped'), msg('en-US', 'escalation.recorded')]);
  });

  it('something that is no address: a clear retry, nothing recorded yet; the third goes on without one', async () => {
    const h = await atEmailQuestion('de-DE');
    const retry = await h.send('meine mail ist schmidt at web punkt de', { locale: 'de-DE' });
    expect(textsOf(retry)).toEqual([msg('de-DE', 'handoff.email.retry')]);
    // Two addresses: which one, not "that doesn't look like an address".
    const which = await h.send('schmidt@web.de oder schmidt@example.de', { locale: 'de-DE' });
    expect(textsOf(which)).toEqual([msg('de-DE', 'handoff.email.which', { emails: 'schmidt@web.de oder schmidt@example.de' })]);
    for (const replies of [retry, which]) expect(lastDiagnosis(replies).awaiting).toBe('email');
    expect(await h.outbox.pending()).toEqual([]);
    const third = await h.send('weiß nicht', { locale: 'de-DE' });
    expect(textsOf(third)).toEqual([msg('de-DE', 'handoff.email.skipped'), msg('de-DE', 'escalation.recorded')]);
    expect((await h.outbox.pending())[0]!.email).toBeNull();
  });
});

describe('handoff: an address the customer gave before being asked', () => {
  it.each([
    ['en-US', "Hi, I'm maria.lopez@gmail.com, missed the sale, code MXR29PLT", 'maria.lopez@gmail.com'],
    ['de-DE', 'Verkauf verpasst, Code MXR29PLT, meine Mail: t.weber@gmx.de', 't.weber@gmx.de'],
  ] as const)('%s: in the first message ("%s"): kept quietly, not asked for, and named at the handoff', async (locale, first, address) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(first, { locale });
    await h.send(msg(locale, 'notify.no'), { locale });
    const replies = await h.send(msg(locale, 'feedback.no'), { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'escalation.recorded'), msg(locale, 'handoff.email.known', { email: address })]);
    expect((await h.outbox.pending()).map((record) => record.email)).toEqual([address]);
  });

  it.each([
    ['nl-NL', 'ja graag. mijn email is jan.devries@gmail.com', 'jan.devries@gmail.com'],
    ['fr-FR', "oui, écrivez-moi à marie.dupont@orange.fr", 'marie.dupont@orange.fr'],
  ] as const)('%s: beside an answer ("%s"): said to be noted, the answer taken, and the handoff does not ask again', async (locale, text, address) => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    await h.send(DEMO_CODES['job-archived'], { locale });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'handoff.email.noted', { email: address }), msg(locale, 'notify.recorded'), msg(locale, 'feedback.question')]);
    const handedOver = await h.send(msg(locale, 'feedback.no'), { locale });
    expect(allText(handedOver)).not.toContain(msg(locale, 'handoff.email.question'));
    expect((await h.outbox.pending()).map((record) => [record.kind, record.email])).toEqual([
      ['notify-photographer', undefined],
      ['escalation', address],
    ]);
  });

  it('an address alone at "did this help?": noted, and the question asked again', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('de-DE', 'symptom.choice.missed-sale'), { locale: 'de-DE' });
    await h.send(DEMO_CODES['job-archived'], { locale: 'de-DE' });
    await h.send(msg('de-DE', 'notify.no'), { locale: 'de-DE' });
    const replies = await h.send('meine mail ist anna.k@web.de', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([msg('de-DE', 'handoff.email.noted', { email: 'anna.k@web.de' }), msg('de-DE', 'feedback.retry')]);
    expect(lastDiagnosis(replies).awaiting).toBe('feedback');
  });
});

describe('handoff: while a person has the case', () => {
  it('what the customer writes is added to the case with one short line, never the first question again', async () => {
    const h = await atEmailQuestion('fr-FR');
    await h.send('parent@example.fr', { locale: 'fr-FR' });
    for (const typed of ['allô ?', 'Mon code est MXR2-9PLT, ça ne marche toujours pas']) {
      const replies = await h.send(typed, { locale: 'fr-FR' });
      expect(textsOf(replies)).toEqual([msg('fr-FR', 'handoff.added')]);
      expect(lastDiagnosis(replies).awaiting).toBeNull();
    }
    const [record] = await h.outbox.pending();
    expect(record!.transcript.slice(-2).map((line) => [line.from, line.text])).toEqual([
      ['user', 'allô ?'],
      ['user', 'Mon code est MXR2-9PLT, ça ne marche toujours pas'],
    ]);
    expect(h.events).toHaveLength(1);
  });

  it.each([
    ['de-DE', 'danke, tschüss', 'handoff.thanks'],
    ['en-US', 'thanks!', 'handoff.thanks'],
    ['en-US', 'any news?', 'handoff.waiting'],
    ['de-DE', 'Gibt es schon Neuigkeiten?', 'handoff.waiting'],
    // "geht … jetzt" inside a question is no news that it works.
    ['de-DE', 'Wie geht es jetzt weiter?', 'handoff.waiting'],
    ['fr-FR', 'des nouvelles ?', 'handoff.waiting'],
    // The problem went away by itself: said so, not "nothing new yet".
    ['fr-FR', "c'est bon ça marche maintenant, merci !", 'handoff.solved'],
    ['de-DE', 'hat sich erledigt, geht jetzt', 'handoff.solved'],
    ['en-US', 'never mind, it works now', 'handoff.solved'],
    ['nl-NL', 'gelukt, ik ben binnen!', 'handoff.solved'],
    ['nl-NL', 'het werkt nu nog steeds niet', 'handoff.added'],
    ['fr-FR', 'Mon code est MXR2-9PLT, ça ne marche toujours pas', 'handoff.added'],
  ] as const)('%s: "%s" while a person has the case: kept with it, and answered with %s rather than as an addition', async (locale, text, key) => {
    const h = await atEmailQuestion(locale);
    await h.send(msg(locale, 'handoff.email.skip'), { locale });
    const replies = await h.send(text, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, key)]);
    expect((await h.outbox.pending())[0]!.transcript.at(-1)).toMatchObject({ from: 'user', text });
  });

  it('"accepted" is told and keeps it open; "completed" is told and closes it: the next message starts anew', async () => {
    const h = await atEmailQuestion('de-DE');
    await h.send('nein', { locale: 'de-DE' });
    expect(textsOf(await h.sendActivity(handoffStatus('accepted', 'de-DE')))).toEqual([msg('de-DE', 'handoff.accepted')]);
    expect(textsOf(await h.send('hallo?', { locale: 'de-DE' }))).toEqual([msg('de-DE', 'handoff.added')]);
    expect(textsOf(await h.sendActivity(handoffStatus('completed', 'de-DE')))).toEqual([msg('de-DE', 'handoff.completed')]);
    const next = await h.send('hallo', { locale: 'de-DE' });
    expect(lastDiagnosis(next).awaiting).toBe('symptom');
  });

  it('"failed" is told and closes it; a status without an open handoff or with an unknown state says nothing', async () => {
    const h = await atEmailQuestion('nl-NL');
    expect(await h.sendActivity(handoffStatus('accepted', 'nl-NL'))).toEqual([]);
    await h.send('overslaan', { locale: 'nl-NL' });
    expect(await h.sendActivity(handoffStatus('on-hold', 'nl-NL'))).toEqual([]);
    expect(textsOf(await h.sendActivity(handoffStatus('failed', 'nl-NL')))).toEqual([msg('nl-NL', 'handoff.failed')]);
    expect(lastDiagnosis(await h.send('hallo', { locale: 'nl-NL' })).awaiting).toBe('symptom');
  });
});

function supportHours(text: string): SupportHours {
  const parsed = parseSupportHours(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.hours;
}

// The harness's clock: Friday 27 November 2026, 10:00 UTC (11:00 in Berlin).
describe('handoff: "any news?" after the gallery opened meanwhile', () => {
  it.each(['en-US', 'de-DE', 'fr-FR', 'nl-NL'])('%s: the good news instead of "nothing new yet", kept with the case', async (locale) => {
    const h = await atEmailQuestion(locale);
    await h.send(msg(locale, 'handoff.email.skip'), { locale });
    const news = { en: 'any news?', de: 'gibts was neues?', fr: 'des nouvelles ?', nl: 'al nieuws?' }[locale.slice(0, 2) as 'en'];
    expect(textsOf(await h.send(news, { locale }))).toEqual([msg(locale, 'handoff.waiting')]);
    await h.platform.applyChange({ kind: 'reopen-job', jobId: DEMO_CASES['job-archived'].jobId!, photographerId: DEMO_PHOTOGRAPHERS.lena.id, archiveDate: '2027-01-31' }, { idempotencyKey: 'by-hand' });
    const replies = await h.send(news, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'customer.galleryOpen', { again: 'no', until: 'date', date: localizer(locale).longDate('2027-01-31') })]);
    const [record] = await h.outbox.pending();
    expect(record!.transcript.at(-1)).toMatchObject({ from: 'user', text: news });
  });
});

describe('handoff: when a person will answer (SUPPORT_HOURS)', () => {
  it.each(['en-US', 'de-DE', 'fr-FR', 'nl-NL'])('%s: within the hours, "today"', async (locale) => {
    const h = await atEmailQuestion(locale, { supportHours: supportHours('Mon-Fri 09:00-17:00 Europe/Berlin') });
    const replies = await h.send('skip', { locale });
    expect(textsOf(replies).slice(-2)).toEqual([msg(locale, 'escalation.recorded'), msg(locale, 'handoff.hours.open')]);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
  });

  it.each([
    ['en-US', 'Mon-Thu 09:00-17:00', 'Our support team is back on Monday, November 30 at 9:00 AM GMT+1; someone will answer then.'],
    ['de-DE', 'Mon-Thu 09:00-17:00', 'Unser Support-Team ist am Montag, 30. November ab 09:00 MEZ wieder für Sie da; dann antwortet Ihnen jemand.'],
    ['fr-FR', 'Mon-Thu 09:00-17:00', "Notre équipe d'assistance sera de retour le lundi 30 novembre à 09:00 UTC+1\u202f; une personne vous répondra à ce moment-là."],
    ['nl-NL', 'Mon-Thu 09:00-17:00', 'Ons supportteam is er op maandag 30 november vanaf 09:00 CET weer; dan antwoordt iemand u.'],
    // Later the same day, and the next day: said as today and tomorrow, not with the date.
    ['en-US', 'Mon-Fri 14:00-17:00', 'Our support team is back today at 2:00 PM GMT+1; someone will answer then.'],
    ['de-DE', 'Mon-Fri 14:00-17:00', 'Unser Support-Team ist heute ab 14:00 MEZ wieder für Sie da; dann antwortet Ihnen jemand.'],
    ['fr-FR', 'Sat 09:00-12:00', "Notre équipe d'assistance sera de retour demain à 09:00 UTC+1\u202f; une personne vous répondra à ce moment-là."],
    ['nl-NL', 'Sat 09:00-12:00', 'Ons supportteam is er morgen vanaf 09:00 CET weer; dan antwoordt iemand u.'],
  ])('%s, hours %s: outside the hours, the next opening in the hours’ time zone', async (locale, hours, said) => {
    const h = await atEmailQuestion(locale, { supportHours: supportHours(`${hours} Europe/Berlin`) });
    const replies = await h.send('parent@example.com', { locale });
    // ICU versions differ on the space before AM (a plain or a narrow no-break space).
    expect(textsOf(replies).map((text) => text.replace(/\u202f(?=AM|PM)/, ' '))).toEqual([msg(locale, 'escalation.recorded'), msg(locale, 'handoff.email.known', { email: 'parent@example.com' }), said]);
  });

  it('without SUPPORT_HOURS no time is promised', async () => {
    const h = await atEmailQuestion('en-US');
    const replies = await h.send('parent@example.com', { locale: 'en-US' });
    expect(textsOf(replies)).toEqual([msg('en-US', 'escalation.recorded'), msg('en-US', 'handoff.email.known', { email: 'parent@example.com' })]);
  });
});

describe('handoff: every trigger takes the way of "talk to a person"', () => {
  const LENA = DEMO_PHOTOGRAPHERS.lena;

  /** Lena on Teams (her account is linked): cards, so the harness's slot texts are not checked. */
  function lena(h: DialogHarness, fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    return h.sendActivity({ type: ActivityTypes.Message, locale: 'de-DE', from: { id: 'lena-teams', name: LENA.name, aadObjectId: LENA.msteams[1] }, ...fields }, false);
  }

  const valueOf = (event: Partial<Activity> | undefined) => event?.value as Record<string, unknown>;

  it('a customer\'s third wrong code: support is offered; "yes" asks for the address, then the case and the event; "hallo?" is added', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('de-DE', 'symptom.choice.incorrect-code'), { locale: 'de-DE' });
    await h.send('HJKT4WRM', { locale: 'de-DE' });
    await h.send('HJKT4WRN', { locale: 'de-DE' });
    const offered = await h.send('HJKT4WRP', { locale: 'de-DE' });
    expect(textsOf(offered)).toEqual([msg('de-DE', 'code.giveUp'), msg('de-DE', 'notify.offerSupport')]);
    expect(textsOf(await h.send('ja', { locale: 'de-DE' }))).toEqual([msg('de-DE', 'handoff.email.question')]);
    expect(h.events).toEqual([]);
    const handedOver = await h.send('eltern@example.de', { locale: 'de-DE' });
    expect(textsOf(handedOver)).toEqual([msg('de-DE', 'notify.recordedSupport'), msg('de-DE', 'handoff.email.known', { email: 'eltern@example.de' })]);
    const [record] = await h.outbox.pending();
    expect(record).toMatchObject({ kind: 'escalation', reason: 'wrong-codes', scenario: 'unknown-code', accessCode: 'HJKT4WRP', email: 'eltern@example.de' });
    expect(h.events.map((event) => event.name)).toEqual(['handoff.initiate']);
    expect(valueOf(h.events[0])).toMatchObject({ caseId: record!.id, role: 'customer', locale: 'de-DE', symptom: 'incorrect-code', scenario: 'unknown-code', email: 'eltern@example.de' });
    expect(textsOf(await h.send('hallo?', { locale: 'de-DE' }))).toEqual([msg('de-DE', 'handoff.added')]);
    expect((await h.outbox.pending())[0]!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'hallo?' });
  });

  it('a customer\'s "nothing in the data explains it": "did this help?", and "no" hands over with the diagnosis', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send(msg('en-US', 'symptom.choice.other'));
    const diagnosed = await h.send(DEMO_CODES['no-known-cause']);
    expect(textsOf(diagnosed)).toEqual([msg('en-US', 'customer.no-known-cause'), msg('en-US', 'feedback.question')]);
    expect(textsOf(await h.send('no'))).toEqual([msg('en-US', 'handoff.email.question')]);
    await h.send('skip');
    const [record] = await h.outbox.pending();
    expect(record).toMatchObject({ reason: 'not-helped', scenario: 'no-known-cause', email: null });
    expect(valueOf(h.events[0])).toMatchObject({ caseId: record!.id, scenario: 'no-known-cause', jobId: 'job-4215', email: null });
  });

  it('a photographer\'s "didn\'t work" that leaves nothing to do: no address asked, the case and the event at once; "hallo?" is added', async () => {
    const h = await harness({ channelId: 'msteams' });
    await lena(h, { text: `Eine Mutter sieht „Verkauf verpasst“ – Code ${DEMO_CODES['job-archived']}` });
    await lena(h, { value: { choice: 'walk' } });
    // The platform could do the step: offered first; "to support" leaves nothing the bot can do.
    const offered = await lena(h, { value: { choice: 'failed' } });
    expect(textsOf(offered).join('\n')).toContain(toPhotographer('de-DE', 'walk.offerAuto'));
    expect(h.events).toEqual([]);
    const failed = await lena(h, { value: { choice: 'support' } });
    expect(textsOf(failed)).toEqual([msg('de-DE', 'walk.escalated')]);
    expect(lastDiagnosis(failed)).toMatchObject({ role: 'photographer', awaiting: null, step: null });
    const [record] = await h.outbox.pending();
    expect(record).toMatchObject({ kind: 'escalation', reason: 'step-failed', role: 'photographer', scenario: 'job-archived', jobId: 'job-4102', photographerId: LENA.id });
    expect(record!.email).toBeUndefined();
    expect(h.events.map((event) => event.name)).toEqual(['handoff.initiate']);
    expect(valueOf(h.events[0])).toMatchObject({
      caseId: record!.id,
      role: 'photographer',
      scenario: 'job-archived',
      accessCode: DEMO_CODES['job-archived'],
      stepsTried: ['untick-archiving-set-date: did not work'],
      email: null,
    });
    const hello = await lena(h, { text: 'hallo?' });
    expect(textsOf(hello)).toEqual([toPhotographer('de-DE', 'handoff.added')]);
    expect(h.events).toHaveLength(1);
  });

  it('a photographer\'s job in a status the bot does not know: support offered, "ja" hands over', async () => {
    const h = await harness({ channelId: 'msteams' });
    const owner = DEMO_PHOTOGRAPHERS[DEMO_CASES['unknown-status'].photographer!];
    const from = { id: 'owner-teams', name: owner.name, aadObjectId: owner.msteams[0]! };
    const diagnosed = await h.sendActivity({ type: ActivityTypes.Message, locale: 'en-US', from, text: `almost ready, code ${DEMO_CODES['unknown-status']}` }, false);
    expect(allText(diagnosed)).toContain(toPhotographer('en-US', 'notify.offerSupport'));
    const handedOver = await h.sendActivity({ type: ActivityTypes.Message, locale: 'en-US', from, text: 'yes' }, false);
    expect(textsOf(handedOver)).toEqual([toPhotographer('en-US', 'notify.recordedSupport')]);
    const [record] = await h.outbox.pending();
    expect(record).toMatchObject({ reason: 'unknown-status', role: 'photographer', jobId: DEMO_CASES['unknown-status'].jobId });
    expect(valueOf(h.events[0])).toMatchObject({ caseId: record!.id, role: 'photographer' });
  });
});

describe('handoff: the transcript goes with the event (botbuilder transcript logging)', () => {
  type Logged = Partial<Activity> & { from?: { id?: string; role?: string } };
  const transcriptOf = (event: Partial<Activity> | undefined): Logged[] => {
    const attachment = event?.attachments?.find((candidate) => candidate.name === 'Transcript');
    expect(attachment?.contentType).toBe('application/json');
    return (attachment?.content as { activities: Logged[] }).activities;
  };

  it('the whole conversation up to the handoff, in order, this turn included; the context fields beside it', async () => {
    const h = await atEmailQuestion('de-DE');
    await h.send('eltern@example.de', { locale: 'de-DE' });
    const [record] = await h.outbox.pending();
    const event = h.events[0];
    expect(event?.value).toEqual({
      caseId: record!.id,
      role: 'customer',
      locale: 'de-DE',
      symptom: 'missed-sale',
      scenario: 'job-archived',
      secondary: [],
      accessCode: 'MXR29PLT',
      jobId: 'job-4102',
      photographerId: 'ph-brandt',
      stepsTried: [],
      email: 'eltern@example.de',
    });
    const lines = transcriptOf(event);
    // What the person wrote and every message the bot sent, as the channel saw them.
    const said = [...h.allReplies.map((reply) => reply.text)];
    expect(lines.filter((line) => line.from?.role === 'user').map((line) => line.text)).toEqual([
      msg('de-DE', 'symptom.choice.missed-sale'),
      DEMO_CODES['job-archived'],
      msg('de-DE', 'notify.no'),
      msg('de-DE', 'feedback.no'),
      'eltern@example.de',
    ]);
    expect(lines.filter((line) => line.from?.role !== 'user').map((line) => line.text)).toEqual(said);
    expect(lines.slice(-2).map((line) => line.text)).toEqual([msg('de-DE', 'escalation.recorded'), msg('de-DE', 'handoff.email.known', { email: 'eltern@example.de' })]);
    expect(lines.every((line) => line.type === 'message' && line.conversation?.id === event?.conversation?.id)).toBe(true);
    // The bot's messages keep their diagnosis entity: an agent sees where the case stood at each one.
    expect(lines.at(-1)?.entities?.[0]).toMatchObject({ type: 'gallery-access/diagnosis', scenario: 'job-archived' });
  });

  it('a second handoff in the conversation carries the first event nowhere: no transcript inside a transcript', async () => {
    const h = await atEmailQuestion('en-US');
    await h.send('skip');
    await h.sendActivity(handoffStatus('completed', 'en-US'));
    await h.send('I want to talk to a person');
    await h.send('skip');
    expect(h.events.map((event) => event.name)).toEqual(['handoff.initiate', 'handoff.initiate']);
    const second = transcriptOf(h.events[1]);
    expect(second.some((line) => line.type === 'event' && line.name === 'handoff.initiate')).toBe(false);
    // The agent hub's status is part of the conversation.
    expect(second.some((line) => line.type === 'event' && line.name === 'handoff.status')).toBe(true);
    expect(second.length).toBeGreaterThan(transcriptOf(h.events[0]).length);
  });
});

describe('handoff: a way out of an open handoff', () => {
  it.each([
    ['en-US', 'restart'],
    ['en-US', 'start over'],
    ['de-DE', 'neu starten'],
    ['fr-FR', 'recommencer'],
    ['nl-NL', 'opnieuw'],
  ] as const)('%s: "%s" ends the handoff here (the case stays with support) and starts afresh', async (locale, typed) => {
    const h = await atEmailQuestion(locale);
    await h.send('parent@example.com', { locale });
    expect(textsOf(await h.send('hello?', { locale }))).toEqual([msg(locale, 'handoff.added')]);
    const restarted = await h.send(typed, { locale });
    expect(textsOf(restarted)[0]).toBe(msg(locale, 'handoff.restarted'));
    expect(lastDiagnosis(restarted).awaiting).toBe('symptom');
    // A new case: its answers are the flow's, not lines of the handed-over case.
    const next = await h.send(msg(locale, 'symptom.choice.missed-sale'), { locale });
    expect(lastDiagnosis(next).awaiting).toBe('access-code');
    const [record] = await h.outbox.pending();
    expect(record!.transcript.filter((line) => line.from === 'user').at(-1)?.text).toBe('hello?');
  });

  it('no handoff.status within a day: the next message is told the request is still with support, and starts a new case', async () => {
    let now = DEMO_TODAY.getTime();
    const h = await atEmailQuestion('de-DE', { now: () => new Date(now) });
    await h.send('eltern@example.de', { locale: 'de-DE' });
    now += 23 * 60 * 60_000;
    expect(textsOf(await h.send('hallo?', { locale: 'de-DE' }))).toEqual([msg('de-DE', 'handoff.added')]);
    now += 2 * 60 * 60_000;
    const fresh = await h.send('Da steht Verkauf verpasst', { locale: 'de-DE' });
    expect(textsOf(fresh)[0]).toBe(msg('de-DE', 'handoff.stale'));
    expect(lastDiagnosis(fresh)).toMatchObject({ symptom: 'missed-sale', awaiting: 'access-code' });
    expect(await h.outbox.pending()).toHaveLength(1);
  });

  it.each([
    ['nl-NL', 'ik heb nog een code: JMN6DY2H', 'code-without-photos'],
    ['en-US', 'my other kid has KDG477QP and it says almost ready', 'job-in-planning'],
  ] as const)('%s: another code while support has the case ("%s"): the request stays with support, and the new code is looked at', async (locale, typed, scenario) => {
    const h = await atEmailQuestion(locale);
    await h.send('parent@example.com', { locale });
    // The case's own code is still a line for support.
    expect(textsOf(await h.send(`${DEMO_CODES['job-archived']} again`, { locale }))).toEqual([msg(locale, 'handoff.added')]);
    const fresh = await h.send(typed, { locale });
    expect(textsOf(fresh)[0]).toBe(msg(locale, 'handoff.stale'));
    expect(lastDiagnosis(fresh)).toMatchObject({ scenario });
    const [record] = await h.outbox.pending();
    expect(record!.transcript.filter((line) => line.from === 'user').at(-1)?.text).toBe(`${DEMO_CODES['job-archived']} again`);
  });

  it('an address written while support has the case ("oops typo, its jane.doe@gmail.com not gmial") is added to it and said so', async () => {
    const h = await atEmailQuestion('en-US');
    await h.send('jane.doe@gmial.com', { locale: 'en-US' });
    const corrected = await h.send('oops typo, its jane.doe@gmail.com not gmial', { locale: 'en-US' });
    expect(textsOf(corrected)).toEqual([msg('en-US', 'handoff.email.added', { email: 'jane.doe@gmail.com' })]);
    const [record] = await h.outbox.pending();
    expect(record!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'oops typo, its jane.doe@gmail.com not gmial' });
  });

  it('a photographer is told in du-form', () => {
    expect(msg('de-DE', 'handoff.restarted', { audience: 'photographer' })).toMatch(/\bdir\b/);
    expect(msg('nl-NL', 'handoff.stale', { audience: 'photographer' })).toMatch(/\bje\b/);
  });
});
