/*
 * The test kit: the whole platform in one process on ephemeral ports (stack.ts), one
 * department's subgraph in process with `executeOperation` (subgraph.ts), a real
 * Keycloak's test hooks (keycloak.ts), headless Chromium for the browser login (browser.ts).
 * It sits above every package (platform, docstore, identity, gateway, the subgraphs), so the
 * shared base no longer depends on what is built on it.
 */
export * from './stack';
export * from './subgraph';
export * from './free-port';
export * from './keycloak';
export * from './browser';
export * from './claims';
export * from './identity';
