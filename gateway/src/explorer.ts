import type { Express } from 'express';

/**
 * Developer query explorer (development only). Placeholder until the offline GraphiQL bundle is
 * wired: Apollo's sandbox loads from a CDN, which these machines cannot reach.
 */
export function mountExplorer(app: Express): void {
  app.get('/', (_req, res) => {
    res.type('text/plain').send('Anmulong gateway: POST GraphQL to /graphql with a bearer token.\n');
  });
}
