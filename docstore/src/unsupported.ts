/**
 * The features docstore refuses on purpose, in one place. Every refusal is a NotImplemented
 * (238) error (change streams: 40573, what drivers expect) whose message starts
 * "docstore does not support <feature>", so nobody mistakes
 * a missing feature for a wrong answer. The MongoDB specification runner counts a test as
 * "refused by design" only when the error names a feature of this list, and
 * docstore/README.md ("What it does not support") lists the same names (a test checks).
 */
export const REFUSED_FEATURES = {
  transactions: 'multi-document transactions',
  changeStreams: 'change streams',
  textSearch: 'full-text search',
  atlasSearch: 'Atlas Search',
  geo: 'geospatial queries',
  javascript: 'server-side JavaScript',
  jsonSchema: '$jsonSchema',
  validators: 'collection validators',
  views: 'views',
  timeseries: 'time-series collections',
  capped: 'capped collections',
  clustered: 'clustered collections',
  wildcardIndexes: 'wildcard indexes',
  collations: 'non-simple collations',
  out: '$out',
  merge: '$merge',
  diagnosticStages: 'diagnostic aggregation stages',
  explain: 'explain',
  findOptions: 'the find options min, max, returnKey and showRecordId',
  collMod: 'collMod',
  authentication: 'authentication',
} as const;

export type RefusedFeature = keyof typeof REFUSED_FEATURES;

export const NOT_IMPLEMENTED = 238;
export const CHANGE_STREAM_UNSUPPORTED = 40573;
const PREFIX = 'docstore does not support ';

/** The message of a refusal: names the feature, the detail that triggered it, and what to use instead. */
export function refusalMessage(feature: RefusedFeature, detail?: string, instead = 'a real MongoDB server (set MONGODB_URI)'): string {
  return `${PREFIX}${REFUSED_FEATURES[feature]}${detail ? ` (${detail})` : ''}; use ${instead} for this feature`;
}

/** The feature a server error refuses, when it is one of ours (for the specification runner). */
export function refusedFeatureOf(code: unknown, message: string): string | null {
  if ((code !== NOT_IMPLEMENTED && code !== CHANGE_STREAM_UNSUPPORTED) || !message.startsWith(PREFIX)) return null;
  const rest = message.slice(PREFIX.length);
  for (const name of Object.values(REFUSED_FEATURES)) {
    if (rest.startsWith(name) && /^[ ;(]|^$/.test(rest.slice(name.length))) return name;
  }
  return null;
}
