import { describe, expect, it } from 'vitest';
import { DEMO_CODES } from '../support/demoCodes.js';
import { buttonsOf, diagnosisOf, lastDiagnosis, msg, symptomLabels, textsOf, useHarnesses } from '../support/dialogHarness.js';
import { reach, type ReachableSlot } from './slots.js';

const { harness, track } = useHarnesses();
async function reached(slot: ReachableSlot, locale: string) {
  const result = await reach(slot, locale);
  track(result.h);
  return result;
}

describe('main dialog: the first question', () => {
  it('webchat: greets and asks the symptom first, as a customer', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('hello', { locale: 'en-US' });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(`${msg('en-US', 'greeting')} ${msg('en-US', 'symptom.question')}`);
    expect(buttonsOf(replies[0])).toEqual(symptomLabels('en-US'));
    expect(diagnosisOf(replies[0])).toMatchObject({ role: 'customer', locale: 'en-US', symptom: null, scenario: null, awaiting: 'symptom' });
  });

  it('webchat: typing "I am the photographer" does not make a customer a photographer', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send(`I'm the photographer, it says missed the sale, code ${DEMO_CODES['job-archived']}`);
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', scenario: 'job-archived' });
    expect(replies[0]!.text).not.toContain(msg('en-US', 'scenario.job-archived'));
  });

  it('emulator: asks the role first (awaiting "role"), in the channel locale', async () => {
    const h = await harness({ channelId: 'emulator' });
    const replies = await h.send('hallo', { locale: 'de-DE' });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(`${msg('de-DE', 'greeting')} ${msg('de-DE', 'role.question')}`);
    expect(buttonsOf(replies[0])).toEqual([msg('de-DE', 'role.customer'), msg('de-DE', 'role.photographer')]);
    expect(diagnosisOf(replies[0])).toMatchObject({ role: null, locale: 'de-DE', awaiting: 'role' });
  });

  it.each([
    ['de-DE', 'Ich bin Kunde', 'customer', 'symptom.question'],
    ['fr-FR', 'Je suis le photographe', 'photographer', 'symptom.questionPhotographer'],
    ['nl-NL', 'ik ben een ouder', 'customer', 'symptom.question'],
    ['en-US', 'I am the photographer', 'photographer', 'symptom.questionPhotographer'],
    ['en-US', '2', 'photographer', 'symptom.questionPhotographer'],
  ] as const)('emulator (%s): the role typed as "%s" is accepted as %s', async (locale, typed, role, question) => {
    const h = await harness({ channelId: 'emulator' });
    await h.send('hi', { locale });
    const replies = await h.send(typed, { locale });
    expect(lastDiagnosis(replies)).toMatchObject({ role, awaiting: 'symptom' });
    expect(replies[replies.length - 1]!.text).toBe(msg(locale, question));
  });

  it('emulator: unreadable role answers are never taken for a role: asked differently, then a person is offered', async () => {
    const h = await harness({ channelId: 'emulator' });
    await h.send('hi');
    const first = await h.send('blub');
    expect(lastDiagnosis(first).awaiting).toBe('role');
    expect(first[0]!.text).toBe(msg('en-US', 'role.retry'));
    const second = await h.send('???');
    expect(textsOf(second)).toEqual([`${msg('en-US', 'ask.unclearAgain', { question: msg('en-US', 'role.question') })} ${msg('en-US', 'ask.offerPerson')}`]);
    expect(buttonsOf(second[0])).toEqual([msg('en-US', 'role.customer'), msg('en-US', 'role.photographer'), msg('en-US', 'ask.person')]);
    const third = await h.send('hmm');
    expect(lastDiagnosis(third)).toMatchObject({ role: null, awaiting: 'role' });
    const person = await h.send('', { value: { choice: 'agent' } });
    expect(textsOf(person)).toContain(msg('en-US', 'escalation.requested'));
  });

  // Design ("Who uses it"): the role comes from the channel; a Teams user is a photographer
  // (mapped: with data; unmapped: guidance only), and only the Emulator and tests ask for it.
  it('msteams: a Teams user is not asked whether they are a customer or the photographer', async () => {
    const h = await harness({ channelId: 'msteams' });
    const replies = await h.send('hi', { locale: 'de-DE', checkConsistency: false });
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'photographer', awaiting: 'symptom' });
  });
});

describe('main dialog: "help" at any slot answers and asks the same question again', () => {
  const cases: [ReachableSlot, string, string][] = [
    ['role', 'en-US', 'help'],
    ['symptom', 'de-DE', 'Hilfe'],
    ['access-code', 'fr-FR', 'aide'],
    ['confirm', 'nl-NL', 'help'],
    ['feedback', 'en-US', 'help'],
    ['job-status', 'de-DE', 'Hilfe'],
    ['code-activated', 'fr-FR', 'aide'],
    ['photos-linked', 'nl-NL', 'help'],
    ['photos-hidden', 'en-US', 'help'],
    ['confirm', 'de-DE', 'Hilfe'],
    ['symptom', 'fr-FR', 'aide'],
    ['access-code', 'nl-NL', 'help'],
  ];
  it.each(cases)('at "%s" (%s: "%s")', async (slot, locale, word) => {
    const { h, last } = await reached(slot, locale);
    const before = lastDiagnosis(last);
    const question = last[last.length - 1]!;
    const replies = await h.send(word, { locale });
    expect(replies).toHaveLength(2);
    expect(replies[0]!.text).toBe(msg(locale, 'help', { audience: before.role ?? 'unknown' }));
    expect(lastDiagnosis(replies)).toEqual(before);
    // The question again, without the greeting or acknowledgement that led into it the first time.
    expect(question.text!.endsWith(replies[1]!.text!)).toBe(true);
    expect(replies[1]!.text!.length).toBeGreaterThan(10);
    expect(buttonsOf(replies[1])).toEqual(buttonsOf(question));
    expect(await h.outbox.pending()).toEqual([]);
  });
});

describe('main dialog: "restart" starts over', () => {
  it.each([
    ['access-code', 'en-US', 'restart'],
    ['confirm', 'de-DE', 'neu starten'],
    ['feedback', 'fr-FR', 'recommencer'],
    ['symptom', 'nl-NL', 'opnieuw beginnen'],
  ] as const)('at "%s" (%s: "%s"): symptom and scenario cleared, the symptom question again', async (slot, locale, word) => {
    const { h } = await reached(slot, locale);
    const replies = await h.send(word, { locale });
    expect(textsOf(replies)).toEqual([msg(locale, 'restart'), msg(locale, 'symptom.question')]);
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', locale, symptom: null, scenario: null, secondary: [], awaiting: 'symptom' });
    expect(buttonsOf(replies[1])).toEqual(symptomLabels(locale));
  });

  it('after a restart the access code is asked again (nothing of the old case is reused)', async () => {
    const { h } = await reached('confirm', 'de-DE');
    await h.send('neu starten', { locale: 'de-DE' });
    const replies = await h.send(msg('de-DE', 'symptom.choice.almost-ready'), { locale: 'de-DE' });
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'almost-ready', scenario: null, awaiting: 'access-code' });
  });

  it('a photographer (emulator) keeps the role typed earlier and gets the photographer wording (nl)', async () => {
    const { h } = await reached('photos-linked', 'nl-NL');
    const replies = await h.send('opnieuw beginnen', { locale: 'nl-NL' });
    expect(textsOf(replies)).toEqual([msg('nl-NL', 'restart'), msg('nl-NL', 'symptom.questionPhotographer')]);
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'photographer', symptom: null, scenario: null, awaiting: 'symptom' });
  });
});

/** "No" to the e-mail question, as a customer types it. */
const NO_EMAIL: Record<string, string> = { 'en-US': 'no', 'de-DE': 'überspringen', 'fr-FR': 'non', 'nl-NL': 'nee' };

describe('main dialog: asking for a person records an escalation', () => {
  it('records the case with everything collected (de-DE, after the diagnosis)', async () => {
    const h = await harness({ channelId: 'webchat' });
    await h.send('Verkauf verpasst', { locale: 'de-DE' });
    await h.send('mxr2-9plt', { locale: 'de-DE' });
    expect(await h.outbox.pending()).toEqual([]);
    // The awaiting slot of this turn is checked in the test below (a known bug).
    const question = await h.send('ich möchte mit einem Menschen sprechen', { locale: 'de-DE', checkConsistency: false });
    expect(textsOf(question)).toEqual([msg('de-DE', 'handoff.email.question')]);
    expect(await h.outbox.pending()).toEqual([]);
    const replies = await h.send('eltern@example.de', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([msg('de-DE', 'escalation.requested'), msg('de-DE', 'handoff.email.known', { email: 'eltern@example.de' })]);
    const cases = await h.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      kind: 'escalation',
      reason: 'requested',
      role: 'customer',
      channel: 'webchat',
      locale: 'de-DE',
      symptom: 'missed-sale',
      scenario: 'job-archived',
      accessCode: 'MXR29PLT',
      jobId: 'job-4102',
      photographerId: 'ph-brandt',
      email: 'eltern@example.de',
    });
    const userLines = cases[0]!.transcript.filter((line) => line.from === 'user').map((line) => line.text);
    expect(userLines).toEqual(['Verkauf verpasst', 'mxr2-9plt', 'ich möchte mit einem Menschen sprechen', 'eltern@example.de']);
    expect(cases[0]!.transcript.some((line) => line.from === 'bot' && line.text.includes('12. Oktober 2026'))).toBe(true);
  });

  it.each([
    ['role', 'en-US', 'agent'],
    ['symptom', 'nl-NL', 'medewerker'],
    ['access-code', 'fr-FR', 'parler à un conseiller'],
    ['confirm', 'de-DE', 'ich möchte mit einem Menschen sprechen'],
    ['job-status', 'en-US', 'can I talk to a real person'],
  ] as const)('at "%s" (%s: "%s") the case ends: awaiting null', async (slot, locale, words) => {
    const { h } = await reached(slot, locale);
    let replies = await h.send(words, { locale, checkConsistency: false });
    const role = lastDiagnosis(replies).role;
    const requested = msg(locale, 'escalation.requested', { audience: role ?? 'unknown' });
    if (role === 'customer') {
      // A customer is asked first where a person can reach them; "no" in their language skips it.
      expect(textsOf(replies)).toEqual([msg(locale, 'handoff.email.question')]);
      expect(lastDiagnosis(replies).awaiting).toBe('email');
      replies = await h.send(NO_EMAIL[locale]!, { locale });
      expect(textsOf(replies)).toEqual([msg(locale, 'handoff.email.skipped'), requested]);
    } else {
      expect(textsOf(replies)).toEqual([requested]);
    }
    const cases = await h.outbox.pending();
    expect(cases.map((c) => [c.kind, c.reason, c.locale])).toEqual([['escalation', 'requested', locale]]);
    expect(cases[0]!.transcript.some((line) => line.from === 'user' && line.text === words)).toBe(true);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
    expect(replies[0]!.inputHint).toBe('acceptingInput');
  });

  it('after the handoff, the next message is added to the case, never the start of the flow again', async () => {
    const { h } = await reached('confirm', 'de-DE');
    await h.send('Mitarbeiter', { locale: 'de-DE', checkConsistency: false });
    await h.send('nein', { locale: 'de-DE' });
    const replies = await h.send('hallo?', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([msg('de-DE', 'handoff.added')]);
    expect(lastDiagnosis(replies).awaiting).toBeNull();
    const [recorded] = await h.outbox.pending();
    expect(recorded!.transcript.at(-1)).toMatchObject({ from: 'user', text: 'hallo?' });
  });
});

describe('main dialog: a first message that is a command', () => {
  it('"parler à un conseiller" (fr-FR): escalation recorded, nothing asked', async () => {
    const h = await harness({ channelId: 'webchat' });
    const question = await h.send('parler à un conseiller', { locale: 'fr-FR' });
    expect(textsOf(question)).toEqual([msg('fr-FR', 'handoff.email.question')]);
    const replies = await h.send('parent@example.fr', { locale: 'fr-FR' });
    expect(textsOf(replies)).toEqual([msg('fr-FR', 'escalation.requested'), msg('fr-FR', 'handoff.email.known', { email: 'parent@example.fr' })]);
    expect(lastDiagnosis(replies)).toMatchObject({ role: 'customer', locale: 'fr-FR', awaiting: null });
    const cases = await h.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'escalation', reason: 'requested', role: 'customer', locale: 'fr-FR', symptom: null, accessCode: null });
    expect(cases[0]!.transcript[0]).toMatchObject({ from: 'user', text: 'parler à un conseiller' });
  });

  it('"agent" on the emulator: escalation without asking the role', async () => {
    const h = await harness({ channelId: 'emulator' });
    const replies = await h.send('agent');
    expect(lastDiagnosis(replies)).toMatchObject({ role: null, awaiting: null });
    expect((await h.outbox.pending()).map((c) => c.kind)).toEqual(['escalation']);
  });

  it('"help" (nl-NL): the help, then the greeting and the symptom question', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('help', { locale: 'nl-NL' });
    expect(textsOf(replies)).toEqual([msg('nl-NL', 'help'), `${msg('nl-NL', 'greeting')} ${msg('nl-NL', 'symptom.question')}`]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'symptom', symptom: null });
  });

  it('"neu starten" (de-DE): simply the greeting and the symptom question', async () => {
    const h = await harness({ channelId: 'webchat' });
    const replies = await h.send('neu starten', { locale: 'de-DE' });
    expect(textsOf(replies)).toEqual([`${msg('de-DE', 'greeting')} ${msg('de-DE', 'symptom.question')}`]);
    expect(lastDiagnosis(replies)).toMatchObject({ awaiting: 'symptom', symptom: null, scenario: null });
    expect(await h.outbox.pending()).toEqual([]);
  });
});
