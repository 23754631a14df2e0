/** @anmulong/demo: the deterministic demo data set of Otog Banner. */
export { generateDemo, type GenerateOptions } from './generate';
export {
  loadDemo, isDemoLoaded, ensureDemoLoaded, readDemoMeta, defaultDbName, SUBGRAPH_MODELS,
  DEMO_META_COLLECTION, DEMO_META_ID, DemoAlreadyLoadedError,
  type LoadOptions, type DemoSummary, type DemoMeta,
} from './load';
export {
  ARTICLE, ASSUMED, DEFAULT_SCALE, DEFAULT_SEED, REFERENCE_DATE, demoFigures, type DemoFigures,
} from './figures';
export { BANNER, TOWNS } from './geography';
export { isValidIdNumber, makeIdNumber, idCheckChar } from './idnumber';
export type * from './types';
export * from './context';
export * from './departments/civil-affairs';
export * from './departments/mediation';
export * from './departments/registry';
