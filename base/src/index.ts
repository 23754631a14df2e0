/**
 * @anmulong/base: low-level helpers without a domain, shared by the docstore, the identity
 * provider and the platform, so none of those depends on another for them. It depends on nothing
 * of ours (and on no npm package).
 */
export * from './body';
export * from './dir-lock';
export * from './shipped';
