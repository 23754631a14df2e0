import path from 'node:path';
import { runStandalone, startSubgraph, type StartOptions, type SubgraphModule } from '@anmulong/platform/src/service';
import { DisputeDirectory, mediationUrl } from './disputes';
import { courtModels, type CourtModels } from './models';
import { createResolvers } from './resolvers';
import { createLoaders, type Loaders } from './loaders';

export interface CourtStartOptions extends StartOptions {
  /** Mediation's GraphQL endpoint (disputes are checked there before filing); default `subgraphUrls.mediation`, `MEDIATION_URL`, its CONTRACT port. */
  mediationUrl?: string;
}

/** The mobile "heart-to-heart" court: court cases, hearings (courtroom, circuit, online), judges. */
export function courtModule(mediation: string = mediationUrl()): SubgraphModule<CourtModels, Loaders> {
  return {
    name: 'court',
    schemaFile: path.join(__dirname, 'schema.graphql'),
    models: courtModels,
    resolvers: (models, services) => createResolvers(models, services.divisions, new DisputeDirectory(mediation)),
    loaders: createLoaders,
  };
}

export const court = courtModule();

export const start = (opts: CourtStartOptions = {}) => {
  const urls = (opts.subgraphUrls ?? {}) as Partial<Record<string, string>>;
  return startSubgraph(courtModule(mediationUrl(opts.mediationUrl ?? urls.mediation)), opts);
};

if (require.main === module) runStandalone(start);
