import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  checkArchiveDate,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  isValidCalendarDate,
  nextWeekdayAfter,
  previousWeekdayBefore,
  readIsoDate,
  suggestArchiveDates,
  todayIn,
  toIsoDate,
  weekdayOnOrAfter,
} from '../../src/domain/archiveDate.js';

/** The fixed clock of these tests: Friday 27 November 2026, in Berlin. */
const TODAY = '2026-11-27';

const FIRST = '0001-01-01';
const LAST = '9999-12-31';
const anyDate = fc.integer({ min: 0, max: daysBetween(FIRST, LAST) }).map((n) => addDays(FIRST, n));
/** The same date through the JavaScript Date (UTC) as an independent oracle. */
const viaDate = (iso: string, days = 0): string => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d + days);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
};

describe('calendar dates', () => {
  it.each([
    [2028, 2, 29, true], // leap year
    [2027, 2, 29, false],
    [2000, 2, 29, true], // divisible by 400
    [2100, 2, 29, false], // divisible by 100 only
    [2026, 11, 30, true],
    [2026, 11, 31, false],
    [2026, 12, 31, true],
    [2026, 13, 1, false],
    [2026, 0, 1, false],
    [2026, 1, 0, false],
    [2026, 1, 1.5, false],
    [0, 1, 1, false],
    [1, 1, 1, true],
    [9999, 12, 31, true],
    [10000, 1, 1, false],
  ])('%i-%i-%s valid: %s', (y, m, d, valid) => {
    expect(isValidCalendarDate(y, m, d)).toBe(valid);
  });

  it('writes and reads yyyy-MM-dd', () => {
    expect(toIsoDate(2026, 12, 6)).toBe('2026-12-06');
    expect(toIsoDate(33, 1, 2)).toBe('0033-01-02');
    expect(() => toIsoDate(2027, 2, 29)).toThrow(RangeError);
    expect(readIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(readIsoDate('2027-02-29')).toBeNull();
    expect(readIsoDate('2026-1-05')).toBeNull();
    expect(readIsoDate('20.12.2026')).toBeNull();
    expect(isIsoDate('2026-12-20')).toBe(true);
    expect(isIsoDate(20261220)).toBe(false);
  });

  it.each([
    ['2026-11-27', 1, '2026-11-28'],
    ['2026-11-27', 4, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2027-03-01', -1, '2027-02-28'],
    ['2026-11-27', 366, '2027-11-28'],
    ['2026-11-27', 0, '2026-11-27'],
  ])('addDays(%s, %i) = %s', (iso, n, expected) => {
    expect(addDays(iso, n)).toBe(expected);
    expect(daysBetween(iso, expected)).toBe(n);
    expect(daysBetween(expected, iso)).toBe(0 - n);
  });

  it('refuses dates outside 0001–9999 and malformed input', () => {
    expect(() => addDays(LAST, 1)).toThrow(RangeError);
    expect(() => addDays(FIRST, -1)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays(TODAY, 0.5)).toThrow(RangeError);
    expect(() => dayOfWeek('tomorrow')).toThrow(RangeError);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-27', 12, '2027-11-27'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-30', 2, '2027-01-30'],
  ])('addMonths(%s, %i) = %s', (iso, n, expected) => {
    expect(addMonths(iso, n)).toBe(expected);
  });

  it.each([
    ['2026-11-27', 5], // Friday
    ['2026-11-29', 0],
    ['2026-12-20', 0],
    ['2026-11-30', 1],
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['0001-01-01', 1],
  ])('dayOfWeek(%s) = %i', (iso, weekday) => {
    expect(dayOfWeek(iso)).toBe(weekday);
  });

  it('finds weekdays around a date', () => {
    expect(nextWeekdayAfter(TODAY, 0)).toBe('2026-11-29');
    expect(nextWeekdayAfter(TODAY, 5)).toBe('2026-12-04'); // strictly after
    expect(weekdayOnOrAfter(TODAY, 5)).toBe(TODAY);
    expect(weekdayOnOrAfter(TODAY, 0)).toBe('2026-11-29');
    expect(previousWeekdayBefore(TODAY, 0)).toBe('2026-11-22');
    expect(previousWeekdayBefore(TODAY, 5)).toBe('2026-11-20');
  });

  it('agrees with the JavaScript Date on every day from 0001 to 9999', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -40000, max: 40000 }), (iso, n) => {
        const later = viaDate(iso, n);
        fc.pre(/^\d{4}-/.test(later) && later >= FIRST && later <= LAST);
        expect(addDays(iso, n)).toBe(later);
        expect(daysBetween(iso, later)).toBe(n);
        const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
        const date = new Date(0);
        date.setUTCFullYear(y, m - 1, d);
        expect(dayOfWeek(iso)).toBe(date.getUTCDay());
      }),
    );
  });
});

describe('todayIn: the photographer’s calendar day', () => {
  it.each([
    ['2026-11-27T23:30:00Z', 'Europe/Berlin', '2026-11-28'], // already Saturday in Berlin
    ['2026-11-27T23:30:00Z', 'America/New_York', '2026-11-27'], // still Friday evening
    ['2026-11-27T22:59:59Z', 'Europe/Berlin', '2026-11-27'],
    ['2026-11-27T23:00:00Z', 'Europe/Berlin', '2026-11-28'], // midnight in Berlin (UTC+1)
    ['2026-11-28T04:59:59Z', 'America/New_York', '2026-11-27'],
    ['2026-11-28T05:00:00Z', 'America/New_York', '2026-11-28'],
    ['2026-11-27T15:00:00Z', 'Asia/Tokyo', '2026-11-28'],
    ['2026-11-27T10:30:00Z', 'Pacific/Kiritimati', '2026-11-28'], // UTC+14
    ['2026-11-27T10:30:00Z', 'Pacific/Pago_Pago', '2026-11-26'], // UTC-11
    ['2026-11-27T23:30:00Z', 'UTC', '2026-11-27'],
    ['2026-03-28T23:30:00Z', 'Europe/Berlin', '2026-03-29'], // night of the switch to summer time
    ['2026-06-30T22:30:00Z', 'Europe/Berlin', '2026-07-01'], // summer time: UTC+2
    ['2026-12-31T23:30:00Z', 'Europe/Amsterdam', '2027-01-01'],
    ['2028-02-29T12:00:00Z', 'Europe/Paris', '2028-02-29'],
  ])('%s in %s is %s', (instant, zone, day) => {
    expect(todayIn(zone, new Date(instant))).toBe(day);
  });

  it('asked again and again around midnight, turns the day at midnight to the millisecond, and back', () => {
    const asked = ['2026-11-27T22:59:59.998Z', '2026-11-27T22:59:59.999Z', '2026-11-27T23:00:00.000Z', '2026-11-27T23:00:00.001Z', '2026-11-27T22:59:30.000Z'];
    expect(asked.map((instant) => todayIn('Europe/Berlin', new Date(instant)))).toEqual(['2026-11-27', '2026-11-27', '2026-11-28', '2026-11-28', '2026-11-27']);
  });

  it('refuses an unknown time zone and an invalid instant', () => {
    expect(() => todayIn('Europe/Atlantis', new Date('2026-11-27T12:00:00Z'))).toThrow(RangeError);
    expect(() => todayIn('Europe/Berlin', new Date(Number.NaN))).toThrow(RangeError);
  });

  it('matches the UTC date in UTC for any instant in 0001–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: new Date('0001-01-01T00:00:00Z').getTime(), max: new Date('9999-12-31T23:59:59Z').getTime() }), (ms) => {
        const now = new Date(ms);
        expect(todayIn('UTC', now)).toBe(now.toISOString().slice(0, 10));
      }),
    );
  });
});

describe('suggestArchiveDates: Sundays at least a week away', () => {
  it('offers So 6.12., So 13.12., So 20.12. on Friday 27.11.2026 (the design’s example)', () => {
    expect(suggestArchiveDates(TODAY)).toEqual(['2026-12-06', '2026-12-13', '2026-12-20']);
  });

  it.each([
    ['2026-11-28', ['2026-12-06', '2026-12-13', '2026-12-20']], // Saturday: 6.12. is 8 days away
    ['2026-11-29', ['2026-12-06', '2026-12-13', '2026-12-20']], // Sunday: 6.12. is exactly 7 days away
    ['2026-11-30', ['2026-12-13', '2026-12-20', '2026-12-27']], // Monday: 6.12. is 6 days away
    ['2026-12-20', ['2026-12-27', '2027-01-03', '2027-01-10']], // across the year
  ])('on %s: %j', (today, expected) => {
    expect(suggestArchiveDates(today)).toEqual(expected);
  });

  it('honours count', () => {
    expect(suggestArchiveDates(TODAY, 1)).toEqual(['2026-12-06']);
    expect(suggestArchiveDates(TODAY, 0)).toEqual([]);
    expect(suggestArchiveDates(TODAY, 5)).toHaveLength(5);
  });

  it('always offers consecutive Sundays, the first 7 to 13 days away, each one accepted without a warning', () => {
    const today = fc.integer({ min: 0, max: 365 * 200 }).map((n) => addDays('1950-01-01', n));
    fc.assert(
      fc.property(today, fc.integer({ min: 1, max: 8 }), (day, count) => {
        const dates = suggestArchiveDates(day, count);
        expect(dates).toHaveLength(count);
        const first = daysBetween(day, dates[0]!);
        expect(first).toBeGreaterThanOrEqual(7);
        expect(first).toBeLessThanOrEqual(13);
        dates.forEach((date, i) => {
          expect(dayOfWeek(date)).toBe(0);
          if (i > 0) expect(daysBetween(dates[i - 1]!, date)).toBe(7);
          // Nothing to warn about on a date the bot itself suggested.
          expect(checkArchiveDate(date, day)).toEqual({ kind: 'ok', date, warnings: [] });
        });
      }),
    );
  });
});

describe('checkArchiveDate', () => {
  it.each([
    ['2026-11-26', { kind: 'refused', reason: 'past' }],
    ['2025-12-20', { kind: 'refused', reason: 'past' }],
    ['2026-11-27', { kind: 'refused', reason: 'today' }],
    ['2026-11-28', { kind: 'ok', date: '2026-11-28', warnings: ['soon'] }], // tomorrow
    ['2026-11-30', { kind: 'ok', date: '2026-11-30', warnings: ['soon'] }], // the design's "morgen – sehr knapp" case
    ['2026-12-03', { kind: 'ok', date: '2026-12-03', warnings: ['soon'] }], // 6 days
    ['2026-12-04', { kind: 'ok', date: '2026-12-04', warnings: [] }], // 7 days: as soon as the first suggested Sunday may be
    ['2026-12-20', { kind: 'ok', date: '2026-12-20', warnings: [] }],
    ['2027-11-27', { kind: 'ok', date: '2027-11-27', warnings: [] }], // 365 days: exactly a year
    ['2027-11-28', { kind: 'ok', date: '2027-11-28', warnings: ['far'] }], // 366 days
    ['2030-01-01', { kind: 'ok', date: '2030-01-01', warnings: ['far'] }],
  ])('%s → %j', (candidate, verdict) => {
    expect(checkArchiveDate(candidate, TODAY)).toEqual(verdict);
  });

  it('measures "a year" in the calendar, also from 29 February', () => {
    expect(checkArchiveDate('2029-02-28', '2028-02-29')).toEqual({ kind: 'ok', date: '2029-02-28', warnings: [] });
    expect(checkArchiveDate('2029-03-01', '2028-02-29')).toEqual({ kind: 'ok', date: '2029-03-01', warnings: ['far'] });
    expect(checkArchiveDate('2028-03-01', '2027-03-01')).toEqual({ kind: 'ok', date: '2028-03-01', warnings: [] }); // 366 days, one year
    expect(checkArchiveDate('9999-12-31', '9999-01-01')).toEqual({ kind: 'ok', date: '9999-12-31', warnings: [] });
  });

  it('refuses exactly the days up to today', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800, max: 800 }), (n) => {
        const verdict = checkArchiveDate(addDays(TODAY, n), TODAY);
        if (n < 0) expect(verdict).toEqual({ kind: 'refused', reason: 'past' });
        else if (n === 0) expect(verdict).toEqual({ kind: 'refused', reason: 'today' });
        else {
          expect(verdict.kind).toBe('ok');
          if (verdict.kind === 'ok') {
            expect(verdict.warnings.includes('soon')).toBe(n < 7);
            expect(verdict.warnings.includes('far')).toBe(n > 365);
          }
        }
      }),
    );
  });

  it('throws on something that is not a date', () => {
    expect(() => checkArchiveDate('2026-11-31', TODAY)).toThrow(RangeError);
  });
});
