import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diagnose, SCENARIO_INFO, SCENARIOS, type Diagnosis, type ScenarioId } from '../../src/domain/scenarios.js';
import { fixPlan, FIX_STEP_IDS, type FixStepId } from '../../src/domain/fixPlans.js';
import { SYMPTOMS } from '../../src/domain/symptoms.js';
import { factsFromGallery, factsFromLookup, normalizeJobStatus, type AskableFact, type Facts } from '../../src/domain/facts.js';
import type { Gallery, Job } from '../../src/domain/platformModel.js';

const KNOWN_STATUSES = ['planning', 'selling', 'archived'] as const;
const GALLERY_FAULTS: readonly ScenarioId[] = ['code-not-activated', 'code-without-photos', 'photos-hidden'];

const maybeBool = fc.option(fc.boolean(), { nil: null });
const jobStatus = fc.oneof(
  fc.constantFrom<string | null>(...KNOWN_STATUSES, 'prepay', 'paused', null),
  fc.string(),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Selling', ' selling'),
);
const factsArb: fc.Arbitrary<Facts> = fc.record({
  code: fc.constantFrom('unknown' as const, 'retired' as const, 'found' as const),
  jobStatus,
  codeActivated: maybeBool,
  photosLinked: maybeBool,
  allPhotosHidden: maybeBool,
});
const symptomArb = fc.constantFrom(...SYMPTOMS);
const diagnosisArb = fc.tuple(factsArb, symptomArb).map(([f, s]) => diagnose(f, s));
/** Any primary with any list of secondary faults, even ones diagnose would never produce. */
const planInputArb = fc.oneof(
  diagnosisArb.map((d): Pick<Diagnosis, 'scenario' | 'secondary'> => d),
  fc.record({ scenario: fc.constantFrom(...SCENARIOS), secondary: fc.array(fc.constantFrom(...GALLERY_FAULTS), { maxLength: 4 }) }),
);

const runs = { numRuns: 2000 };

/** The gallery facts that are null and would decide something, in asking order. */
const unknownGalleryFacts = (f: Facts): AskableFact[] => [
  ...(f.codeActivated === null ? ['codeActivated' as const] : []),
  ...(f.photosLinked === null ? ['photosLinked' as const] : []),
  ...(f.photosLinked === true && f.allPhotosHidden === null ? ['allPhotosHidden' as const] : []),
];
const isKnownStatus = (status: string | null): boolean => status !== null && (KNOWN_STATUSES as readonly string[]).includes(status);

describe('diagnose over arbitrary facts and symptoms', () => {
  it('never throws and returns a known scenario', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      const d = diagnose(f, s);
      expect(SCENARIOS).toContain(d.scenario);
      expect(d.reportedSymptom).toBe(s);
      for (const x of d.secondary) expect(SCENARIOS).toContain(x);
    }), runs);
  });

  it('secondary: no duplicates, never the primary, only gallery faults', () => {
    fc.assert(fc.property(diagnosisArb, (d) => {
      expect(new Set(d.secondary).size).toBe(d.secondary.length);
      expect(d.secondary).not.toContain(d.scenario);
      for (const x of d.secondary) expect(GALLERY_FAULTS).toContain(x);
    }), runs);
  });

  it('secondary faults are listed in fixing order', () => {
    fc.assert(fc.property(diagnosisArb, (d) => {
      const order = d.secondary.map((x) => GALLERY_FAULTS.indexOf(x));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(d.secondary.includes('code-without-photos') && d.secondary.includes('photos-hidden')).toBe(false);
    }), runs);
  });

  it('unknown and retired codes have no secondary fault', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      fc.pre(f.code !== 'found');
      const d = diagnose(f, s);
      expect(d.scenario).toBe(f.code === 'unknown' ? 'unknown-code' : 'code-from-deleted-job');
      expect(d.secondary).toEqual([]);
      expect(d.unknownJobStatus).toBeNull();
    }), runs);
  });

  it('an unknown job status means "cannot diagnose": no-known-cause', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      const d = diagnose(f, s);
      if (d.unknownJobStatus !== null) {
        expect(d.scenario).toBe('no-known-cause');
        expect(d.unknownJobStatus).toBe(f.jobStatus);
        expect(d.symptomMismatch).toBe(false);
      }
      const unknownStatus = f.code === 'found' && f.jobStatus !== null && !(KNOWN_STATUSES as readonly string[]).includes(f.jobStatus);
      expect(d.unknownJobStatus !== null).toBe(unknownStatus);
    }), runs);
  });

  it('a gallery fault is never hidden: each blocking fact shows up as primary or secondary', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      fc.pre(f.code === 'found');
      const d = diagnose(f, s);
      const all = [d.scenario, ...d.secondary];
      if (f.codeActivated === false) expect(all).toContain('code-not-activated');
      if (f.photosLinked === false) expect(all).toContain('code-without-photos');
      if (f.photosLinked !== false && f.allPhotosHidden === true) expect(all).toContain('photos-hidden');
      if (f.jobStatus === 'archived') expect(d.scenario).toBe('job-archived');
      if (f.jobStatus === 'planning') expect(d.scenario).toBe('job-in-planning');
    }), runs);
  });

  it('undetermined lists the unknown gallery facts for every known status, "jobStatus" first when the status is unknown', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      const d = diagnose(f, s);
      if (f.code !== 'found') expect(d.undetermined).toEqual([]);
      else if (f.jobStatus === null) expect(d.undetermined).toEqual(['jobStatus', ...unknownGalleryFacts(f)]);
      else if (isKnownStatus(f.jobStatus)) expect(d.undetermined).toEqual(unknownGalleryFacts(f));
      else expect(d.undetermined).toEqual([]);
    }), runs);
  });

  it('symptomMismatch is computed whenever the prediction is determined', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      const d = diagnose(f, s);
      const determined =
        (f.code !== 'found' || isKnownStatus(f.jobStatus)) && !(d.scenario === 'no-known-cause' && d.undetermined.length > 0);
      const explained = [d.scenario, ...d.secondary].map((scenario) => SCENARIO_INFO[scenario].expectedSymptom);
      expect(d.symptomMismatch).toBe(s !== 'other' && determined && !explained.includes(s));
    }), runs);
  });

  it('symptomMismatch is false when the reported symptom is "other"', () => {
    fc.assert(fc.property(factsArb, (f) => {
      expect(diagnose(f, 'other').symptomMismatch).toBe(false);
    }), runs);
  });

  it('is deterministic and does not change its input', () => {
    fc.assert(fc.property(factsArb, symptomArb, (f, s) => {
      const copy = structuredClone(f);
      expect(diagnose(f, s)).toEqual(diagnose(copy, s));
      expect(f).toEqual(copy);
    }), runs);
  });
});

describe('fixPlan over every diagnosis', () => {
  /** The plan of a scenario on its own, without the closing message. */
  const ownSteps = (scenario: ScenarioId) => fixPlan({ scenario, secondary: [] }).map((s) => s.id).filter((id) => id !== 'tell-customer');

  it('is non-empty, with unique, known step ids', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const ids = fixPlan(d).map((s) => s.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(FIX_STEP_IDS).toContain(id);
    }), runs);
  });

  it('is a subsequence of FIX_STEP_IDS (canonical order)', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const positions = fixPlan(d).map((s) => FIX_STEP_IDS.indexOf(s.id));
      for (let i = 1; i < positions.length; i++) expect(positions[i]!).toBeGreaterThan(positions[i - 1]!);
    }), runs);
  });

  it('no step that opens the shop comes before a gallery repair step', () => {
    const galleryRepairs: readonly FixStepId[] = ['confirm-photos-linked', 'activate-code', 'check-code-gallery', 'assign-photos', 'unhide-photos'];
    const shopOpening: readonly FixStepId[] = ['set-status-selling', 'untick-archiving-set-date'];
    fc.assert(fc.property(planInputArb, (d) => {
      const ids = fixPlan(d).map((s) => s.id);
      const lastRepair = Math.max(-1, ...ids.flatMap((id, i) => (galleryRepairs.includes(id) ? [i] : [])));
      for (const id of shopOpening) if (ids.includes(id)) expect(ids.indexOf(id)).toBeGreaterThan(lastRepair);
    }), runs);
  });

  it('escalates to support only after every repair', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const ids = fixPlan(d).map((s) => s.id);
      const at = ids.indexOf('escalate-to-support');
      if (at >= 0) expect(ids.slice(at + 1).every((id) => id === 'tell-customer')).toBe(true);
    }), runs);
  });

  it('contains the primary scenario\'s own steps, in their order', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const ids = fixPlan(d).map((s) => s.id);
      const own: readonly FixStepId[] = ownSteps(d.scenario);
      expect(ids.filter((id) => own.includes(id))).toEqual(own);
    }), runs);
  });

  it('repairs every secondary fault too', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const ids = fixPlan(d).map((s) => s.id);
      for (const x of d.secondary) for (const id of ownSteps(x)) expect(ids).toContain(id);
    }), runs);
  });

  it('job-archived keeps the article\'s order, then tells the customer', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      fc.pre(d.scenario === 'job-archived');
      const ids = fixPlan(d).map((s) => s.id);
      const article = ['untick-archiving-set-date', 'deactivate-campaign', 'save-settings', 'set-status-selling', 'tell-customer'] as const;
      const positions = article.map((id) => ids.indexOf(id));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      if (d.secondary.length === 0) expect(ids).toEqual([...article]);
    }), { numRuns: 500 });
  });

  it('"tell-customer" is last whenever present, and present exactly when the photographer repairs a gallery a customer waits for', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      const plan = fixPlan(d);
      const ids = plan.map((s) => s.id);
      if (ids.includes('tell-customer')) expect(ids.at(-1)).toBe('tell-customer');
      // A deleted job's customers get new codes; an unknown code or cause repairs nothing.
      const repairs = [d.scenario, ...d.secondary].some((s) => s !== 'unknown-code' && s !== 'no-known-cause' && s !== 'code-from-deleted-job');
      expect(ids.includes('tell-customer')).toBe(repairs);
    }), runs);
  });

  it('is deterministic', () => {
    fc.assert(fc.property(planInputArb, (d) => {
      expect(fixPlan(d)).toEqual(fixPlan(structuredClone(d)));
    }), runs);
  });
});

describe('job status normalisation', () => {
  const casing = (status: string) =>
    fc.tuple(fc.array(fc.boolean(), { minLength: status.length, maxLength: status.length }), fc.constantFrom('', ' ', '  ', '\t', '\n'), fc.constantFrom('', ' ', '\n'))
      .map(([upper, before, after]) => before + [...status].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + after);
  const anyCasedKnownStatus = fc.constantFrom(...KNOWN_STATUSES).chain((status) => casing(status).map((raw) => [status, raw] as const));
  const galleryArb: fc.Arbitrary<Gallery> = fc.record({
    id: fc.constant('g'),
    accessCode: fc.constant('AB12CD34'),
    activated: fc.boolean(),
    photos: fc.array(fc.record({ id: fc.string(), hidden: fc.boolean() }), { maxLength: 3 }),
  });
  const job = (status: string, galleries: Gallery[]): Job => ({
    id: 'j', name: 'Oak Lane', photographerId: 'ph', status, archiving: { enabled: false, date: null }, campaignActive: false, deleted: false, galleries,
  });

  it('is idempotent, lower case and trimmed', () => {
    fc.assert(fc.property(fc.string(), (raw) => {
      const once = normalizeJobStatus(raw);
      expect(normalizeJobStatus(once)).toBe(once);
      expect(once).toBe(once.toLowerCase());
      expect(once).toBe(once.trim());
    }), runs);
  });

  it('facts from the platform carry the normalised status', () => {
    fc.assert(fc.property(fc.string(), galleryArb, (raw, gallery) => {
      expect(factsFromGallery(raw, gallery).jobStatus).toBe(normalizeJobStatus(raw));
      expect(factsFromLookup({ kind: 'found', job: job(raw, [gallery]), gallery }).jobStatus).toBe(normalizeJobStatus(raw));
      expect(factsFromLookup({ kind: 'retired', job: { ...job(raw, []), deleted: true } }).jobStatus).toBe(normalizeJobStatus(raw));
    }), runs);
  });

  it('any casing or padding of a known status diagnoses like the status itself', () => {
    fc.assert(fc.property(anyCasedKnownStatus, galleryArb, symptomArb, ([status, raw], gallery, s) => {
      const d = diagnose(factsFromGallery(raw, gallery), s);
      expect(d).toEqual(diagnose(factsFromGallery(status, gallery), s));
      expect(d.unknownJobStatus).toBeNull();
    }), runs);
  });
});
