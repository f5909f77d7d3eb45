import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_ENTITY_TYPE } from '../../src/channels/diagnosisEntity.js';
import { customerSnapshot } from '../channels/fixtures.js';
import { DEMO_CODES } from '../support/demoCodes.js';
import { expectDiagnosisEntity, expectTurnConsistent, lastDiagnosis, msg, useHarnesses } from '../support/dialogHarness.js';

/**
 * The checks every dialog test relies on must be able to fail, and the harness must carry a
 * case across turns through the production turn pipeline (GalleryBot.run).
 */

/** A customer's entity waiting for the symptom, with `overrides`. */
const entity = (overrides: Record<string, unknown> = {}) => ({ type: DIAGNOSIS_ENTITY_TYPE, ...customerSnapshot, ...overrides });

const reply = (text: string, overrides: Record<string, unknown> = {}, extra: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  text,
  inputHint: 'expectingInput',
  entities: [entity(overrides)],
  ...extra,
});

describe('the harness checks (they must be able to fail)', () => {
  it('accepts a well-formed question', () => {
    expect(() => expectTurnConsistent([reply(msg('en-US', 'symptom.question'))])).not.toThrow();
  });

  it('rejects a diagnosis entity with an extra or a missing key', () => {
    expect(() => expectDiagnosisEntity(reply('x', { extra: 1 }))).toThrow();
    const missing = entity();
    delete (missing as Record<string, unknown>).steps;
    expect(() => expectDiagnosisEntity({ text: 'x', entities: [missing] })).toThrow();
    expect(() => expectDiagnosisEntity({ text: 'x', entities: [] })).toThrow();
  });

  it('rejects an `awaiting` that does not match the question asked', () => {
    expect(() => expectTurnConsistent([reply(msg('en-US', 'code.question'))])).toThrow(/symptom/);
    expect(() => expectTurnConsistent([reply(msg('en-US', 'feedback.thanks'))])).toThrow();
  });

  it('rejects a question with nothing awaited, and replies of one turn with different cases', () => {
    expect(() =>
      expectTurnConsistent([reply('Did this help?', { awaiting: null }, { inputHint: 'acceptingInput', suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Yes', value: 'Yes' }] } })]),
    ).toThrow();
    expect(() => expectTurnConsistent([reply('a', { scenario: 'job-archived' }), reply(msg('en-US', 'symptom.question'))])).toThrow();
  });
});

describe('the harness runs turns through GalleryBot.run, as production does', () => {
  const { harness } = useHarnesses();

  it('the case carries across turns (symptom, then code)', async () => {
    const h = await harness();
    await h.send('hi');
    await h.send('it says missed the sale');
    const replies = await h.send(DEMO_CODES['job-archived']);
    expect(lastDiagnosis(replies)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
  });

  it('keeps the case of an open dialog across turns, up to the case it hands over', async () => {
    const h = await harness();
    await h.send('hi', { checkConsistency: false });
    await h.send('it says missed the sale', { checkConsistency: false });
    const diagnosis = await h.send(DEMO_CODES['job-archived'], { checkConsistency: false });
    await h.send('yes', { checkConsistency: false });
    const cases = await h.outbox.pending();
    expect(lastDiagnosis(diagnosis)).toMatchObject({ symptom: 'missed-sale', scenario: 'job-archived', awaiting: 'confirm' });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'notify-photographer', accessCode: 'MXR29PLT', jobId: 'job-4102', photographerId: 'ph-brandt' });
  });
});
