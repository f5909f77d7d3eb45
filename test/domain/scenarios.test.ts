import { describe, expect, it } from 'vitest';
import { diagnose, SCENARIO_INFO, SCENARIOS, type ScenarioId } from '../../src/domain/scenarios.js';
import { factsFromGallery, factsFromLookup, normalizeJobStatus, UNKNOWN_FACTS, type Facts } from '../../src/domain/facts.js';
import type { Symptom } from '../../src/domain/symptoms.js';
import type { Gallery, Job } from '../../src/domain/platformModel.js';

/** A live code in a Selling job, activated, with visible photos: nothing wrong. */
const healthy: Facts = { code: 'found', jobStatus: 'selling', codeActivated: true, photosLinked: true, allPhotosHidden: false };
const facts = (over: Partial<Facts>): Facts => ({ ...healthy, ...over });

describe('the design scenario table, one row each', () => {
  const rows: Array<{ scenario: ScenarioId; facts: Facts; symptom: Symptom | null }> = [
    { scenario: 'unknown-code', facts: { ...UNKNOWN_FACTS, code: 'unknown' }, symptom: 'incorrect-code' },
    { scenario: 'code-from-deleted-job', facts: { ...UNKNOWN_FACTS, code: 'retired', jobStatus: 'selling' }, symptom: 'incorrect-code' },
    { scenario: 'job-archived', facts: facts({ jobStatus: 'archived' }), symptom: 'missed-sale' },
    { scenario: 'job-in-planning', facts: facts({ jobStatus: 'planning' }), symptom: 'almost-ready' },
    { scenario: 'code-not-activated', facts: facts({ codeActivated: false }), symptom: 'almost-ready' },
    { scenario: 'code-without-photos', facts: facts({ photosLinked: false, allPhotosHidden: null }), symptom: 'almost-ready' },
    { scenario: 'photos-hidden', facts: facts({ allPhotosHidden: true }), symptom: 'almost-ready' },
    { scenario: 'no-known-cause', facts: healthy, symptom: null },
  ];

  it('covers every scenario exactly once', () => {
    expect(rows.map((r) => r.scenario).sort()).toEqual([...SCENARIOS].sort());
  });

  it.each(rows)('$scenario', ({ scenario, facts: f, symptom }) => {
    expect(SCENARIO_INFO[scenario].expectedSymptom).toBe(symptom);
    const d = diagnose(f, symptom ?? 'other');
    expect(d).toEqual({
      scenario,
      secondary: [],
      reportedSymptom: symptom ?? 'other',
      symptomMismatch: false,
      unknownJobStatus: null,
      undetermined: [],
    });
  });

  it('the article: Planning with an activated code shows "almost ready"', () => {
    expect(diagnose(facts({ jobStatus: 'planning' }), 'almost-ready').symptomMismatch).toBe(false);
  });

  it('retired and unknown codes ignore whatever else is known', () => {
    for (const code of ['unknown', 'retired'] as const) {
      const d = diagnose({ code, jobStatus: 'archived', codeActivated: false, photosLinked: false, allPhotosHidden: null }, 'incorrect-code');
      expect(d.scenario).toBe(code === 'unknown' ? 'unknown-code' : 'code-from-deleted-job');
      expect(d.secondary).toEqual([]);
      expect(d.undetermined).toEqual([]);
      expect(d.unknownJobStatus).toBeNull();
    }
  });
});

describe('secondary faults', () => {
  const cases: Array<{ name: string; facts: Facts; scenario: ScenarioId; secondary: ScenarioId[] }> = [
    { name: 'archived + not activated', facts: facts({ jobStatus: 'archived', codeActivated: false }), scenario: 'job-archived', secondary: ['code-not-activated'] },
    { name: 'planning + no photos', facts: facts({ jobStatus: 'planning', photosLinked: false, allPhotosHidden: null }), scenario: 'job-in-planning', secondary: ['code-without-photos'] },
    { name: 'planning + all hidden', facts: facts({ jobStatus: 'planning', allPhotosHidden: true }), scenario: 'job-in-planning', secondary: ['photos-hidden'] },
    { name: 'archived + not activated + no photos', facts: facts({ jobStatus: 'archived', codeActivated: false, photosLinked: false, allPhotosHidden: null }), scenario: 'job-archived', secondary: ['code-not-activated', 'code-without-photos'] },
    { name: 'selling + not activated + no photos', facts: facts({ codeActivated: false, photosLinked: false, allPhotosHidden: null }), scenario: 'code-not-activated', secondary: ['code-without-photos'] },
    { name: 'selling + not activated + all hidden', facts: facts({ codeActivated: false, allPhotosHidden: true }), scenario: 'code-not-activated', secondary: ['photos-hidden'] },
    { name: 'no photos wins over a contradictory "all hidden"', facts: facts({ photosLinked: false, allPhotosHidden: true }), scenario: 'code-without-photos', secondary: [] },
    { name: 'photos present, only some hidden: not a fault', facts: facts({ allPhotosHidden: false }), scenario: 'no-known-cause', secondary: [] },
  ];
  it.each(cases)('$name', ({ facts: f, scenario, secondary }) => {
    const d = diagnose(f, 'other');
    expect(d.scenario).toBe(scenario);
    expect(d.secondary).toEqual(secondary);
  });

  it('a gallery with some hidden photos gives facts without a fault', () => {
    const gallery: Gallery = { id: 'g', accessCode: 'AB12CD34', activated: true, photos: [{ id: 'p1', hidden: true }, { id: 'p2', hidden: false }] };
    const f = factsFromGallery('selling', gallery);
    expect(f).toEqual(healthy);
    expect(diagnose(f, 'almost-ready').scenario).toBe('no-known-cause');
  });

  it('a gallery whose photos are all hidden', () => {
    const gallery: Gallery = { id: 'g', accessCode: 'AB12CD34', activated: true, photos: [{ id: 'p1', hidden: true }] };
    expect(diagnose(factsFromGallery('selling', gallery), 'almost-ready').scenario).toBe('photos-hidden');
  });

  it('an empty gallery: no photos, and "all hidden" is not known rather than vacuously true', () => {
    const gallery: Gallery = { id: 'g', accessCode: 'AB12CD34', activated: true, photos: [] };
    const f = factsFromGallery('selling', gallery);
    expect(f.photosLinked).toBe(false);
    expect(f.allPhotosHidden).toBeNull();
    expect(diagnose(f, 'almost-ready')).toMatchObject({ scenario: 'code-without-photos', secondary: [], symptomMismatch: false });
  });
});

describe('factsFromLookup', () => {
  const job = (status: string, galleries: Gallery[] = []): Job => ({
    id: 'j', name: 'Oak Lane', photographerId: 'ph', status, archiving: { enabled: true, date: '2026-12-20' }, campaignActive: true, deleted: false, galleries,
  });
  it('maps each lookup kind', () => {
    expect(diagnose(factsFromLookup({ kind: 'unknown' }), 'incorrect-code').scenario).toBe('unknown-code');
    expect(diagnose(factsFromLookup({ kind: 'retired', job: { ...job('selling'), deleted: true } }), 'incorrect-code').scenario).toBe('code-from-deleted-job');
    const gallery: Gallery = { id: 'g', accessCode: 'X', activated: false, photos: [] };
    expect(diagnose(factsFromLookup({ kind: 'found', job: job('archived', [gallery]), gallery }), 'missed-sale')).toMatchObject({
      scenario: 'job-archived', secondary: ['code-not-activated', 'code-without-photos'], symptomMismatch: false,
    });
  });

  it('normalises the job status of found and retired codes', () => {
    const gallery: Gallery = { id: 'g', accessCode: 'X', activated: true, photos: [{ id: 'p1', hidden: false }] };
    expect(factsFromLookup({ kind: 'found', job: job(' ARCHIVED ', [gallery]), gallery }).jobStatus).toBe('archived');
    expect(diagnose(factsFromLookup({ kind: 'found', job: job(' ARCHIVED ', [gallery]), gallery }), 'missed-sale')).toMatchObject({
      scenario: 'job-archived', unknownJobStatus: null, symptomMismatch: false,
    });
    expect(factsFromLookup({ kind: 'retired', job: { ...job('Selling'), deleted: true } }).jobStatus).toBe('selling');
    expect(diagnose(factsFromLookup({ kind: 'found', job: job('Prepay', [gallery]), gallery }), 'other').unknownJobStatus).toBe('prepay');
  });
});

describe('normalizeJobStatus', () => {
  it.each([
    ['selling', 'selling'],
    ['Selling', 'selling'],
    ['SELLING', 'selling'],
    [' ARCHIVED ', 'archived'],
    ['\tPlanning\n', 'planning'],
    ['Prepay', 'prepay'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (raw, normalized) => {
    expect(normalizeJobStatus(raw)).toBe(normalized);
  });

  it('factsFromGallery applies it: "Selling" is the known status', () => {
    const gallery: Gallery = { id: 'g', accessCode: 'AB12CD34', activated: true, photos: [{ id: 'p1', hidden: false }] };
    expect(factsFromGallery('Selling', gallery)).toEqual(healthy);
    expect(diagnose(factsFromGallery('Selling', gallery), 'missed-sale')).toMatchObject({ scenario: 'no-known-cause', unknownJobStatus: null, symptomMismatch: true });
    expect(factsFromGallery(' ARCHIVED ', gallery).jobStatus).toBe('archived');
    expect(diagnose(factsFromGallery(' Planning', gallery), 'almost-ready').scenario).toBe('job-in-planning');
  });
});

describe('job statuses the bot does not know', () => {
  // Facts handed to diagnose directly are compared exactly: only the platform adapters normalise.
  it.each(['prepay', 'paused', '', 'SELLING', 'Selling ', 'constructor', '__proto__', 'toString'])('%j: cannot diagnose, no crash', (status) => {
    const d = diagnose(facts({ jobStatus: status }), 'almost-ready');
    expect(d.scenario).toBe('no-known-cause');
    expect(d.unknownJobStatus).toBe(status);
    expect(d.symptomMismatch).toBe(false);
    expect(d.undetermined).toEqual([]);
  });

  it('still reports gallery faults that block access in any status', () => {
    const d = diagnose(facts({ jobStatus: 'prepay', codeActivated: false }), 'other');
    expect(d).toMatchObject({ scenario: 'no-known-cause', secondary: ['code-not-activated'], unknownJobStatus: 'prepay' });
  });
});

describe('facts nobody could tell (null)', () => {
  it('nothing known about a live code', () => {
    expect(diagnose(UNKNOWN_FACTS, 'almost-ready')).toMatchObject({
      scenario: 'no-known-cause', secondary: [], symptomMismatch: false, unknownJobStatus: null,
      undetermined: ['jobStatus', 'codeActivated', 'photosLinked'],
    });
  });

  it('job status unknown, gallery faults known', () => {
    const d = diagnose(facts({ jobStatus: null, codeActivated: false }), 'almost-ready');
    expect(d).toMatchObject({ scenario: 'no-known-cause', secondary: ['code-not-activated'], undetermined: ['jobStatus'], symptomMismatch: false });
  });

  it('selling, nothing found, some gallery facts unknown: asks for them', () => {
    expect(diagnose(facts({ codeActivated: null }), 'almost-ready').undetermined).toEqual(['codeActivated']);
    expect(diagnose(facts({ photosLinked: null, allPhotosHidden: null }), 'almost-ready').undetermined).toEqual(['photosLinked']);
    expect(diagnose(facts({ allPhotosHidden: null }), 'almost-ready').undetermined).toEqual(['allPhotosHidden']);
    expect(diagnose(facts({ codeActivated: null, allPhotosHidden: null }), 'missed-sale')).toMatchObject({
      scenario: 'no-known-cause', undetermined: ['codeActivated', 'allPhotosHidden'], symptomMismatch: false,
    });
  });

  it('"all hidden" is not asked when there are no photos', () => {
    expect(diagnose(facts({ jobStatus: null, photosLinked: false, allPhotosHidden: null }), 'other').undetermined).toEqual(['jobStatus']);
  });

  it('archived or planning decides the primary even when gallery facts are unknown, and asks for them', () => {
    const unknownGallery = { codeActivated: null, photosLinked: null, allPhotosHidden: null };
    expect(diagnose(facts({ jobStatus: 'archived', ...unknownGallery }), 'missed-sale')).toMatchObject({
      scenario: 'job-archived', secondary: [], undetermined: ['codeActivated', 'photosLinked'], symptomMismatch: false,
    });
    expect(diagnose(facts({ jobStatus: 'planning', ...unknownGallery }), 'almost-ready')).toMatchObject({
      scenario: 'job-in-planning', secondary: [], undetermined: ['codeActivated', 'photosLinked'], symptomMismatch: false,
    });
    expect(diagnose(facts({ jobStatus: 'planning', allPhotosHidden: null }), 'almost-ready').undetermined).toEqual(['allPhotosHidden']);
    expect(diagnose(facts({ jobStatus: 'archived', codeActivated: null, photosLinked: false, allPhotosHidden: null }), 'missed-sale')).toMatchObject({
      scenario: 'job-archived', secondary: ['code-without-photos'], undetermined: ['codeActivated'],
    });
  });

  it('selling with a gallery fault still asks for the other unknown gallery facts', () => {
    expect(diagnose(facts({ codeActivated: null, photosLinked: false, allPhotosHidden: null }), 'almost-ready')).toMatchObject({
      scenario: 'code-without-photos', secondary: [], undetermined: ['codeActivated'], symptomMismatch: false,
    });
    expect(diagnose(facts({ codeActivated: false, allPhotosHidden: null }), 'almost-ready')).toMatchObject({
      scenario: 'code-not-activated', secondary: [], undetermined: ['allPhotosHidden'],
    });
  });
});

describe('symptom mismatch', () => {
  const scenarioFacts: Record<ScenarioId, Facts> = {
    'unknown-code': { ...UNKNOWN_FACTS, code: 'unknown' },
    'code-from-deleted-job': { ...UNKNOWN_FACTS, code: 'retired' },
    'job-archived': facts({ jobStatus: 'archived' }),
    'job-in-planning': facts({ jobStatus: 'planning' }),
    'code-not-activated': facts({ codeActivated: false }),
    'code-without-photos': facts({ photosLinked: false, allPhotosHidden: null }),
    'photos-hidden': facts({ allPhotosHidden: true }),
    'no-known-cause': healthy,
  };
  const reports = ['almost-ready', 'incorrect-code', 'missed-sale', 'other'] as const;
  const grid = SCENARIOS.flatMap((scenario) => reports.map((reported) => ({ scenario, reported })));

  it.each(grid)('$scenario reported as $reported', ({ scenario, reported }) => {
    const d = diagnose(scenarioFacts[scenario], reported);
    expect(d.scenario).toBe(scenario);
    const expected = SCENARIO_INFO[scenario].expectedSymptom;
    expect(d.symptomMismatch).toBe(reported !== 'other' && reported !== expected);
  });

  it('"missed the sale" on a Selling job with everything fine mismatches', () => {
    expect(diagnose(healthy, 'missed-sale').symptomMismatch).toBe(true);
  });
  it('"missed the sale" on a Selling job with a gallery fault mismatches', () => {
    expect(diagnose(facts({ codeActivated: false }), 'missed-sale').symptomMismatch).toBe(true);
  });
  it('"incorrect code" for a live code in an archived job mismatches', () => {
    expect(diagnose(facts({ jobStatus: 'archived' }), 'incorrect-code').symptomMismatch).toBe(true);
  });
  it('"almost ready" for a code that exists nowhere mismatches', () => {
    expect(diagnose({ ...UNKNOWN_FACTS, code: 'unknown' }, 'almost-ready').symptomMismatch).toBe(true);
  });
  it('any fault found may explain what the person sees, the primary or a secondary one', () => {
    expect(diagnose(facts({ jobStatus: 'archived', codeActivated: false }), 'missed-sale').symptomMismatch).toBe(false);
    expect(diagnose(facts({ jobStatus: 'archived', codeActivated: false }), 'almost-ready').symptomMismatch).toBe(false);
    expect(diagnose(facts({ jobStatus: 'archived', codeActivated: false }), 'incorrect-code').symptomMismatch).toBe(true);
  });
  it('"other" never mismatches', () => {
    for (const f of Object.values(scenarioFacts)) expect(diagnose(f, 'other').symptomMismatch).toBe(false);
  });
  it('is not claimed when the data cannot tell (unknown status or undetermined facts)', () => {
    expect(diagnose(facts({ jobStatus: 'prepay' }), 'missed-sale').symptomMismatch).toBe(false);
    expect(diagnose(facts({ jobStatus: null }), 'missed-sale').symptomMismatch).toBe(false);
    expect(diagnose(facts({ allPhotosHidden: null }), 'missed-sale').symptomMismatch).toBe(false);
  });
  it('is claimed whenever the prediction is determined, even with gallery facts unknown', () => {
    expect(diagnose(facts({ codeActivated: null, photosLinked: false, allPhotosHidden: null }), 'missed-sale')).toMatchObject({
      scenario: 'code-without-photos', undetermined: ['codeActivated'], symptomMismatch: true,
    });
    const unknownGallery = { codeActivated: null, photosLinked: null, allPhotosHidden: null };
    expect(diagnose(facts({ jobStatus: 'archived', ...unknownGallery }), 'almost-ready').symptomMismatch).toBe(true);
    expect(diagnose(facts({ jobStatus: 'planning', ...unknownGallery }), 'missed-sale').symptomMismatch).toBe(true);
    expect(diagnose(facts({ jobStatus: 'planning', ...unknownGallery }), 'incorrect-code').symptomMismatch).toBe(true);
  });
  it('keeps the reported symptom', () => {
    expect(diagnose(healthy, 'missed-sale').reportedSymptom).toBe('missed-sale');
  });
});
