import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { SERVICE_PORTS, SUBGRAPHS } from '@anmulong/platform';

/**
 * Composes every subgraph's schema into the static supergraph the gateway serves.
 * `npm run compose` writes gateway/supergraph.graphql; `--check` fails when it is stale (CI).
 * Routing URLs are the CONTRACT's local ports; deployments override them with `<NAME>_URL`.
 */
const root = path.resolve(__dirname, '..', '..');
export const SUPERGRAPH_FILE = path.join(root, 'gateway', 'supergraph.graphql');

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((name) => ({
      name,
      url: `http://localhost:${SERVICE_PORTS[name]}/graphql`,
      typeDefs: parse(readFileSync(path.join(root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  }
  return result.supergraphSdl;
}

if (require.main === module) {
  const sdl = composeSupergraph();
  if (process.argv.includes('--check')) {
    const current = readFileSync(SUPERGRAPH_FILE, 'utf8');
    if (current !== sdl) {
      console.error('gateway/supergraph.graphql is stale: run `npm run compose` and commit it');
      process.exit(1);
    }
    console.log('gateway/supergraph.graphql is up to date');
  } else {
    writeFileSync(SUPERGRAPH_FILE, sdl);
    console.log(`wrote ${path.relative(process.cwd(), SUPERGRAPH_FILE)}`);
  }
}
