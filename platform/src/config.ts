/**
 * Configuration from the environment, with the CONTRACT's defaults, so `npm start` needs none
 * and production swaps in real MongoDB and Keycloak by variable only.
 */
import { ACCESS_SERVICE, DEPARTMENT_TABLE, envPrefix, type DepartmentSubgraph } from './departments';


/** Default ports (the CONTRACT's); the departments' come from their table (departments.ts). */
export const SERVICE_PORTS = {
  gateway: 4000,
  identity: 8080,
  docstore: 27017,
  ...(Object.fromEntries(DEPARTMENT_TABLE.map((d) => [d.subgraph, d.port])) as Record<DepartmentSubgraph, number>),
  [ACCESS_SERVICE.subgraph]: ACCESS_SERVICE.port,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
/**
 * Subgraphs in start order: access first (the others load their policies from it), then the
 * departments in their table's order (registry first: the others check division codes with it).
 */
export const SUBGRAPHS: readonly SubgraphName[] = [ACCESS_SERVICE.subgraph, ...DEPARTMENT_TABLE.map((d) => d.subgraph)];
export type SubgraphName = typeof ACCESS_SERVICE.subgraph | DepartmentSubgraph;

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

export interface ServiceConfig {
  service: ServiceName;
  host: string;
  port: number;
  /** Base URI of the store; each subgraph uses its own database on it. */
  mongoUri: string;
  dbName: string;
  /** Keycloak base URL (the realm lives under `/realms/otog`). */
  keycloakUrl: string;
  production: boolean;
  logLevel: string;
}

export function loadConfig(service: ServiceName): ServiceConfig {
  return {
    service,
    // Loopback unless HOST says otherwise: nothing is reachable from the network by accident
    // (containers set HOST=0.0.0.0 explicitly).
    host: env('HOST') ?? '127.0.0.1',
    port: Number(env('PORT') ?? env(`${envPrefix(service)}_PORT`) ?? SERVICE_PORTS[service]),
    mongoUri: env('MONGODB_URI') ?? env('DOCSTORE_URI') ?? `mongodb://127.0.0.1:${SERVICE_PORTS.docstore}`,
    dbName: databaseName(service),
    keycloakUrl: (env('KEYCLOAK_URL') ?? `http://localhost:${SERVICE_PORTS.identity}`).replace(/\/+$/, ''),
    production: env('NODE_ENV') === 'production',
    logLevel: env('LOG_LEVEL') ?? 'info',
  };
}

/** Each subgraph owns one database: `anmulong_<subgraph>`. */
export const databaseName = (service: string) => `anmulong_${service}`;

/** Where the gateway finds a subgraph: `<NAME>_URL`, else localhost on its CONTRACT port. */
export function subgraphUrl(name: ServiceName): string {
  return env(`${envPrefix(name)}_URL`) ?? `http://localhost:${SERVICE_PORTS[name]}/graphql`;
}
