import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factsFromLookup, hiddenPhotos } from '../../src/domain/facts.js';
import { diagnose } from '../../src/domain/scenarios.js';
import { EmbeddedPlatform, jobVersion } from '../../src/platform/embeddedPlatform.js';
import { PlatformRefusedError, PlatformUnavailableError, type JobChange } from '../../src/platform/port.js';
import { PlatformDataError } from '../../src/platform/schema.js';
import { DEMO_CASES, DEMO_CODES, DEMO_PHOTOGRAPHERS, PLAYGROUND_AAD_OBJECT_ID, type DemoCodeName } from '../support/demoCodes.js';

let folder: string;
let file: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'embedded-platform-'));
  file = join(folder, 'platform.json');
  copyFileSync('demo/platform.json', file);
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const LENA = DEMO_PHOTOGRAPHERS.lena.id;
let keys = 0;
/** Every change under a key of its own, as a new confirmation would send it. */
function applyOnce(platform: EmbeddedPlatform, change: JobChange) {
  keys += 1;
  return platform.applyChange(change, { idempotencyKey: `test-${keys}` });
}
const CAMILLE = DEMO_PHOTOGRAPHERS.camille.id;

function caseOf(name: DemoCodeName) {
  const demoCase = DEMO_CASES[name];
  if (demoCase.jobId === null || demoCase.galleryId === null || demoCase.photographer === null) throw new Error(`${name} has no job`);
  return { jobId: demoCase.jobId, galleryId: demoCase.galleryId, photographerId: DEMO_PHOTOGRAPHERS[demoCase.photographer].id };
}

async function expectRefused(promise: Promise<unknown>, reason: PlatformRefusedError['reason']): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformRefusedError);
  expect((error as PlatformRefusedError).reason).toBe(reason);
}

describe('loading', () => {
  it('names the file when it is missing', async () => {
    const missing = join(folder, 'nope.json');
    await expect(EmbeddedPlatform.load(missing)).rejects.toThrow(new PlatformDataError(missing, 'file not found'));
  });

  it('names the file when it is not JSON', async () => {
    writeFileSync(file, '{ "photographers": [ }');
    const error = await EmbeddedPlatform.load(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformDataError);
    expect((error as Error).message).toMatch(new RegExp(`^PLATFORM_DATA ${file}: not valid JSON \\(.+\\)$`));
  });

  it('names the file and the field when the data is invalid', async () => {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.jobs[2].galleries[0].accessCode = null;
    writeFileSync(file, JSON.stringify(data));
    await expect(EmbeddedPlatform.load(file)).rejects.toThrow(`PLATFORM_DATA ${file}: jobs[2].galleries[0].accessCode: expected a string, got null`);
  });
});

describe('diagnosing the demo codes', () => {
  it.each(Object.keys(DEMO_CODES) as DemoCodeName[])('%s', async (name) => {
    const platform = await EmbeddedPlatform.load(file);
    const expected = DEMO_CASES[name];
    const lookup = await platform.lookupCode(DEMO_CODES[name]);
    const diagnosis = diagnose(factsFromLookup(lookup), 'other');
    expect({ scenario: diagnosis.scenario, secondary: diagnosis.secondary, unknownJobStatus: diagnosis.unknownJobStatus }).toEqual({
      scenario: expected.scenario,
      secondary: expected.secondary,
      unknownJobStatus: expected.unknownJobStatus,
    });
    if (lookup.kind !== 'unknown') {
      expect(lookup.job.id).toBe(expected.jobId);
      expect(lookup.job.photographerId).toBe(expected.photographer === null ? null : DEMO_PHOTOGRAPHERS[expected.photographer].id);
    }
    if (lookup.kind === 'found') {
      expect(lookup.gallery.id).toBe(expected.galleryId);
      const { hidden, total } = hiddenPhotos(lookup.gallery);
      expect(hidden > 0 && hidden < total ? { hidden, total } : null).toEqual(expected.someHidden);
    }
  });

  it('covers every scenario id', async () => {
    const { SCENARIOS } = await import('../../src/domain/scenarios.js');
    const covered = new Set(Object.values(DEMO_CASES).map((c) => c.scenario));
    expect([...covered].sort()).toEqual([...SCENARIOS].sort());
  });
});

describe('lookups', () => {
  it('match codes ignoring case, spaces and dashes', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const code = DEMO_CODES['job-archived'];
    for (const typed of [code.toLowerCase(), `${code.slice(0, 4)} ${code.slice(4)}`, `${code.slice(0, 4)}-${code.slice(4)}`, `  ${code.toLowerCase().split('').join(' ')} `]) {
      const lookup = await platform.lookupCode(typed);
      expect(lookup.kind, typed).toBe('found');
    }
    expect((await platform.lookupCode('')).kind).toBe('unknown');
  });

  it('read look-alike characters as the same (O and 0; I, L and 1), and give the gallery with the code as stored', async () => {
    const platform = await EmbeddedPlatform.load(file);
    for (const [typed, stored] of [
      [DEMO_CODES['look-alike-typo'], DEMO_CODES['look-alike-o']],
      ['0ak7-q2m9', DEMO_CODES['look-alike-o']],
      ['FOXBIK7T', DEMO_CODES['look-alike-0-1']],
      ['foxblk7t', DEMO_CODES['look-alike-0-1']],
    ] as const) {
      const lookup = await platform.lookupCode(typed);
      expect(lookup.kind === 'found' ? lookup.gallery.accessCode : lookup.kind, typed).toBe(stored);
    }
    // Other look-alikes (S/5, B/8, Z/2) are different characters on the card.
    expect((await platform.lookupCode('MXRZ9PLT')).kind).toBe('unknown');
    expect((await platform.lookupCode('RJ6TCX98')).kind).toBe('unknown');
  });

  it('gives a retired code with its deleted job', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const lookup = await platform.lookupCode(DEMO_CODES['code-from-deleted-job'].toLowerCase());
    expect(lookup.kind).toBe('retired');
    if (lookup.kind === 'retired') expect(lookup.job.deleted).toBe(true);
  });

  it('finds photographers by Teams aadObjectId and Slack user id', async () => {
    const platform = await EmbeddedPlatform.load(file);
    expect((await platform.photographerByChannelUser('msteams', PLAYGROUND_AAD_OBJECT_ID))?.id).toBe(LENA);
    expect((await platform.photographerByChannelUser('msteams', DEMO_PHOTOGRAPHERS.camille.msteams[0].toUpperCase()))?.id).toBe(CAMILLE);
    expect((await platform.photographerByChannelUser('slack', DEMO_PHOTOGRAPHERS.megan.slack[1]))?.id).toBe(DEMO_PHOTOGRAPHERS.megan.id);
    // A Slack id is not a Teams id, and unknown users are nobody.
    expect(await platform.photographerByChannelUser('msteams', DEMO_PHOTOGRAPHERS.lena.slack[0])).toBeNull();
    expect(await platform.photographerByChannelUser('slack', 'U000NOBODY')).toBeNull();
  });

  it('finds jobs by exact id or by name, ignoring case and accents, only the photographer’s own live jobs', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const names = async (photographerId: string, query: string) => (await platform.findJobs(photographerId, query)).map((job) => job.id);
    const archived = caseOf('job-archived');
    expect(await names(LENA, archived.jobId)).toEqual([archived.jobId]);
    expect(await names(LENA, 'am park')).toEqual([archived.jobId]); // the deleted Frühjahr job is left out
    expect(await names(LENA, 'FRUHJAHR')).toEqual([]);
    expect(await names(LENA, 'herbst')).toEqual([archived.jobId]);
    expect(await names(LENA, 'Park - Herbst')).toEqual([archived.jobId]); // typed hyphen, stored en dash
    expect(await names(CAMILLE, 'ecole jean')).toEqual([caseOf('code-not-activated').jobId]);
    expect(await names(CAMILLE, 'COLLÈGE')).toEqual([caseOf('job-in-planning+code-not-activated').jobId]);
    // Never another photographer's job, by name or by id.
    expect(await names(CAMILLE, 'Am Park')).toEqual([]);
    expect(await names(CAMILLE, archived.jobId)).toEqual([]);
    expect(await names('ph-nobody', '')).toEqual([]);
    expect((await names(CAMILLE, '')).length).toBe(2);
  });

  it('gets jobs by id, deleted ones marked as such', async () => {
    const platform = await EmbeddedPlatform.load(file);
    expect((await platform.getJob(caseOf('job-archived').jobId))?.status).toBe('archived');
    expect((await platform.getJob(caseOf('code-from-deleted-job').jobId))?.deleted).toBe(true);
    expect(await platform.getJob('job-0000')).toBeNull();
  });

  it('hands out frozen data: a caller that changes what it read fails, and the platform is unchanged', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId } = caseOf('job-archived');
    const job = await platform.getJob(jobId);
    expect(() => (job!.status = 'selling')).toThrow(TypeError);
    expect(() => (job!.galleries[0]!.activated = false)).toThrow(TypeError);
    const lookup = await platform.lookupCode(DEMO_CODES['job-archived']);
    if (lookup.kind !== 'found') throw new Error('expected found');
    expect(() => (lookup.job.status = 'selling')).toThrow(TypeError);
    expect(() => (lookup.gallery.photos.length = 0)).toThrow(TypeError);
    const [found] = await platform.findJobs(LENA, jobId);
    expect(() => (found!.name = 'changed')).toThrow(TypeError);
    const photographer = await platform.photographerByChannelUser('msteams', PLAYGROUND_AAD_OBJECT_ID);
    expect(() => (photographer!.channels.msteams!.length = 0)).toThrow(TypeError);
    const result = await applyOnce(platform, { kind: 'set-selling', jobId: caseOf('job-in-planning').jobId, photographerId: DEMO_PHOTOGRAPHERS.megan.id });
    expect(() => (result.after.status = 'planning')).toThrow(TypeError);
    expect(() => (result.before.status = 'archived')).toThrow(TypeError);

    const again = await platform.getJob(jobId);
    expect(again?.status).toBe('archived');
    expect(again?.name).toBe('Grundschule Am Park – Herbst 2026');
    expect(again?.galleries[0]?.activated).toBe(true);
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['job-archived'])), 'other').scenario).toBe('job-archived');
    expect((await platform.photographerByChannelUser('msteams', PLAYGROUND_AAD_OBJECT_ID))?.id).toBe(LENA);
    expect((await platform.getJob(caseOf('job-in-planning').jobId))?.status).toBe('selling');
  });
});

describe('changes', () => {
  it('reopens an archived job: selling, archiving on with the new date, campaign off', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId } = caseOf('job-archived');
    const { before, after } = await applyOnce(platform, { kind: 'reopen-job', jobId, photographerId, archiveDate: '2026-12-20' });
    expect(before).toMatchObject({ status: 'archived', archiving: { enabled: true, date: '2026-10-12' }, campaignActive: true });
    expect(after).toMatchObject({ status: 'selling', archiving: { enabled: true, date: '2026-12-20' }, campaignActive: false });
    expect(after.galleries).toEqual(before.galleries);
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['job-archived'])), 'other').scenario).toBe('no-known-cause');
    // The code that was also not activated is now an ordinary selling-job fault.
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['job-archived+code-not-activated'])), 'other').scenario).toBe('code-not-activated');
  });

  it('sets a job to selling', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId } = caseOf('job-in-planning');
    const { before, after } = await applyOnce(platform, { kind: 'set-selling', jobId, photographerId });
    expect([before.status, after.status]).toEqual(['planning', 'selling']);
    expect(after.archiving).toEqual(before.archiving);
    expect(after.campaignActive).toBe(before.campaignActive);
  });

  it('activates a code, and only that gallery', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId, galleryId } = caseOf('code-not-activated');
    const { before, after } = await applyOnce(platform, { kind: 'activate-code', jobId, photographerId, galleryId });
    const changed = after.galleries.filter((gallery, i) => gallery.activated !== before.galleries[i]?.activated).map((g) => g.id);
    expect(changed).toEqual([galleryId]);
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['code-not-activated'])), 'other').scenario).toBe('no-known-cause');
    // The other not-activated code of the same job stays as it was.
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['code-not-activated+code-without-photos'])), 'other').scenario).toBe(
      'code-not-activated',
    );
  });

  it('unhides every photo of a gallery', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId, galleryId } = caseOf('photos-hidden');
    const { after } = await applyOnce(platform, { kind: 'unhide-photos', jobId, photographerId, galleryId });
    const gallery = after.galleries.find((g) => g.id === galleryId);
    expect(gallery?.photos.length).toBeGreaterThan(0);
    expect(gallery?.photos.every((photo) => !photo.hidden)).toBe(true);
    // The partially hidden gallery of the same job is untouched.
    const partial = after.galleries.find((g) => g.id === caseOf('partially-hidden').galleryId);
    expect(partial?.photos.some((photo) => photo.hidden)).toBe(true);
  });

  it.each<[string, () => JobChange, PlatformRefusedError['reason']]>([
    ['an unknown job', () => ({ kind: 'set-selling', jobId: 'job-0000', photographerId: LENA }), 'not-found'],
    ['another photographer’s job', () => ({ kind: 'set-selling', jobId: caseOf('job-archived').jobId, photographerId: CAMILLE }), 'not-owner'],
    [
      'another photographer’s gallery change',
      () => ({ kind: 'activate-code', jobId: caseOf('code-not-activated').jobId, photographerId: LENA, galleryId: caseOf('code-not-activated').galleryId }),
      'not-owner',
    ],
    ['a deleted job', () => ({ kind: 'reopen-job', ...caseOf('code-from-deleted-job'), archiveDate: '2026-12-20' }), 'job-deleted'],
    ['a gallery of another job', () => ({ kind: 'activate-code', ...caseOf('code-not-activated'), galleryId: caseOf('job-archived').galleryId }), 'invalid-change'],
    ['an unknown gallery', () => ({ kind: 'unhide-photos', ...caseOf('photos-hidden'), galleryId: 'g-nope' }), 'invalid-change'],
    ['an impossible archive date', () => ({ kind: 'reopen-job', ...caseOf('job-archived'), archiveDate: '2026-11-31' }), 'invalid-change'],
    ['an archive date in another format', () => ({ kind: 'reopen-job', ...caseOf('job-archived'), archiveDate: '20.12.2026' }), 'invalid-change'],
  ])('refuses %s and changes nothing', async (_label, change, reason) => {
    const platform = await EmbeddedPlatform.load(file);
    const bytes = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    const jobsBefore = await Promise.all(['job-4102', 'job-4230', 'job-4215', 'job-3877'].map((id) => platform.getJob(id)));
    await expectRefused(applyOnce(platform, change()), reason);
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(await Promise.all(['job-4102', 'job-4230', 'job-4215', 'job-3877'].map((id) => platform.getJob(id)))).toEqual(jobsBefore);
    expect(readdirSync(folder)).toEqual(['platform.json']);
  });

  it('keeps a change across a reload of the file, and leaves no temp file', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId } = caseOf('job-archived');
    await applyOnce(platform, { kind: 'reopen-job', jobId, photographerId, archiveDate: '2026-12-13' });
    expect(readdirSync(folder)).toEqual(['platform.json']);
    const reloaded = await EmbeddedPlatform.load(file);
    expect(await reloaded.getJob(jobId)).toMatchObject({ status: 'selling', archiving: { enabled: true, date: '2026-12-13' }, campaignActive: false });
    // Everything else is as it was.
    const original = await EmbeddedPlatform.load('demo/platform.json');
    for (const other of ['job-4230', 'job-4215', 'job-3877', 'job-4263']) expect(await reloaded.getJob(other)).toEqual(await original.getJob(other));
  });

  it('writes the file in the demo file’s own format, so an unchanged job stays byte-identical', async () => {
    const platform = await EmbeddedPlatform.load(file);
    await applyOnce(platform, { kind: 'set-selling', ...caseOf('job-in-planning') });
    const demo = readFileSync('demo/platform.json', 'utf8').split('\n');
    const { appliedChanges, ...data } = JSON.parse(readFileSync(file, 'utf8')) as { appliedChanges: { key: string }[] };
    const written = `${JSON.stringify(data, null, 2)}\n`.split('\n');
    expect(written.length).toBe(demo.length);
    expect(written.filter((line, i) => line !== demo[i])).toEqual(['      "status": "selling",']);
    // The change's idempotency key is written with it, after the data.
    expect(appliedChanges.map((applied) => applied.key)).toEqual([`test-${keys}`]);
    expect(readFileSync(file, 'utf8').indexOf('"appliedChanges"')).toBeGreaterThan(readFileSync(file, 'utf8').lastIndexOf('"jobs"'));
  });

  it('answers a repeated idempotency key with the first result, also after a restart, and changes nothing more', async () => {
    const archived = caseOf('job-archived');
    const first = await EmbeddedPlatform.load(file);
    const original = await first.applyChange({ kind: 'reopen-job', ...archived, archiveDate: '2026-12-20' }, { idempotencyKey: 'case-1:reopen' });
    await first.applyChange({ kind: 'reopen-job', ...archived, archiveDate: '2027-01-10' }, { idempotencyKey: 'case-2:reopen' });
    const restarted = await EmbeddedPlatform.load(file);
    const repeated = await restarted.applyChange({ kind: 'reopen-job', ...archived, archiveDate: '2026-12-20' }, { idempotencyKey: 'case-1:reopen' });
    expect(repeated).toEqual(original);
    expect((await restarted.getJob(archived.jobId))?.archiving.date).toBe('2027-01-10');
    // The same key for another change is refused, not applied.
    await expectRefused(restarted.applyChange({ kind: 'set-selling', ...caseOf('job-in-planning') }, { idempotencyKey: 'case-1:reopen' }), 'invalid-change');
  });

  it('refuses a change made against an older version of the job', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const planning = caseOf('job-in-planning+code-not-activated');
    const stale = jobVersion((await platform.getJob(planning.jobId))!);
    await applyOnce(platform, { kind: 'activate-code', ...planning });
    await expectRefused(platform.applyChange({ kind: 'set-selling', ...planning }, { idempotencyKey: 'stale', ifVersion: stale }), 'job-changed');
    const current = jobVersion((await platform.getJob(planning.jobId))!);
    expect((await platform.applyChange({ kind: 'set-selling', ...planning }, { idempotencyKey: 'fresh', ifVersion: current })).after.status).toBe('selling');
  });

  it('applies concurrent changes one after the other: both land', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const archived = caseOf('job-archived');
    const planning = caseOf('job-in-planning');
    const inactive = caseOf('code-not-activated');
    const hidden = caseOf('photos-hidden');
    const results = await Promise.all([
      applyOnce(platform, { kind: 'reopen-job', ...archived, archiveDate: '2026-12-20' }),
      applyOnce(platform, { kind: 'set-selling', ...planning }),
      applyOnce(platform, { kind: 'activate-code', ...inactive }),
      applyOnce(platform, { kind: 'activate-code', ...caseOf('code-not-activated+code-without-photos') }),
      applyOnce(platform, { kind: 'unhide-photos', ...hidden }),
    ]);
    // Two changes to the same job: the second saw the first.
    expect(results[3]?.before.galleries.find((g) => g.id === inactive.galleryId)?.activated).toBe(true);
    const reloaded = await EmbeddedPlatform.load(file);
    expect((await reloaded.getJob(archived.jobId))?.status).toBe('selling');
    expect((await reloaded.getJob(planning.jobId))?.status).toBe('selling');
    expect((await reloaded.getJob(inactive.jobId))?.galleries.every((g) => g.activated)).toBe(true);
    expect(diagnose(factsFromLookup(await reloaded.lookupCode(DEMO_CODES['photos-hidden'])), 'other').scenario).toBe('no-known-cause');
  });

  it('a refused change does not stop the ones queued behind it', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const refused = applyOnce(platform, { kind: 'set-selling', jobId: 'job-0000', photographerId: LENA });
    const accepted = applyOnce(platform, { kind: 'set-selling', ...caseOf('job-in-planning') });
    await expectRefused(refused, 'not-found');
    expect((await accepted).after.status).toBe('selling');
  });

  it('when the file cannot be written, reports the platform unavailable and changes nothing in memory', async () => {
    const platform = await EmbeddedPlatform.load(file);
    const { jobId, photographerId } = caseOf('job-archived');
    rmSync(folder, { recursive: true, force: true }); // the folder is gone: the temp file cannot be created
    const error = await applyOnce(platform, { kind: 'reopen-job', jobId, photographerId, archiveDate: '2026-12-20' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect((await platform.getJob(jobId))?.status).toBe('archived');
    expect(diagnose(factsFromLookup(await platform.lookupCode(DEMO_CODES['job-archived'])), 'other').scenario).toBe('job-archived');
  });
});
