import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIsoDate as isIsoCalendarDate } from '../../src/domain/archiveDate.js';
import { parsePlatformData, PlatformDataError } from '../../src/platform/schema.js';
import { DEMO_PHOTOGRAPHERS, PLAYGROUND_AAD_OBJECT_ID } from '../support/demoCodes.js';

const DEMO_FILE = 'demo/platform.json';
const SOURCE = 'demo/platform.json';

function demo(): any {
  return JSON.parse(readFileSync(DEMO_FILE, 'utf8'));
}

/** Parses `data` after `mutate`, expecting a PlatformDataError; returns its message. */
function errorFor(mutate: (data: any) => void): string {
  const data = demo();
  mutate(data);
  try {
    parsePlatformData(data, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformDataError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`PLATFORM_DATA ${SOURCE}: `)).toBe(true);
    return message;
  }
  throw new Error('expected the data to be rejected');
}

describe('platform data schema', () => {
  it('accepts the demo data set', () => {
    const data = parsePlatformData(demo(), SOURCE);
    expect(data.photographers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(data.photographers.map((p) => p.locale)).size).toBeGreaterThanOrEqual(3);
    const lena = data.photographers.find((p) => p.id === DEMO_PHOTOGRAPHERS.lena.id);
    expect(lena?.channels.msteams).toContain(PLAYGROUND_AAD_OBJECT_ID);
    expect(data.jobs.some((job) => job.deleted)).toBe(true);
    expect(data.jobs.map((job) => job.status)).toEqual(expect.arrayContaining(['planning', 'selling', 'archived', 'prepay', 'paused']));
  });

  it('loads any non-empty status', () => {
    expect(() => parsePlatformData(demo(), SOURCE)).not.toThrow();
    const data = demo();
    data.jobs[0].status = 'on-hold-2031';
    expect(parsePlatformData(data, SOURCE).jobs[0]?.status).toBe('on-hold-2031');
  });

  it.each([
    ['a wrong type', (d: any) => (d.jobs[2].galleries[0].accessCode = 42), 'jobs[2].galleries[0].accessCode: expected a string, got number'],
    ['a missing field', (d: any) => delete d.jobs[1].campaignActive, 'jobs[1].campaignActive: missing (expected true or false)'],
    ['a boolean as text', (d: any) => (d.jobs[0].galleries[1].photos[0].hidden = 'no'), 'jobs[0].galleries[1].photos[0].hidden: expected true or false, got string'],
    ['a list that is not a list', (d: any) => (d.jobs[3].galleries = {}), 'jobs[3].galleries: expected a list, got object'],
    ['an empty status', (d: any) => (d.jobs[4].status = ''), 'jobs[4].status: must not be empty'],
    ['an empty name', (d: any) => (d.jobs[0].name = '   '), 'jobs[0].name: must not be empty'],
    ['an impossible date', (d: any) => (d.jobs[2].archiving.date = '2026-11-31'), 'jobs[2].archiving.date: expected a calendar date written yyyy-MM-dd'],
    ['a date in another format', (d: any) => (d.jobs[2].archiving.date = '20.12.2026'), 'jobs[2].archiving.date: expected a calendar date written yyyy-MM-dd'],
    ['archiving on without a date', (d: any) => (d.jobs[2].archiving.date = null), 'jobs[2].archiving.date: expected a date when archiving is enabled'],
    ['an unknown field', (d: any) => (d.jobs[1].galleries[0].activted = true), 'jobs[1].galleries[0].activted: unknown field'],
    ['a code with other characters', (d: any) => (d.jobs[0].galleries[0].accessCode = 'MXR2/9PLT'), 'jobs[0].galleries[0].accessCode: expected letters and digits'],
    ['a bad email', (d: any) => (d.photographers[1].email = 'camille'), 'photographers[1].email: expected an email address'],
    ['a bad time zone', (d: any) => (d.photographers[0].timeZone = 'Europe/Bielefeld'), 'photographers[0].timeZone: expected an IANA time zone'],
    ['a bad locale', (d: any) => (d.photographers[0].locale = 'German'), 'photographers[0].locale: expected a locale'],
    ['a channel id that is not text', (d: any) => (d.photographers[0].channels.slack = [7]), 'photographers[0].channels.slack[0]: expected a string, got number'],
    ['the top level', (d: any) => delete d.jobs, 'jobs: missing (expected a list)'],
  ])('names the field for %s', (_label, mutate, expected) => {
    expect(errorFor(mutate)).toContain(`PLATFORM_DATA ${SOURCE}: ${expected}`);
  });

  it('rejects data that is not an object at all', () => {
    expect(() => parsePlatformData([], SOURCE)).toThrow(`PLATFORM_DATA ${SOURCE}: (top level): expected an object, got a list`);
    expect(() => parsePlatformData(null, SOURCE)).toThrow(`PLATFORM_DATA ${SOURCE}: (top level): expected an object, got null`);
  });

  it('counts further problems on the same line', () => {
    const message = errorFor((d) => {
      d.jobs[0].name = 1;
      d.jobs[1].deleted = 'yes';
    });
    expect(message).toBe(`PLATFORM_DATA ${SOURCE}: jobs[0].name: expected a string, got number (and 1 more problem)`);
  });

  it('rejects an access code used twice, across jobs and after normalisation, without printing it', () => {
    const message = errorFor((d) => {
      d.jobs[5].galleries[0].accessCode = d.jobs[0].galleries[0].accessCode.toLowerCase().replace(/(.{4})/, '$1-');
    });
    expect(message).toBe(
      `PLATFORM_DATA ${SOURCE}: jobs[5].galleries[0].accessCode: same access code as jobs[0].galleries[0].accessCode (codes ignore case, spaces and dashes, and read O as 0 and I, L as 1)`,
    );
    expect(message).not.toMatch(/MXR2/i);
  });

  it('rejects two codes that differ only in look-alike characters (they would be the same code to a customer)', () => {
    const message = errorFor((d) => {
      const oakLane = d.jobs.findIndex((job: any) => job.galleries.some((gallery: any) => gallery.accessCode === 'F0XB1K7T'));
      expect(oakLane).toBe(7);
      d.jobs[9].galleries[0].accessCode = 'FOXBLK7T';
    });
    expect(message).toMatch(/^PLATFORM_DATA .*: jobs\[9\]\.galleries\[0\]\.accessCode: same access code as jobs\[7\]\.galleries\[1\]\.accessCode /);
    expect(message).not.toMatch(/F0XB|FOXB/i);
  });

  it('counts retired codes of deleted jobs as used', () => {
    const data = demo();
    const deleted = data.jobs.findIndex((job: any) => job.deleted);
    const live = data.jobs.findIndex((job: any) => !job.deleted);
    data.jobs[live].galleries[0].accessCode = data.jobs[deleted].galleries[0].accessCode;
    expect(() => parsePlatformData(data, SOURCE)).toThrow(/same access code/);
  });

  it('rejects duplicate ids of jobs, galleries, photos and photographers', () => {
    expect(errorFor((d) => (d.jobs[3].id = d.jobs[0].id))).toContain(`jobs[3].id: duplicate id "${demo().jobs[0].id}" (also jobs[0].id)`);
    expect(errorFor((d) => (d.jobs[3].galleries[0].id = d.jobs[0].galleries[0].id))).toContain('jobs[3].galleries[0].id: duplicate id');
    expect(errorFor((d) => (d.jobs[3].galleries[0].photos[0].id = d.jobs[0].galleries[0].photos[0].id))).toContain(
      'jobs[3].galleries[0].photos[0].id: duplicate id',
    );
    expect(errorFor((d) => (d.photographers[2].id = d.photographers[0].id))).toContain('photographers[2].id: duplicate id');
  });

  it('rejects a channel user listed for two photographers', () => {
    expect(errorFor((d) => d.photographers[1].channels.msteams.push(PLAYGROUND_AAD_OBJECT_ID))).toContain(
      `photographers[1].channels.msteams[1]: msteams user "${PLAYGROUND_AAD_OBJECT_ID}" is listed twice (also photographers[0].channels.msteams[0])`,
    );
  });

  it('rejects a job whose photographer does not exist', () => {
    expect(errorFor((d) => (d.jobs[4].photographerId = 'ph-nobody'))).toBe(
      `PLATFORM_DATA ${SOURCE}: jobs[4].photographerId: no photographer has the id "ph-nobody"`,
    );
  });

  it('knows calendar dates', () => {
    expect(isIsoCalendarDate('2028-02-29')).toBe(true);
    expect(isIsoCalendarDate('2026-12-20')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '2026-12-20T00:00', '', '2026-04-31']) {
      expect(isIsoCalendarDate(bad), bad).toBe(false);
    }
  });
});
