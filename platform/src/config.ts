/**
 * Configuration from the environment, with the CONTRACT's defaults, so `npm start` needs none
 * and production swaps in real MongoDB and Keycloak by variable only.
 */
export const SERVICE_PORTS = {
  gateway: 4000,
  identity: 8080,
  docstore: 27017,
  registry: 4001,
  police: 4002,
  mediation: 4003,
  court: 4004,
  'civil-affairs': 4005,
  'party-building': 4006,
  access: 4007,
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
/**
 * Subgraphs in start order (access first: the others load their policies from it; registry next:
 * the others check division codes with it). A new department adds one entry here.
 */
export const SUBGRAPHS = ['access', 'registry', 'police', 'mediation', 'court', 'civil-affairs', 'party-building'] as const satisfies readonly ServiceName[];
export type SubgraphName = (typeof SUBGRAPHS)[number];

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

/** `civil-affairs` → `CIVIL_AFFAIRS`, for per-service variables such as `CIVIL_AFFAIRS_URL`. */
export const envPrefix = (service: string) => service.toUpperCase().replace(/-/g, '_');

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
