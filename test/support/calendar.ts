/**
 * Calendar days (yyyy-MM-dd) for the end-to-end tests, worked out with Intl and Date on their
 * own rather than with src/domain/archiveDate.ts, so that the tests do not share its mistakes.
 */

/** Today's calendar day in an IANA time zone (yyyy-MM-dd). */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

/** The first Sunday at least three weeks ahead: no countdown warning, no far-future warning. */
export function sundayThreeWeeksAhead(today: string): string {
  let date = addDays(today, 21);
  while (weekday(date) !== 0) date = addDays(date, 1);
  return date;
}
