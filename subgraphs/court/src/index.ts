import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform';
import { courtModels, type CourtModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';
export * from './models';

export interface CourtStartOptions extends StartOptions {
  /**
   * Mediation's GraphQL endpoint (a dispute is checked there before a case is filed from it).
   * Default: `subgraphUrls.mediation`, else `MEDIATION_URL`, else the CONTRACT port 4003.
   */
  mediationUrl?: string;
}

/** The mobile "heart-to-heart" court: court cases, hearings (courtroom, circuit, online), judges. */
export const court: SubgraphModule<CourtModels, Loaders> = {
  name: 'court',
  // Whose policy governs the data (subgraphs/access/policies/court.yaml), enforced field by field by the platform.
  department: 'COURT',
  schemaFile: path.join(__dirname, 'schema.graphql'),
  models: courtModels,
  resolvers: createResolvers,
  loaders: createLoaders,
};

export const start = ({ mediationUrl, ...opts }: CourtStartOptions = {}) =>
  startSubgraph(court, mediationUrl ? { ...opts, subgraphUrls: { ...opts.subgraphUrls, mediation: mediationUrl } } : opts);

if (require.main === module) runStandalone(start);
