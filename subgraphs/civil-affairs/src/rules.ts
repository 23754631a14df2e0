/**
 * Eligibility rules of social aid (社会救助) as a caseworker of Otog Banner applies them.
 *
 * The figures are plausible local values for Ordos (2023), chosen for the demo and kept in one place:
 * - Minimum living allowance line (低保标准): 9,300 yuan per person per year in urban areas
 *   (775 per month), 7,800 in rural and pastoral areas (650 per month). A household qualifies when its
 *   monthly income per person is under the line; the allowance tops income up to the line (补差), so
 *   the monthly amount per person never exceeds the line.
 * - Extreme-poverty support (特困供养) is means-tested against the same line; its basic support is at
 *   least 1.3 × the rural line, hence 845 to 2,500 yuan per month (care included).
 * - Temporary assistance (临时救助) is for a fixed period of at most 6 months.
 * - Disability subsidies (残疾人两项补贴): 50 to 400 yuan per month.
 * - Old-age allowance (高龄津贴): from the age of 80, 50 to 1,000 yuan per month.
 * Rules across programs: no two grants of the same program for the same person over overlapping
 * periods; at most one open (submitted or under review) application per person and program.
 */

export const AID_PROGRAMS = ['MINIMUM_LIVING', 'EXTREME_POVERTY', 'TEMPORARY', 'DISABILITY', 'ELDERLY'] as const;
export type AidProgram = (typeof AID_PROGRAMS)[number];

export const APPLICATION_STATUSES = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['SUBMITTED', 'UNDER_REVIEW'];

export const GRANT_STATUSES = ['ACTIVE', 'ENDED'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export type Residence = 'URBAN' | 'RURAL';

/** Yuan per person per year. */
export const MINIMUM_LIVING_LINE_YEARLY: Record<Residence, number> = { URBAN: 9_300, RURAL: 7_800 };
export const monthlyLine = (residence: Residence) => MINIMUM_LIVING_LINE_YEARLY[residence] / 12;

export const ELDERLY_MIN_AGE = 80;
export const TEMPORARY_MAX_MONTHS = 6;

export interface ProgramRule {
  min: number;
  max: number;
  meansTested: boolean;
  endDateRequired: boolean;
}

/** Monthly amount bounds (yuan) and conditions per program. */
export const PROGRAM_RULES: Record<AidProgram, ProgramRule> = {
  MINIMUM_LIVING: { min: 10, max: monthlyLine('URBAN'), meansTested: true, endDateRequired: false },
  EXTREME_POVERTY: { min: Math.round(1.3 * monthlyLine('RURAL')), max: 2_500, meansTested: true, endDateRequired: false },
  TEMPORARY: { min: 100, max: 3_000, meansTested: false, endDateRequired: true },
  DISABILITY: { min: 50, max: 400, meansTested: false, endDateRequired: false },
  ELDERLY: { min: 50, max: 1_000, meansTested: false, endDateRequired: false },
};

/** The amount bounds for a program and residence (the minimum living allowance is capped by the local line). */
export function amountBounds(program: AidProgram, residence: Residence): { min: number; max: number } {
  const rule = PROGRAM_RULES[program];
  return { min: rule.min, max: program === 'MINIMUM_LIVING' ? monthlyLine(residence) : rule.max };
}

/** The register's household type decides which line applies. */
export const residenceOf = (householdType: string): Residence => (householdType === 'URBAN' ? 'URBAN' : 'RURAL');

// ---- calendar dates (YYYY-MM-DD, China time) ----

/** Re-exported for this module's users (e.g. the demo-data test); the check lives in platform, shared by every subgraph. */
export { isCalendarDate } from '@anmulong/platform';

/** Adds whole months to a `YYYY-MM-DD` date (clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Whole years of age on `on` for someone born on `birthDate` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
