import { describe, expect, it } from 'vitest';
import { parseSupportHours, type SupportHours, supportAvailability } from '../../src/domain/supportHours.js';

/** SUPPORT_HOURS read and asked: open now, or when it opens next, in the hours' own time zone. */

function hours(text: string): SupportHours {
  const parsed = parseSupportHours(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.hours;
}

const BERLIN_OFFICE = hours('Mon-Fri 09:00-17:00 Europe/Berlin');

function opensAt(supportHours: SupportHours, now: string): string | 'open' {
  const availability = supportAvailability(supportHours, new Date(now));
  return availability.open ? 'open' : availability.opensAt.toISOString();
}

describe('reading SUPPORT_HOURS', () => {
  it('weekdays, hours and a time zone', () => {
    expect(BERLIN_OFFICE).toEqual({ spans: [{ days: [1, 2, 3, 4, 5], opens: 540, closes: 1020 }], timeZone: 'Europe/Berlin', text: 'Mon-Fri 09:00-17:00 Europe/Berlin' });
    expect(hours(' mon-fri 08:30-12:00,  Sat 10:00-24:00   America/New_York ').spans).toEqual([
      { days: [1, 2, 3, 4, 5], opens: 510, closes: 720 },
      { days: [6], opens: 600, closes: 1440 },
    ]);
    expect(hours('Fri-Mon 10:00-16:00 UTC').spans[0]?.days).toEqual([5, 6, 0, 1]);
  });

  it.each([
    ['', /expected weekdays, hours and a time zone/],
    ['Mon-Fri 09:00-17:00', /"09:00-17:00" is not a time zone/],
    ['Mon-Fri 09:00-17:00 Mars/Olympus', /"Mars\/Olympus" is not a time zone/],
    ['Mon-Fri 9-17 Europe/Berlin', /"Mon-Fri 9-17" is not weekdays and hours/],
    ['Funday 09:00-17:00 Europe/Berlin', /"Funday 09:00-17:00" is not weekdays and hours/],
    ['Mon-Fri 09:00-25:00 Europe/Berlin', /is not weekdays and hours/],
    ['Mon-Fri 09:60-17:00 Europe/Berlin', /is not weekdays and hours/],
    ['Mon-Fri 24:00-24:00 Europe/Berlin', /is not weekdays and hours/],
    ['Mon-Fri 17:00-09:00 Europe/Berlin', /closes before it opens/],
    ['Mon-Fri 09:00-17:00, Europe/Berlin', /is not weekdays and hours/],
  ])('%j is refused', (text, reason) => {
    const parsed = parseSupportHours(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('open now, or when next', () => {
  it('is open within the hours, on the minute it opens and not on the minute it closes', () => {
    // Wednesday 2 December 2026, Berlin is UTC+1.
    expect(opensAt(BERLIN_OFFICE, '2026-12-02T09:00:00.000Z')).toBe('open');
    expect(opensAt(BERLIN_OFFICE, '2026-12-02T08:00:00.000Z')).toBe('open');
    expect(opensAt(BERLIN_OFFICE, '2026-12-02T07:59:59.000Z')).toBe('2026-12-02T08:00:00.000Z');
    expect(opensAt(BERLIN_OFFICE, '2026-12-02T15:59:59.000Z')).toBe('open');
    expect(opensAt(BERLIN_OFFICE, '2026-12-02T16:00:00.000Z')).toBe('2026-12-03T08:00:00.000Z');
  });

  it('after Friday closing, on the weekend and late on Sunday: Monday morning', () => {
    for (const now of ['2026-12-04T16:30:00.000Z', '2026-12-05T12:00:00.000Z', '2026-12-06T22:59:00.000Z']) {
      expect(opensAt(BERLIN_OFFICE, now), now).toBe('2026-12-07T08:00:00.000Z');
    }
    // Sunday 23:30 UTC is Monday 00:30 in Berlin: the hours count in Berlin's day, not UTC's.
    expect(opensAt(BERLIN_OFFICE, '2026-12-06T23:30:00.000Z')).toBe('2026-12-07T08:00:00.000Z');
  });

  it('counts in the hours’ own time zone, also across a change of the clocks', () => {
    // Clocks go forward on Sunday 28 March 2027: Monday 09:00 in Berlin is 07:00 UTC.
    expect(opensAt(BERLIN_OFFICE, '2027-03-26T17:00:00.000Z')).toBe('2027-03-29T07:00:00.000Z');
    // And back on Sunday 31 October 2027: Monday 09:00 is 08:00 UTC again.
    expect(opensAt(BERLIN_OFFICE, '2027-10-29T16:00:00.000Z')).toBe('2027-11-01T08:00:00.000Z');
    const newYork = hours('Mon-Fri 09:00-17:00 America/New_York');
    expect(opensAt(newYork, '2026-12-02T15:00:00.000Z')).toBe('open');
    expect(opensAt(newYork, '2026-12-02T22:00:00.000Z')).toBe('2026-12-03T14:00:00.000Z');
  });

  it('takes the earliest of several spans, and a span until midnight', () => {
    const split = hours('Mon-Fri 09:00-12:00, Mon-Fri 14:00-17:00, Sat 10:00-24:00 Europe/Berlin');
    expect(opensAt(split, '2026-12-02T11:30:00.000Z')).toBe('2026-12-02T13:00:00.000Z');
    expect(opensAt(split, '2026-12-04T17:00:00.000Z')).toBe('2026-12-05T09:00:00.000Z');
    expect(opensAt(split, '2026-12-05T22:59:00.000Z')).toBe('open');
    expect(opensAt(split, '2026-12-05T23:00:00.000Z')).toBe('2026-12-07T08:00:00.000Z');
  });
});
