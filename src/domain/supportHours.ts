/**
 * When people answer: weekly opening hours in one time zone, as SUPPORT_HOURS writes them
 * (`Mon-Fri 09:00-17:00 Europe/Berlin`, several spans separated by commas:
 * `Mon-Fri 09:00-17:00, Sat 10:00-13:00 Europe/Berlin`), and whether a moment falls inside
 * them or when they open next. Pure: the clock is the caller's, the zone arithmetic Intl's.
 */

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** One opening span on some weekdays, in minutes after local midnight. */
export interface OpeningSpan {
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  opens: number;
  closes: number;
}

export interface SupportHours {
  spans: OpeningSpan[];
  /** An IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  /** As written, for logs and errors. */
  text: string;
}

export type ParsedSupportHours = { ok: true; hours: SupportHours } | { ok: false; reason: string };

const FORMAT_HINT = 'expected weekdays, hours and a time zone, such as "Mon-Fri 09:00-17:00 Europe/Berlin"';

function weekday(name: string): number | null {
  const index = WEEKDAYS.findIndex((day) => day.toLowerCase() === name.toLowerCase());
  return index < 0 ? null : index;
}

/** "Mon", "Mon-Fri" (also across the week's end: "Fri-Mon") as day numbers. */
function daysOf(spec: string): number[] | null {
  const [from, to, ...rest] = spec.split('-');
  if (from === undefined || rest.length > 0) return null;
  const first = weekday(from);
  const last = to === undefined ? first : weekday(to);
  if (first === null || last === null) return null;
  const days: number[] = [];
  for (let day = first; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === last) return days;
  }
}

/** "09:00" as minutes after midnight; "24:00" only as a closing time. */
function minutesOf(time: string, closing: boolean): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && (minutes !== 0 || !closing))) return null;
  return hours * 60 + minutes;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function parseSupportHours(text: string): ParsedSupportHours {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const lastSpace = trimmed.lastIndexOf(' ');
  if (lastSpace < 0) return { ok: false, reason: FORMAT_HINT };
  const timeZone = trimmed.slice(lastSpace + 1);
  if (!isTimeZone(timeZone) || /^\d/.test(timeZone)) return { ok: false, reason: `"${timeZone}" is not a time zone; ${FORMAT_HINT}` };
  const spans: OpeningSpan[] = [];
  for (const part of trimmed.slice(0, lastSpace).split(',')) {
    const match = /^\s*(\S+)\s+(\S+)-(\S+)\s*$/.exec(part);
    const days = match === null ? null : daysOf(match[1]!);
    const opens = match === null ? null : minutesOf(match[2]!, false);
    const closes = match === null ? null : minutesOf(match[3]!, true);
    if (days === null || opens === null || closes === null) return { ok: false, reason: `"${part.trim()}" is not weekdays and hours; ${FORMAT_HINT}` };
    if (closes <= opens) return { ok: false, reason: `"${part.trim()}" closes before it opens (hours past midnight belong to the next day's span)` };
    spans.push({ days, opens, closes });
  }
  return { ok: true, hours: { spans, timeZone, text: trimmed } };
}

/** The wall clock in `timeZone` at `instant`: the local date as a day count, weekday and minutes. */
function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: WEEKDAYS.indexOf(part('weekday') as Weekday),
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** The instant at which the wall clock in `timeZone` shows this local date and time. */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = wanted;
  // Two corrections settle any offset, also on the days the clocks change.
  for (let i = 0; i < 2; i++) {
    const shown = wallClock(new Date(guess), timeZone);
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, 0, shown.minutes);
    guess += wanted - shownAsUtc;
  }
  return new Date(guess);
}

/** Open now, or when the next span opens (within the coming week). */
export function supportAvailability(hours: SupportHours, now: Date): { open: true } | { open: false; opensAt: Date } {
  const today = wallClock(now, hours.timeZone);
  for (const span of hours.spans) {
    if (span.days.includes(today.weekday) && today.minutes >= span.opens && today.minutes < span.closes) return { open: true };
  }
  let next: Date | null = null;
  for (let ahead = 0; ahead <= 7; ahead++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    const weekdayAhead = (today.weekday + ahead) % 7;
    for (const span of hours.spans) {
      if (!span.days.includes(weekdayAhead) || (ahead === 0 && span.opens <= today.minutes)) continue;
      const opensAt = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), span.opens, hours.timeZone);
      if (opensAt > now && (next === null || opensAt < next)) next = opensAt;
    }
    if (next !== null) return { open: false, opensAt: next };
  }
  // Unreachable for hours with at least one span: every weekday recurs within a week.
  throw new Error('support hours without an opening');
}
