import path from 'node:path';
import { SUBGRAPHS } from '@anmulong/platform/src/config';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform/src/service';
import { DisputeDirectory } from './disputes';
import { courtModels, type CourtModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';

export interface CourtStartOptions extends StartOptions {
  /**
   * Mediation's GraphQL endpoint (a dispute is checked there before a case is filed from it).
   * Default: `subgraphUrls.mediation`, else `MEDIATION_URL`, else the CONTRACT port 4003.
   */
  mediationUrl?: string;
}

/**
 * The court's data is governed by the COURT policy once the access service runs with the
 * platform (SUBGRAPHS lists it); until then the resolvers apply their interim role rules.
 */
const governed = (SUBGRAPHS as readonly string[]).includes('access');

/** The mobile "heart-to-heart" court: court cases, hearings (courtroom, circuit, online), judges. */
export function courtModule(mediationUrl?: string): SubgraphModule<CourtModels, Loaders> {
  return {
    name: 'court',
    ...(governed ? { department: 'COURT' as const } : {}),
    schemaFile: path.join(__dirname, 'schema.graphql'),
    models: courtModels,
    resolvers: (models, services) =>
      createResolvers(models, services.divisions, new DisputeDirectory(mediationUrl ?? services.subgraphUrl('mediation'))),
    loaders: createLoaders,
  };
}

export const court = courtModule();

export const start = (opts: CourtStartOptions = {}) => startSubgraph(courtModule(opts.mediationUrl), opts);

if (require.main === module) runStandalone(start);
