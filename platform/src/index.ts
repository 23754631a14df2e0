/**
 * @anmulong/platform: what every service shares (configuration, authentication, policy
 * enforcement, limits, the HTTP and GraphQL serving, peer calls). Its modules import each other
 * relatively, never through this file.
 */
export * from './assertion';
export * from './auth';
export * from './config';
export * from './context';
export * from './cost';
export * from './directory';
export * from './divisions';
export * from './enforce';
export * from './errors';
export * from './format';
export * from './http';
export * from './identity-number';
export * from './departments';
export * from './ids';
export * from './limits';
export * from './loaders';
export * from './logger';
export * from './mongo';
export * from './pagination';
export * from './peer';
export * from './policy-source';
export * from './policy';
export * from './production';
export * from './scope';
export * from './service-token';
export * from './service';
export * from './subgraph';
export * from './supervisor';
export * from './tokens';
export * from './validate';
