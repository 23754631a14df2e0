import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { mediationModels, type MediationModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';

/**
 * Mobile judicial mediation and legal consultation: disputes and their escalation ladder,
 * mediators, village legal advisers. It asks the registry and police (with the caller's token)
 * whether the residents and help requests it is given exist for the caller.
 */
export const mediation: SubgraphModule<MediationModels, Loaders> = {
  name: 'mediation',
  // The MEDIATION policy (subgraphs/access/policies/mediation.yaml) governs every field and mutation.
  department: 'MEDIATION',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: mediationModels,
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = (opts?: StartOptions) => startSubgraph(mediation, opts);

if (require.main === module) runStandalone(start);
