import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import type { FixStepId } from '../../src/domain/fixPlans.js';
import type { ScenarioId } from '../../src/domain/scenarios.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import type { MessageKey, MessageValues } from '../../src/language/messages.js';
import { buttonsOf, type DialogHarness, lastDiagnosis, LOCALES, msg as said, textsOf, useHarnesses } from '../support/dialogHarness.js';

/** Every sentence of these conversations is said to a photographer. */
const msg = (locale: string, key: MessageKey, values?: MessageValues) => said(locale, key, { audience: 'photographer', ...values });

const { harness } = useHarnesses();

type Status = 'planning' | 'selling' | 'archived' | 'unknown';
type YesNo = 'yes' | 'no' | 'unknown';

/** The typed label of an answer button, in the locale. */
function statusLabel(locale: string, status: Status): string {
  return msg(locale, status === 'unknown' ? 'guided.dontKnow' : `guided.job-status.${status}`);
}
function yesNoLabel(locale: string, answer: YesNo): string {
  return msg(locale, answer === 'unknown' ? 'guided.dontKnow' : answer === 'yes' ? 'guided.yes' : 'guided.no');
}

/** A photographer on the emulator (role typed), waiting for the symptom. */
async function photographer(locale: string, channelId = 'emulator'): Promise<DialogHarness> {
  const h = await harness({ channelId });
  const asked = await h.send('hi', { locale });
  expect(lastDiagnosis(asked).awaiting).toBe('role');
  const replies = await h.send(msg(locale, 'role.photographer'), { locale });
  expect(textsOf(replies)).toEqual([msg(locale, 'symptom.questionPhotographer')]);
  expect(lastDiagnosis(replies)).toMatchObject({ role: 'photographer', awaiting: 'symptom' });
  return h;
}

interface Walk {
  symptom: Symptom;
  status: Status;
  activated: YesNo;
  linked: YesNo;
  /** Absent when the bot must skip the question (photos-linked is "no"). */
  hidden?: YesNo;
}

/** Answers every fact question, checking each is asked in order with its buttons; returns the plan turn. */
async function walk(h: DialogHarness, locale: string, answers: Walk): Promise<Partial<Activity>[]> {
  const intro = await h.send(msg(locale, `symptom.choice.${answers.symptom}`), { locale });
  expect(textsOf(intro)).toEqual([`${msg(locale, 'guided.intro')} ${msg(locale, 'guided.job-status')}`]);
  expect(buttonsOf(intro[0])).toEqual((['planning', 'selling', 'archived', 'unknown'] as const).map((status) => statusLabel(locale, status)));
  expect(lastDiagnosis(intro)).toMatchObject({ symptom: answers.symptom, scenario: null, awaiting: 'job-status' });

  const yesNoButtons = (['yes', 'no', 'unknown'] as const).map((answer) => yesNoLabel(locale, answer));
  const activated = await h.send(statusLabel(locale, answers.status), { locale });
  expect(textsOf(activated)).toEqual([msg(locale, 'guided.code-activated')]);
  expect(buttonsOf(activated[0])).toEqual(yesNoButtons);
  expect(lastDiagnosis(activated).awaiting).toBe('code-activated');

  const linked = await h.send(yesNoLabel(locale, answers.activated), { locale });
  expect(textsOf(linked)).toEqual([msg(locale, 'guided.photos-linked')]);
  expect(lastDiagnosis(linked).awaiting).toBe('photos-linked');

  const afterLinked = await h.send(yesNoLabel(locale, answers.linked), { locale });
  if (answers.hidden === undefined) return afterLinked;
  expect(textsOf(afterLinked)).toEqual([msg(locale, 'guided.photos-hidden')]);
  expect(lastDiagnosis(afterLinked).awaiting).toBe('photos-hidden');
  return h.send(yesNoLabel(locale, answers.hidden), { locale });
}

/** The plan reply: the sentences, then the numbered steps, and the feedback question. */
function expectPlan(
  replies: Partial<Activity>[],
  locale: string,
  scenario: ScenarioId,
  secondary: ScenarioId[],
  lead: MessageKey,
  steps: FixStepId[],
): void {
  expect(lastDiagnosis(replies)).toMatchObject({ role: 'photographer', scenario, secondary, step: null, steps: null, awaiting: 'feedback' });
  expect(replies[replies.length - 1]!.text).toBe(msg(locale, 'feedback.question'));
  const plan = replies[0]!.text!;
  expect(plan.startsWith(msg(locale, lead))).toBe(true);
  for (const fault of secondary) expect(plan).toContain(msg(locale, `fault.${fault as 'code-not-activated'}`));
  expect(plan).toContain(msg(locale, 'plan.title', { plan: scenario === 'job-archived' ? 'reopen' : 'fix', count: steps.length }));
  const numbered = steps.map((id, index) => `${index + 1}. ${msg(locale, `step.${id}`)}`).join('\n');
  expect(plan.endsWith(`\n\n${numbered}`)).toBe(true);
}

const TELL = 'tell-customer' as const;

describe('guided diagnosis (no platform data): facts asked in order, then the plan', () => {
  it('archived (en-US): the reopen plan in 5 numbered steps', async () => {
    const h = await photographer('en-US');
    const plan = await walk(h, 'en-US', { symptom: 'missed-sale', status: 'archived', activated: 'yes', linked: 'yes', hidden: 'no' });
    expectPlan(plan, 'en-US', 'job-archived', [], 'scenario.job-archived', [
      'untick-archiving-set-date',
      'deactivate-campaign',
      'save-settings',
      'set-status-selling',
      TELL,
    ]);
  });

  it('planning (de-DE): confirm photos, set Selling', async () => {
    const h = await photographer('de-DE');
    const plan = await walk(h, 'de-DE', { symptom: 'almost-ready', status: 'planning', activated: 'yes', linked: 'yes', hidden: 'no' });
    expectPlan(plan, 'de-DE', 'job-in-planning', [], 'scenario.job-in-planning', ['confirm-photos-linked', 'set-status-selling', TELL]);
  });

  it('selling, code not activated (fr-FR)', async () => {
    const h = await photographer('fr-FR');
    const plan = await walk(h, 'fr-FR', { symptom: 'almost-ready', status: 'selling', activated: 'no', linked: 'yes', hidden: 'no' });
    expectPlan(plan, 'fr-FR', 'code-not-activated', [], 'scenario.code-not-activated', ['activate-code', 'check-code-gallery', TELL]);
  });

  it('selling, no photos linked (nl-NL): the photos-hidden question is skipped', async () => {
    const h = await photographer('nl-NL');
    const plan = await walk(h, 'nl-NL', { symptom: 'almost-ready', status: 'selling', activated: 'yes', linked: 'no' });
    expect(textsOf(plan)).not.toContain(msg('nl-NL', 'guided.photos-hidden'));
    expectPlan(plan, 'nl-NL', 'code-without-photos', [], 'scenario.code-without-photos', ['assign-photos', TELL]);
  });

  it('selling, all photos hidden (en-US)', async () => {
    const h = await photographer('en-US');
    const plan = await walk(h, 'en-US', { symptom: 'almost-ready', status: 'selling', activated: 'yes', linked: 'yes', hidden: 'yes' });
    expectPlan(plan, 'en-US', 'photos-hidden', [], 'scenario.photos-hidden', ['unhide-photos', TELL]);
  });

  it('archived with the code not activated (fr-FR): one plan repairs both, gallery first', async () => {
    const h = await photographer('fr-FR');
    const plan = await walk(h, 'fr-FR', { symptom: 'missed-sale', status: 'archived', activated: 'no', linked: 'yes', hidden: 'unknown' });
    expectPlan(plan, 'fr-FR', 'job-archived', ['code-not-activated'], 'scenario.job-archived', [
      'activate-code',
      'check-code-gallery',
      'untick-archiving-set-date',
      'deactivate-campaign',
      'save-settings',
      'set-status-selling',
      TELL,
    ]);
  });

  it('planning without photos (de-DE): the secondary fault is named and repaired', async () => {
    const h = await photographer('de-DE');
    const plan = await walk(h, 'de-DE', { symptom: 'almost-ready', status: 'planning', activated: 'yes', linked: 'no' });
    expectPlan(plan, 'de-DE', 'job-in-planning', ['code-without-photos'], 'scenario.job-in-planning', [
      'confirm-photos-linked',
      'assign-photos',
      'set-status-selling',
      TELL,
    ]);
  });

  it('"don\'t know" to everything (en-US): no-known-cause with the facts still open, pass to support', async () => {
    const h = await photographer('en-US');
    const plan = await walk(h, 'en-US', { symptom: 'other', status: 'unknown', activated: 'unknown', linked: 'unknown', hidden: 'unknown' });
    expectPlan(plan, 'en-US', 'no-known-cause', [], 'scenario.undetermined', ['escalate-to-support']);
  });

  it('answers typed in words: "ich weiß es nicht", "ja klar", "nein" (de-DE)', async () => {
    const h = await photographer('de-DE');
    await h.send(msg('de-DE', 'symptom.choice.almost-ready'), { locale: 'de-DE' });
    const a = await h.send('ich weiß es nicht', { locale: 'de-DE' });
    expect(lastDiagnosis(a).awaiting).toBe('code-activated');
    const b = await h.send('ja klar', { locale: 'de-DE' });
    expect(lastDiagnosis(b).awaiting).toBe('photos-linked');
    const plan = await h.send('nein', { locale: 'de-DE' });
    // Status unknown: nothing primary can be named, the known gallery fault is reported as secondary.
    expect(lastDiagnosis(plan)).toMatchObject({ scenario: 'no-known-cause', secondary: ['code-without-photos'], awaiting: 'feedback' });
    expect(plan[0]!.text).toContain('Weitere Ursache: die leere Galerie.');
  });

  it('an answer that is no answer gets the retry and the same buttons', async () => {
    const h = await photographer('en-US');
    await h.send(msg('en-US', 'symptom.choice.almost-ready'));
    const retry = await h.send('banana');
    expect(textsOf(retry)).toEqual([msg('en-US', 'guided.retry')]);
    expect(buttonsOf(retry[0])).toEqual((['planning', 'selling', 'archived', 'unknown'] as const).map((status) => statusLabel('en-US', status)));
    expect(lastDiagnosis(retry).awaiting).toBe('job-status');
  });

  it('a one-step plan does not say "1 steps"', async () => {
    const h = await photographer('en-US');
    const plan = await walk(h, 'en-US', { symptom: 'other', status: 'selling', activated: 'yes', linked: 'yes', hidden: 'no' });
    expect(lastDiagnosis(plan).scenario).toBe('no-known-cause');
    expect(plan[0]!.text).toContain(msg('en-US', 'step.escalate-to-support'));
    expect(plan[0]!.text).not.toMatch(/\b1 steps\b/);
  });
});

describe('guided diagnosis: "incorrect access code" gets the article\'s fix for that message, no questions about the job', () => {
  const STEPS = ['check-code-typing', 'compare-code-list', 'recreate-codes-if-deleted-job'] as const;

  it.each(LOCALES)('%s: the two causes and three steps at once, then "did this help?"', async (locale) => {
    const h = await photographer(locale);
    const plan = await h.send(msg(locale, 'symptom.choice.incorrect-code'), { locale });
    expect(lastDiagnosis(plan)).toMatchObject({ role: 'photographer', symptom: 'incorrect-code', scenario: 'unknown-code', secondary: [], awaiting: 'feedback' });
    const texts = textsOf(plan);
    expect(texts).toHaveLength(2);
    const numbered = STEPS.map((id, index) => `${index + 1}. ${msg(locale, `step.${id}`)}`).join('\n');
    expect(texts[0]).toBe(`${msg(locale, 'guided.incorrect-code')}\n\n${msg(locale, 'plan.title', { plan: 'fix', count: 3 })}\n\n${numbered}`);
    expect(texts[1]).toBe(msg(locale, 'feedback.question'));
    for (const question of ['guided.intro', 'guided.job-status', 'guided.code-activated', 'guided.photos-linked', 'guided.photos-hidden'] as const) {
      expect(texts.join('\n')).not.toContain(msg(locale, question));
    }
    expect(texts.join('\n')).not.toContain(msg(locale, 'scenario.mismatch.none'));
  });

  it('the English words, as a support agent would say them', async () => {
    const h = await photographer('en-US');
    const plan = await h.send('the customer gets error incorrect access code');
    expect(lastDiagnosis(plan)).toMatchObject({ symptom: 'incorrect-code', scenario: 'unknown-code', awaiting: 'feedback' });
    expect(textsOf(plan)[0]).toBe(
      [
        "“Incorrect access code” means that the code doesn't exist in your account. There are two possible causes: a typing mistake, or a code reused from a job that was deleted.",
        'Fix in 3 steps:',
        [
          '1. Check the code with the customer for typing mistakes: O and 0, I and 1, extra spaces.',
          "2. Compare the code with the job's code list or the customer's QR card.",
          '3. If the code (or a blank QR card) was reused from a job you deleted, create new access codes in the current job (see “Accidentally deleted a job? How to recreate it and generate new access codes”) and give the customer the new code.',
        ].join('\n'),
      ].join('\n\n'),
    );
    expect(textsOf(plan).join('\n')).not.toMatch(/lead to|working gallery/u);
  });

  it('an unlinked Teams account: the fix, how to link the account, then feedback; "no" records the case', async () => {
    const h = await harness({ channelId: 'msteams' });
    await h.send('Hallo', { locale: 'de-DE' });
    const plan = await h.send('', { locale: 'de-DE', value: { choice: 'incorrect-code' } });
    const texts = textsOf(plan);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain(`3. ${msg('de-DE', 'step.recreate-codes-if-deleted-job')}`);
    expect(texts[1]).toBe(msg('de-DE', 'guided.linkAccount', { channel: 'Microsoft Teams' }));
    expect(lastDiagnosis(plan)).toMatchObject({ scenario: 'unknown-code', awaiting: 'feedback' });
    const sorry = await h.send(msg('de-DE', 'feedback.no'), { locale: 'de-DE' });
    expect(textsOf(sorry)).toEqual([msg('de-DE', 'escalation.recorded')]);
    expect((await h.outbox.pending())[0]).toMatchObject({ role: 'photographer', symptom: 'incorrect-code', scenario: 'unknown-code' });
  });
});

describe('guided diagnosis: feedback', () => {
  it('"yes" (nl-NL): thanks and the case ends', async () => {
    const h = await photographer('nl-NL');
    await walk(h, 'nl-NL', { symptom: 'almost-ready', status: 'selling', activated: 'no', linked: 'yes', hidden: 'no' });
    const thanks = await h.send(msg('nl-NL', 'feedback.yes'), { locale: 'nl-NL' });
    expect(textsOf(thanks)).toEqual([msg('nl-NL', 'feedback.thanks')]);
    expect(lastDiagnosis(thanks)).toMatchObject({ scenario: 'code-not-activated', awaiting: null });
    expect(await h.outbox.pending()).toEqual([]);
  });

  it('"no" (de-DE): an escalation with the photographer role and the diagnosis', async () => {
    const h = await photographer('de-DE');
    await walk(h, 'de-DE', { symptom: 'missed-sale', status: 'archived', activated: 'yes', linked: 'yes', hidden: 'no' });
    const sorry = await h.send(msg('de-DE', 'feedback.no'), { locale: 'de-DE' });
    expect(textsOf(sorry)).toEqual([msg('de-DE', 'escalation.recorded')]);
    expect(lastDiagnosis(sorry).awaiting).toBeNull();
    const cases = await h.outbox.pending();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      kind: 'escalation',
      reason: 'not-helped',
      role: 'photographer',
      channel: 'emulator',
      locale: 'de-DE',
      symptom: 'missed-sale',
      scenario: 'job-archived',
      accessCode: null,
      jobId: null,
    });
  });
});

describe('guided diagnosis on Microsoft Teams (a Teams user not linked to a photographer account)', () => {
  it('no role question; the plan as a card, then how to link the account, then feedback', async () => {
    const h = await harness({ channelId: 'msteams' });
    const first = await h.send('Hallo', { locale: 'de-DE' });
    expect(lastDiagnosis(first)).toMatchObject({ role: 'photographer', awaiting: 'symptom' });
    expect(textsOf(first)).toEqual([`${msg('de-DE', 'greeting')} ${msg('de-DE', 'symptom.questionPhotographer')}`]);
    // Teams card buttons submit their choice id as the activity value, without text.
    await h.send('', { locale: 'de-DE', value: { choice: 'almost-ready' } });
    await h.send('', { locale: 'de-DE', value: { choice: 'selling' } });
    await h.send('', { locale: 'de-DE', value: { choice: 'no' } });
    await h.send('', { locale: 'de-DE', value: { choice: 'yes' } });
    const plan = await h.send('', { locale: 'de-DE', value: { choice: 'no' } });
    expect(lastDiagnosis(plan)).toMatchObject({ role: 'photographer', symptom: 'almost-ready', scenario: 'code-not-activated', awaiting: 'feedback' });
    const texts = textsOf(plan);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain(msg('de-DE', 'scenario.code-not-activated'));
    expect(texts[0]).toContain(`1. ${msg('de-DE', 'step.activate-code')}`);
    expect(texts[1]).toBe(msg('de-DE', 'guided.linkAccount', { channel: 'Microsoft Teams' }));
    expect(texts[2]).toBe(msg('de-DE', 'feedback.question'));
    expect(buttonsOf(plan[2])).toEqual([msg('de-DE', 'feedback.yes'), msg('de-DE', 'feedback.no')]);
  });

  it('the emulator never shows the link-your-account hint', async () => {
    const h = await photographer('en-US');
    const plan = await walk(h, 'en-US', { symptom: 'almost-ready', status: 'selling', activated: 'no', linked: 'yes', hidden: 'no' });
    expect(textsOf(plan).some((text) => text.includes('Microsoft Teams'))).toBe(false);
    expect(plan).toHaveLength(2);
  });
});
