import { describe, expect, it } from 'vitest';
import { FIX_STEP_IDS, fixPlan, type FixStepId, messageFixPlan, type PlatformAction } from '../../src/domain/fixPlans.js';
import { SYMPTOMS } from '../../src/domain/symptoms.js';
import { SCENARIOS, type ScenarioId } from '../../src/domain/scenarios.js';

const ids = (scenario: ScenarioId, secondary: ScenarioId[] = []): FixStepId[] => fixPlan({ scenario, secondary }).map((s) => s.id);

describe('fix plan of each scenario alone', () => {
  const expected: Record<ScenarioId, FixStepId[]> = {
    'unknown-code': ['check-code-typing', 'compare-code-list'],
    // Handing out new codes already reaches the customers: nothing left to tell them.
    'code-from-deleted-job': ['recreate-job', 'hand-out-new-codes'],
    'job-archived': ['untick-archiving-set-date', 'deactivate-campaign', 'save-settings', 'set-status-selling', 'tell-customer'],
    'job-in-planning': ['confirm-photos-linked', 'set-status-selling', 'tell-customer'],
    'code-not-activated': ['activate-code', 'check-code-gallery', 'tell-customer'],
    'code-without-photos': ['assign-photos', 'tell-customer'],
    'photos-hidden': ['unhide-photos', 'tell-customer'],
    'no-known-cause': ['escalate-to-support'],
  };
  it('has a row per scenario', () => {
    expect(Object.keys(expected).sort()).toEqual([...SCENARIOS].sort());
  });
  it.each(SCENARIOS.map((s) => [s] as const))('%s', (scenario) => {
    expect(ids(scenario)).toEqual(expected[scenario]);
  });
  it('every step id is used by some scenario, or by the fix of a message without data', () => {
    const used = new Set([...SCENARIOS.flatMap((s) => ids(s)), ...SYMPTOMS.flatMap((symptom) => (messageFixPlan(symptom) ?? []).map((s) => s.id))]);
    expect([...FIX_STEP_IDS].filter((id) => !used.has(id))).toEqual([]);
  });
});

describe('platform actions', () => {
  const actions = (scenario: ScenarioId): Array<[FixStepId, PlatformAction | null]> => fixPlan({ scenario, secondary: [] }).map((s) => [s.id, s.action]);
  it('reopening an archived job is one action over the four settings steps', () => {
    expect(actions('job-archived')).toEqual([
      ['untick-archiving-set-date', 'reopen-job'],
      ['deactivate-campaign', 'reopen-job'],
      ['save-settings', 'reopen-job'],
      ['set-status-selling', 'reopen-job'],
      ['tell-customer', null],
    ]);
  });
  it('planning, activation and hidden photos can be done by the platform', () => {
    expect(actions('job-in-planning')).toEqual([['confirm-photos-linked', null], ['set-status-selling', 'set-selling'], ['tell-customer', null]]);
    expect(actions('code-not-activated')).toEqual([['activate-code', 'activate-code'], ['check-code-gallery', null], ['tell-customer', null]]);
    expect(actions('photos-hidden')).toEqual([['unhide-photos', 'unhide-photos'], ['tell-customer', null]]);
  });
  it('nothing the platform can do for codes, missing photos or the unknown', () => {
    for (const s of ['unknown-code', 'code-from-deleted-job', 'code-without-photos', 'no-known-cause'] as const) {
      expect(fixPlan({ scenario: s, secondary: [] }).every((step) => step.action === null)).toBe(true);
    }
  });
});

describe('plans with secondary faults', () => {
  it('archived + not activated: activate, then reopen, then tell the customer once', () => {
    expect(ids('job-archived', ['code-not-activated'])).toEqual([
      'activate-code', 'check-code-gallery',
      'untick-archiving-set-date', 'deactivate-campaign', 'save-settings', 'set-status-selling',
      'tell-customer',
    ]);
  });
  it('archived + not activated + no photos: the whole gallery is repaired before the shop opens', () => {
    expect(ids('job-archived', ['code-not-activated', 'code-without-photos'])).toEqual([
      'activate-code', 'check-code-gallery', 'assign-photos',
      'untick-archiving-set-date', 'deactivate-campaign', 'save-settings', 'set-status-selling',
      'tell-customer',
    ]);
  });
  it('planning + no photos: assign the photos before setting the job to Selling', () => {
    expect(ids('job-in-planning', ['code-without-photos'])).toEqual(['confirm-photos-linked', 'assign-photos', 'set-status-selling', 'tell-customer']);
  });
  it('planning + all hidden: unhide before setting the job to Selling', () => {
    expect(ids('job-in-planning', ['photos-hidden'])).toEqual(['confirm-photos-linked', 'unhide-photos', 'set-status-selling', 'tell-customer']);
  });
  it('selling: not activated + no photos', () => {
    expect(ids('code-not-activated', ['code-without-photos'])).toEqual(['activate-code', 'check-code-gallery', 'assign-photos', 'tell-customer']);
  });
  it('job status unknown with a gallery fault: repair what is known, escalate, tell the customer', () => {
    expect(ids('no-known-cause', ['code-not-activated'])).toEqual(['activate-code', 'check-code-gallery', 'escalate-to-support', 'tell-customer']);
  });
  it('the platform actions of secondary faults stay on their steps', () => {
    expect(fixPlan({ scenario: 'job-archived', secondary: ['code-not-activated', 'photos-hidden'] }).map((s) => [s.id, s.action])).toEqual([
      ['activate-code', 'activate-code'],
      ['check-code-gallery', null],
      ['unhide-photos', 'unhide-photos'],
      ['untick-archiving-set-date', 'reopen-job'],
      ['deactivate-campaign', 'reopen-job'],
      ['save-settings', 'reopen-job'],
      ['set-status-selling', 'reopen-job'],
      ['tell-customer', null],
    ]);
  });
  it('each step once, even if a scenario is listed twice', () => {
    expect(ids('code-not-activated', ['code-not-activated', 'photos-hidden', 'photos-hidden'])).toEqual(['activate-code', 'check-code-gallery', 'unhide-photos', 'tell-customer']);
  });
});

describe('telling the customer', () => {
  it('only when the plan repairs a gallery a customer waits for', () => {
    expect(ids('code-from-deleted-job')).not.toContain('tell-customer');
    expect(ids('unknown-code')).not.toContain('tell-customer');
    expect(ids('no-known-cause')).not.toContain('tell-customer');
  });
  it('a repaired gallery is announced even when the primary alone would not be', () => {
    expect(ids('no-known-cause', ['photos-hidden'])).toEqual(['unhide-photos', 'escalate-to-support', 'tell-customer']);
    expect(ids('code-from-deleted-job', ['code-without-photos'])).toEqual(['recreate-job', 'hand-out-new-codes', 'assign-photos', 'tell-customer']);
  });
});

describe('some photos hidden beside visible ones (no fault of the table)', () => {
  it('nothing else in the data: make them visible (the platform can), then tell the customer', () => {
    expect(fixPlan({ scenario: 'no-known-cause', secondary: [] }, { someHidden: true })).toEqual([
      { id: 'unhide-photos', action: 'unhide-photos' },
      { id: 'tell-customer', action: null },
    ]);
  });
  it('a fault in the data comes first: the plan is the fault\'s', () => {
    expect(fixPlan({ scenario: 'job-archived', secondary: [] }, { someHidden: true }).map((s) => s.id)).toEqual(ids('job-archived'));
    expect(fixPlan({ scenario: 'no-known-cause', secondary: ['code-not-activated'] }, { someHidden: true }).map((s) => s.id)).toEqual(ids('no-known-cause', ['code-not-activated']));
  });
});

describe('the fix of a message when no data tells its cause', () => {
  it('"incorrect access code": the article\'s two causes, typing first, then new codes for a code of a deleted job; nothing the platform can do', () => {
    expect(messageFixPlan('incorrect-code')).toEqual([
      { id: 'check-code-typing', action: null },
      { id: 'compare-code-list', action: null },
      { id: 'recreate-codes-if-deleted-job', action: null },
    ]);
  });
  it('the other messages depend on the job\'s facts: no fix without them', () => {
    expect(messageFixPlan('almost-ready')).toBeNull();
    expect(messageFixPlan('missed-sale')).toBeNull();
    expect(messageFixPlan('other')).toBeNull();
  });
});

describe('canonical repair order', () => {
  it('FIX_STEP_IDS repairs galleries before the shop opens, escalates after repairs, tells the customer last', () => {
    const at = (id: FixStepId) => FIX_STEP_IDS.indexOf(id);
    const galleryRepairs: FixStepId[] = ['confirm-photos-linked', 'activate-code', 'check-code-gallery', 'assign-photos', 'unhide-photos'];
    const shopOpening: FixStepId[] = ['untick-archiving-set-date', 'deactivate-campaign', 'save-settings', 'set-status-selling'];
    expect(galleryRepairs.map(at)).toEqual([...galleryRepairs.map(at)].sort((a, b) => a - b));
    expect(Math.max(...galleryRepairs.map(at))).toBeLessThan(Math.min(...shopOpening.map(at)));
    expect(shopOpening.map(at)).toEqual([...shopOpening.map(at)].sort((a, b) => a - b));
    expect(at('escalate-to-support')).toBeGreaterThan(Math.max(...galleryRepairs.map(at), ...shopOpening.map(at)));
    expect(FIX_STEP_IDS.at(-1)).toBe('tell-customer');
  });
});

it('a returned plan is the caller\'s own: changing it does not change later plans', () => {
  const first = fixPlan({ scenario: 'job-archived', secondary: [] });
  for (const s of first) s.action = null;
  first.length = 0;
  expect(fixPlan({ scenario: 'job-archived', secondary: [] })[0]).toEqual({ id: 'untick-archiving-set-date', action: 'reopen-job' });
});
