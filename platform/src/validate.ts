import { badInput } from './errors';
import { chinaDate } from './format';

/*
 * Input checks shared by every subgraph's mutations. Each throws BAD_USER_INPUT naming the argument,
 * and is called before anything is written, so a rejected mutation changes nothing.
 */

export function text(value: unknown, argument: string, { min = 1, max = 200 } = {}): string {
  if (typeof value !== 'string') throw badInput(`${argument} must be a string`, argument);
  const v = value.trim();
  if (v.length < min || v.length > max) {
    throw badInput(`${argument} must be ${min} to ${max} characters long; got ${v.length}`, argument);
  }
  return v;
}

export function optionalText(value: unknown, argument: string, opts?: { min?: number; max?: number }): string | null {
  return value === null || value === undefined ? null : text(value, argument, opts);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], argument: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw badInput(`${argument} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`, argument);
  }
  return value as T;
}

/** Mobile (11 digits starting 1) or landline (area code, e.g. 0477-1234567). */
export function optionalPhone(value: unknown, argument = 'phone'): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(value)) {
    throw badInput(`${argument} must be an 11-digit mobile number or a landline such as 0477-1234567; got ${JSON.stringify(value)}`, argument);
  }
  return value;
}

/** ISO 639-1 language codes (two lowercase letters), e.g. mn, zh. */
export function languages(value: unknown, argument = 'languages'): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((l) => typeof l !== 'string' || !/^[a-z]{2}$/.test(l))) {
    throw badInput(`${argument} must be a non-empty list of ISO 639-1 codes such as ["mn", "zh"]`, argument);
  }
  return [...new Set(value as string[])];
}

/** An ISO 8601 date-time (or date); returns the Date. */
export function dateTime(value: unknown, argument: string): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw badInput(`${argument} must be an ISO 8601 date-time such as 2023-11-28T09:30:00Z; got ${JSON.stringify(value)}`, argument);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw badInput(`${argument} is not a real date: ${value}`, argument);
  return d;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written `YYYY-MM-DD` (so not 2023-02-29 nor 2024-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export interface CalendarDateBounds {
  /** The earliest date accepted (`YYYY-MM-DD`); 1900-01-01 unless given. */
  notBefore?: string;
  /** What happened on `notBefore`, for the message (e.g. 'the party was founded'). */
  notBeforeLabel?: string;
  /** Refuse dates after today in China time (UTC+8); otherwise the latest date accepted is 2200-12-31. */
  notAfterToday?: boolean;
}

/** A real calendar date `YYYY-MM-DD` within the bounds; returns it unchanged. */
export function calendarDate(value: unknown, argument: string, { notBefore = '1900-01-01', notBeforeLabel, notAfterToday = false }: CalendarDateBounds = {}): string {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) {
    throw badInput(`${argument} must be a calendar date YYYY-MM-DD such as 2023-11-28; got ${JSON.stringify(value)}`, argument);
  }
  if (!isCalendarDate(value)) throw badInput(`${argument} is not a real date: ${value}`, argument);
  if (value < notBefore) {
    throw badInput(`${argument} is before ${notBeforeLabel ? `${notBeforeLabel} (${notBefore})` : notBefore}: ${value}`, argument);
  }
  if (notAfterToday && value > chinaDate()) throw badInput(`${argument} is in the future: ${value}`, argument);
  if (value > '2200-12-31') throw badInput(`${argument} is after 2200-12-31: ${value}`, argument);
  return value;
}

/** A finite number within [min, max]. */
export function amount(value: unknown, argument: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badInput(`${argument} must be a number from ${min} to ${max}; got ${JSON.stringify(value)}`, argument);
  }
  return value;
}
