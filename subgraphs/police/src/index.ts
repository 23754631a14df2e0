import path from 'node:path';
import { subgraphUrl } from '@anmulong/platform/src/config';
import { DivisionDirectory } from '@anmulong/platform/src/directory';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform/src/service';
import { policeModels, type PoliceModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';

/** Mobile policing: patrols, help requests, volunteer police, security committees. */
export function police(registryUrl = subgraphUrl('registry')): SubgraphModule<PoliceModels, Loaders> {
  const directory = new DivisionDirectory(registryUrl);
  return {
    name: 'police',
    schemaFile: path.join(__dirname, 'schema.graphql'),
    models: policeModels,
    resolvers: (models) => createResolvers(models, directory),
    loaders: createLoaders,
  };
}

export const startPolice = (opts?: StartOptions & { registryUrl?: string }) => startSubgraph(police(opts?.registryUrl), opts);

if (require.main === module) runStandalone(startPolice);
