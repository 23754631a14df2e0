import { badInput } from './errors';

/*
 * Resident identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export interface IdNumberInfo {
  regionCode: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'MALE' | 'FEMALE';
}

export function isValidDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Parses and validates; throws BAD_USER_INPUT naming what is wrong. */
export function parseIdNumber(value: unknown, argument = 'idNumber', today = new Date()): IdNumberInfo {
  const fail = (why: string) => badInput(`${argument} is not a valid resident identity number: ${why}`, argument);
  if (typeof value !== 'string') throw fail('it must be a string');
  if (!/^\d{17}[\dX]$/.test(value)) throw fail('it must be 17 digits followed by a digit or X (18 characters)');
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (!isValidDate(y, m, d)) throw fail(`the birth date ${value.slice(6, 14)} does not exist`);
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getTime() > today.getTime()) throw fail(`the birth date ${value.slice(6, 14)} is out of range`);
  const expected = idNumberCheckChar(value.slice(0, 17));
  if (value[17] !== expected) throw fail(`the check character is ${value[17]} but should be ${expected}`);
  return {
    regionCode: value.slice(0, 6),
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    gender: Number(value[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
  };
}

/** `150624********123X`: first 6 and last 4 kept (CONTRACT). */
export const maskIdNumber = (v: string) => (v.length <= 10 ? '*'.repeat(v.length) : v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4));
/** Phone: first 3 and last 4 kept (CONTRACT). */
export const maskPhone = (v: string) => (v.length <= 7 ? '*'.repeat(v.length) : v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4));
