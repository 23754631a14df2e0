/**
 * What the repository ships for development only, and the one wording every service uses to
 * refuse it under NODE_ENV=production (the platform's services and the identity provider alike).
 */

/** The demo users' shared password (CONTRACT: development only). */
export const DEMO_PASSWORD = 'anmulong';

/** The secret of the platform's confidential client `anmulong-gateway` in the shipped realm file. */
export const SHIPPED_CLIENT_SECRET = 'anmulong-gateway-secret';

export const refusal = (service: string, problems: string[]) =>
  `${service} refuses to start with NODE_ENV=production on development secrets:\n  - ${problems.join('\n  - ')}`;
