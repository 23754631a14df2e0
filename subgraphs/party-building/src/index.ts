import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { partyBuildingModels, type PartyBuildingModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';

/** Integrated party building: branches, joint building, party members, central and model households, cooperatives, aid projects. */
export const partyBuilding: SubgraphModule<PartyBuildingModels, Loaders> = {
  name: 'party-building',
  // The PARTY_BUILDING policy (access service) decides who reads which fields, in what scope, and
  // who may call the mutations; the resolvers check only the records themselves.
  department: 'PARTY_BUILDING',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: partyBuildingModels,
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = (opts?: StartOptions) => startSubgraph(partyBuilding, opts);

if (require.main === module) runStandalone(start);
