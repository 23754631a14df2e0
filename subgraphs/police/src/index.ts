import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { policeModels, type PoliceModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';

/** Mobile policing: patrols, help requests, volunteer police, security committees. */
export const police: SubgraphModule<PoliceModels, Loaders> = {
  name: 'police',
  department: 'POLICE',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: policeModels,
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = (opts?: StartOptions) => startSubgraph(police, opts);

if (require.main === module) runStandalone(start);
