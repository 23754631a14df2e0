import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { civilAffairsModels, type CivilAffairsModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';
export * from './rules';

/** Social aid: applications, means assessments and grants (低保, 特困, 临时救助, disability, elderly). */
export const civilAffairs: SubgraphModule<CivilAffairsModels, Loaders> = {
  name: 'civil-affairs',
  department: 'CIVIL_AFFAIRS',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: civilAffairsModels,
  // Applicants are checked against the register, asked as the caller (peer.ts).
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = (opts?: StartOptions) => startSubgraph(civilAffairs, opts);

if (require.main === module) runStandalone(start);
