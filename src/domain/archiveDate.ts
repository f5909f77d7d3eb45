/**
 * Archive dates: the day on which a reopened job archives itself again. Plain calendar
 * arithmetic on ISO dates (`yyyy-MM-dd`), without time of day, without time zones except
 * in `todayIn`, and without a clock: "today" is always a parameter.
 *
 * Years run from 0001 to 9999 (what `yyyy` can hold); the proleptic Gregorian calendar.
 */

/** A calendar date written `yyyy-MM-dd`. */
export type IsoDate = string;

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const SUNDAY: Weekday = 0;
export const MONDAY: Weekday = 1;

/** Suggested dates leave the customers at least this many days to order. */
export const SUGGESTION_MIN_DAYS_AHEAD = 7;
/** A date sooner than any the bot suggests leaves customers little time to order: worth a warning. */
export const SOON_DAYS = SUGGESTION_MIN_DAYS_AHEAD;

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a year; 0 for a month that does not exist. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) return 0;
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a real day: integers, year 1–9999, month 1–12, day within the month. */
export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(day) &&
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** `2026, 12, 6` → `2026-12-06`. Throws a RangeError for a day that does not exist. */
export function toIsoDate(year: number, month: number, day: number): IsoDate {
  if (!isValidCalendarDate(year, month, day)) throw new RangeError(`not a calendar date: ${year}-${month}-${day}`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a valid ISO date, or null for anything else (`2027-02-29`, `2026-1-5`, `20.12.2026`). */
export function readIsoDate(value: string): CalendarDate | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidCalendarDate(year, month, day) ? { year, month, day } : null;
}

export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && readIsoDate(value) !== null;
}

/** The parts of an ISO date; throws a RangeError when it is not one. */
export function calendarDate(iso: IsoDate): CalendarDate {
  const date = readIsoDate(iso);
  if (date === null) throw new RangeError(`not an ISO date (yyyy-MM-dd): ${JSON.stringify(iso)}`);
  return date;
}

// Days since 1970-01-01 and back (H. Hinnant's days_from_civil / civil_from_days).
function dayNumber({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return toIsoDate(year, month, day); // throws a RangeError outside 0001–9999
}

/** `n` days later (earlier for a negative `n`). Throws a RangeError outside 0001–9999. */
export function addDays(iso: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return fromDayNumber(dayNumber(calendarDate(iso)) + n);
}

/** `n` calendar months later; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(iso: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of months: ${n}`);
  const { year, month, day } = calendarDate(iso);
  const index = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return toIsoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(iso: IsoDate): Weekday {
  return ((((dayNumber(calendarDate(iso)) + 4) % 7) + 7) % 7) as Weekday; // 1970-01-01 was a Thursday
}

/** Days from `from` to `to`: positive when `to` is later. `daysBetween('2026-11-27', '2026-11-28') === 1`. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(calendarDate(to)) - dayNumber(calendarDate(from));
}

/** The first `weekday` strictly after `iso`. */
export function nextWeekdayAfter(iso: IsoDate, weekday: Weekday): IsoDate {
  return addDays(iso, ((weekday - dayOfWeek(iso) + 6) % 7) + 1);
}

/** `iso` itself when it falls on `weekday`, else the next one. */
export function weekdayOnOrAfter(iso: IsoDate, weekday: Weekday): IsoDate {
  return addDays(iso, (weekday - dayOfWeek(iso) + 7) % 7);
}

/** The last `weekday` strictly before `iso`. */
export function previousWeekdayBefore(iso: IsoDate, weekday: Weekday): IsoDate {
  return addDays(iso, -(((dayOfWeek(iso) - weekday + 6) % 7) + 1));
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/**
 * The last answer per time zone, with the minute it holds for: every time zone's offset from
 * UTC is now a whole number of minutes, so its day never changes within a minute, and a turn asks
 * several times (the date typed, the dates offered, the reply's words).
 */
const lastDays = new Map<string, { minute: number; day: IsoDate }>();
const MINUTE_MS = 60_000;

/**
 * The calendar day it is at the instant `now` in an IANA time zone: at 2026-11-27T23:30Z it
 * is already 2026-11-28 in Europe/Berlin and still 2026-11-27 in America/New_York. Throws a
 * RangeError for an unknown time zone or an invalid `now`.
 */
export function todayIn(timeZone: string, now: Date): IsoDate {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const last = lastDays.get(timeZone);
  if (last !== undefined && last.minute === minute) return last.day;
  const day = dayIn(timeZone, now);
  lastDays.set(timeZone, { minute, day });
  return day;
}

function dayIn(timeZone: string, now: Date): IsoDate {
  let formatter = dayFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const era = parts.find((p) => p.type === 'era')?.value;
  if (era !== 'AD') throw new RangeError(`outside the years 0001–9999: ${now.toISOString()}`);
  return toIsoDate(part('year'), part('month'), part('day'));
}

/**
 * The archive dates to offer: the next `count` Sundays (the platform's recommended deadline)
 * at least a week away, so customers still have time to order. On Friday 2026-11-27:
 * 2026-12-06, 2026-12-13, 2026-12-20 (Sunday 29.11. is too close).
 */
export function suggestArchiveDates(today: IsoDate, count = 3): IsoDate[] {
  const first = weekdayOnOrAfter(addDays(today, SUGGESTION_MIN_DAYS_AHEAD), SUNDAY);
  return Array.from({ length: Math.max(0, Math.floor(count)) }, (_, i) => addDays(first, 7 * i));
}

export type ArchiveDateWarning = 'soon' | 'far';

export type ArchiveDateVerdict =
  | { kind: 'ok'; date: IsoDate; warnings: ArchiveDateWarning[] }
  | { kind: 'refused'; reason: 'past' | 'today' };

/**
 * Whether a job may archive itself on `candidate`: never in the past nor today (the job
 * would close again at once). An accepted date carries `soon` when it is under a week away
 * (sooner than every suggested date) and `far` when it is more than a calendar year away (after
 * the same day next year; 29 February counts to 28 February).
 */
export function checkArchiveDate(candidate: IsoDate, today: IsoDate): ArchiveDateVerdict {
  const days = daysBetween(today, candidate);
  if (days < 0) return { kind: 'refused', reason: 'past' };
  if (days === 0) return { kind: 'refused', reason: 'today' };
  const warnings: ArchiveDateWarning[] = [];
  if (days < SOON_DAYS) warnings.push('soon');
  if (calendarDate(today).year < MAX_YEAR && candidate > addMonths(today, 12)) warnings.push('far');
  return { kind: 'ok', date: candidate, warnings };
}
