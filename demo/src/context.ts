import { chinaDate, DEPARTMENT_TABLE, type DepartmentSubgraph, divisionPathOf } from '@anmulong/platform';
import { demoFigures, type DemoFigures, REGISTER_CREATED_AT } from './figures';
import { ObjectIdFactory } from './ids';
import { Rng } from './random';

/**
 * What a department module gets: its own random stream and ObjectId namespace (so adding
 * a department later does not change the data of those before it), the seed, the scale
 * and the exact figures it must produce.
 */
export interface DepartmentContext {
  seed: number;
  scale: number;
  figures: DemoFigures;
  rng: Rng;
  ids: ObjectIdFactory;
}

/** ObjectId namespace byte per department (`demoTag` in the table of departments). */
export const DEPARTMENT_TAGS = Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.subgraph, d.demoTag])) as Record<DepartmentSubgraph, number>;

export function departmentContext(seed: number, scale: number, department: DepartmentSubgraph): DepartmentContext {
  return {
    seed,
    scale,
    figures: demoFigures(scale),
    rng: new Rng(seed, department),
    ids: new ObjectIdFactory(seed, DEPARTMENT_TAGS[department], Math.floor(REGISTER_CREATED_AT.getTime() / 1000)),
  };
}

const DAY = 86_400_000;

/** `YYYY-MM-DD` of a Date, in China time (UTC+8): the platform's own helper, re-exported for the generators. */
export { chinaDate };

/** Age in whole years on `at` of someone born on `birthDate` (`YYYY-MM-DD`). */
export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const today = chinaDate(at);
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** A uniformly random instant in [from, to). */
export function randomInstant(rng: Rng, from: Date, to: Date): Date {
  return new Date(from.getTime() + Math.floor(rng.next() * (to.getTime() - from.getTime())));
}

export const addHours = (d: Date, h: number) => new Date(d.getTime() + Math.round(h * 3_600_000));
export const addDays = (d: Date, days: number) => new Date(d.getTime() + Math.round(days * DAY));

/** `divisionCode` and the derived `divisionPath` of a record in that division. */
export function place(code: string): { divisionCode: string; divisionPath: string[] } {
  return { divisionCode: code, divisionPath: divisionPathOf(code) };
}
