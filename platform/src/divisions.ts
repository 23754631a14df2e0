import { Schema } from 'mongoose';
import { badInput } from './errors';

/**
 * Division codes of the four-level grid: banner (6 digits) → sumu/town (9) → village (12) → grid (15).
 * A jurisdiction covers every code that starts with it.
 */
export const BANNER_CODE = '150624';
const LEVEL_LENGTHS = [6, 9, 12, 15] as const;
export type DivisionLevel = 'BANNER' | 'TOWN' | 'VILLAGE' | 'GRID';
const LEVELS: DivisionLevel[] = ['BANNER', 'TOWN', 'VILLAGE', 'GRID'];

export function divisionLevel(code: string): DivisionLevel | null {
  const i = LEVEL_LENGTHS.indexOf(code.length as (typeof LEVEL_LENGTHS)[number]);
  return i < 0 || !/^\d+$/.test(code) || !code.startsWith(BANNER_CODE) ? null : LEVELS[i];
}

/** Validates the *shape* of a division code (does not check that it exists). */
export function assertDivisionCode(code: unknown, argument = 'divisionCode'): string {
  if (typeof code !== 'string' || divisionLevel(code) === null) {
    throw badInput(
      `${argument} must be a division code of Otog Banner: 6, 9, 12 or 15 digits starting with ${BANNER_CODE}; got ${JSON.stringify(code)}`,
      argument,
    );
  }
  return code;
}

/**
 * The codes of every level that contains `code`, outermost first. Stored on every record as
 * `divisionPath` (a multikey index), so "everything inside division X" is an index equality
 * look-up at any level instead of a prefix scan.
 */
export function divisionPathOf(code: string): string[] {
  return LEVEL_LENGTHS.filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

/** True when `code` lies inside `jurisdiction` (or is it). */
export function within(code: string, jurisdiction: string): boolean {
  return code.startsWith(jurisdiction);
}

/** The narrower of two nested codes, or null when they do not overlap. */
export function intersect(a: string, b: string): string | null {
  if (a.startsWith(b)) return a;
  if (b.startsWith(a)) return b;
  return null;
}

/**
 * Every record that belongs to a place carries `divisionCode` and the derived,
 * indexed `divisionPath`. Writers that bypass mongoose (bulk demo loads) use `divisionPathOf`.
 */
export const placeFields = {
  divisionCode: { type: String, required: true as const },
  divisionPath: { type: [String], required: true as const, index: true },
};

/** Keeps `divisionPath` derived from `divisionCode` on every mongoose write. Spread `placeFields` into the schema too. */
export function divisionPlugin(schema: Schema): void {
  schema.pre('validate', function setPath(this: { divisionCode?: string; divisionPath?: string[] }) {
    if (this.divisionCode) this.divisionPath = divisionPathOf(this.divisionCode);
  });
}

/** Bilingual name: Chinese form, and traditional Mongolian script for Mongolian residents and places. */
export const localizedName = new Schema({ zh: { type: String, required: true }, mn: { type: String } }, { _id: false });
