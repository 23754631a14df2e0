import { departmentContext } from './context';
import { generateCivilAffairs } from './departments/civil-affairs';
import { generateCourt } from './departments/court';
import { courtBoundDisputes, generateMediation } from './departments/mediation';
import { generatePartyBuilding } from './departments/party-building';
import { generatePolice } from './departments/police';
import { generateRegistry } from './departments/registry';
import { DEFAULT_SCALE, DEFAULT_SEED } from './figures';
import type { DemoData } from './types';

export interface GenerateOptions {
  /** PRNG seed; the same seed (and scale) always gives the same data. */
  seed?: number;
  /** Fraction of the banner's real size (1 ≈ 160,000 residents). */
  scale?: number;
}

/**
 * Generates the demo data set for Otog Banner: plain documents per subgraph database
 * and collection. Pure and deterministic.
 *
 * Each department is one module (`departments/<name>.ts`) with its own random stream and
 * ObjectId namespace (its `demoTag` in platform/src/departments.ts), run after the registry it
 * draws people and places from. To give a department demo data: write its module, call it here,
 * add its key to `DemoData` (types.ts) and its models to `SUBGRAPH_MODELS` (load.ts).
 */
export function generateDemo(options: GenerateOptions = {}): DemoData {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? DEFAULT_SCALE;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const registry = generateRegistry(departmentContext(seed, scale, 'registry'));
  const police = generatePolice(departmentContext(seed, scale, 'police'), registry);
  // Mediation screens disputes from police help requests (and sets their disputeId).
  const mediation = generateMediation(departmentContext(seed, scale, 'mediation'), registry, police);
  // Court cases are filed for the mediation disputes that reached COURT.
  const court = generateCourt(departmentContext(seed, scale, 'court'), registry, courtBoundDisputes(mediation));
  const civilAffairs = generateCivilAffairs(departmentContext(seed, scale, 'civil-affairs'), registry);
  const partyBuilding = generatePartyBuilding(departmentContext(seed, scale, 'party-building'), registry);
  return { registry: registry.data, police, mediation, court, 'civil-affairs': civilAffairs, 'party-building': partyBuilding };
}
