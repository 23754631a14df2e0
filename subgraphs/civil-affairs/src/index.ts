import path from 'node:path';
import { subgraphUrl } from '@anmulong/platform/src/config';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform/src/service';
import { civilAffairsModels, type CivilAffairsModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
import { RegistryClient } from './registry';

/** Module of the civil-affairs subgraph; the registry it checks applicants against is given by `start`. */
export function civilAffairsModule(registryUrl: string): SubgraphModule<CivilAffairsModels, Loaders> {
  return {
    name: 'civil-affairs',
    schemaFile: path.join(__dirname, 'schema.graphql'),
    models: civilAffairsModels,
    resolvers: (models, services) => createResolvers(models, services.divisions, new RegistryClient(registryUrl)),
    loaders: createLoaders,
  };
}

/** Social aid: applications, means assessments and grants (低保, 特困, 临时救助, disability, elderly). */
export const civilAffairs = civilAffairsModule(subgraphUrl('registry'));

export const start = (opts?: StartOptions) =>
  startSubgraph(civilAffairsModule(opts?.subgraphUrls?.registry ?? subgraphUrl('registry')), opts);

if (require.main === module) runStandalone(start);
