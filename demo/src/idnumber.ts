/** GB 11643-1999 resident identity numbers (18 characters, ISO 7064 MOD 11-2 check). */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`need 17 digits, got ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Builds a number from region code, birth date (`YYYY-MM-DD`) and a 3-digit sequence
 * (odd for men, even for women).
 */
export function makeIdNumber(region: string, birthDate: string, sequence: number): string {
  const first17 = region + birthDate.replace(/-/g, '') + String(sequence).padStart(3, '0');
  return first17 + idCheckChar(first17);
}

export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return idCheckChar(id.slice(0, 17)) === id[17];
}
