import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { registryModels, type RegistryModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';

/** The resident and household register and the four-level grid. */
export const registry: SubgraphModule<RegistryModels, Loaders> = {
  name: 'registry',
  department: 'REGISTRY',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: registryModels,
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = (opts?: StartOptions) => startSubgraph(registry, opts);

if (require.main === module) runStandalone(start);
