import path from 'node:path';
import { subgraphUrl, type SubgraphName } from '@anmulong/platform/src/config';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform/src/service';
import { mediationModels, type MediationModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
import { EntityLookup } from './references';

/**
 * Mobile judicial mediation and legal consultation: disputes and their escalation ladder,
 * mediators, village legal advisers. `urls` are the subgraphs it asks whether the residents
 * (registry) and help requests (police) it is given exist.
 */
export function mediationModule(urls: Partial<Record<SubgraphName, string>> = {}): SubgraphModule<MediationModels, Loaders> {
  return {
    name: 'mediation',
    schemaFile: path.join(__dirname, 'schema.graphql'),
    models: mediationModels,
    resolvers: (models, services) =>
      createResolvers(models, {
        divisions: services.divisions,
        residents: new EntityLookup(urls.registry ?? subgraphUrl('registry'), 'Resident'),
        helpRequests: new EntityLookup(urls.police ?? subgraphUrl('police'), 'HelpRequest'),
      }),
    loaders: createLoaders,
  };
}

export const mediation = mediationModule();

export const start = (opts?: StartOptions) => startSubgraph(mediationModule(opts?.subgraphUrls), opts);

if (require.main === module) runStandalone(start);
