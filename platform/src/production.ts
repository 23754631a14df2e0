/**
 * Secure defaults: with NODE_ENV=production a service refuses to start on what is shipped for
 * development only (the client secret in the realm file, signing keys generated in `.data/`, an
 * identity provider that signs the demo users in with their shared password), and says what to
 * set instead.
 */
import { DEMO_PASSWORD, refusal, SHIPPED_CLIENT_SECRET } from '@anmulong/base';
import { WEB_CLIENT_ID } from './tokens';

/**
 * The demo user whose sign-in is tried: one failed attempt per service start on a real realm
 * (far below Keycloak's brute-force threshold), none at all on a realm without this user.
 */
const PROBE_USER = 'auditor';

const isSet = (env: NodeJS.ProcessEnv, name: string) => env[name] !== undefined && env[name] !== '';

/** The development secrets `service` would run on with this environment, each saying what to set. */
export function developmentSecrets(service: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  if (!isSet(env, 'ANMULONG_CLIENT_SECRET') || env.ANMULONG_CLIENT_SECRET === SHIPPED_CLIENT_SECRET) {
    problems.push(`ANMULONG_CLIENT_SECRET: set it to the secret of the anmulong-gateway client in your Keycloak (${SHIPPED_CLIENT_SECRET}, the shipped one, is for development)`);
  }
  if (!isSet(env, 'KEYCLOAK_URL')) {
    problems.push('KEYCLOAK_URL: set it to your Keycloak (without it, tokens of the development identity provider on localhost:8080 are trusted)');
  }
  if (service === 'gateway' && !isSet(env, 'GATEWAY_ASSERTION_KEY_FILE')) {
    problems.push('GATEWAY_ASSERTION_KEY_FILE: set it to the Ed25519 private key (PKCS#8 PEM) the gateway signs its assertions with, provisioned for production (the key generated in .data/gateway is for development)');
  }
  if (service === 'access' && !isSet(env, 'AUDIT_KEY_FILE')) {
    problems.push('AUDIT_KEY_FILE: set it to the Ed25519 private key that signs purge checkpoints, provisioned for production (the key generated in .data/access is for development)');
  }
  if (service !== 'gateway' && env.REQUIRE_GATEWAY_ASSERTION === 'false') {
    problems.push('REQUIRE_GATEWAY_ASSERTION=false: remove it (it lets a user token alone read department data, with no access-log entry)');
  }
  return problems;
}

/** Whether the identity provider at `keycloakUrl` signs a demo user in with the shared password. */
export async function acceptsDemoPassword(keycloakUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${keycloakUrl.replace(/\/+$/, '')}/realms/otog/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: WEB_CLIENT_ID, username: PROBE_USER, password: DEMO_PASSWORD }),
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false; // no answer: nothing to tell
  }
}

/** Throws, listing what to set, when NODE_ENV=production and `service` would run on development secrets. */
export async function refuseDevelopmentSecrets(service: string, keycloakUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env.NODE_ENV !== 'production') return;
  const problems = developmentSecrets(service, env);
  if (await acceptsDemoPassword(keycloakUrl)) {
    problems.push(`KEYCLOAK_URL: the identity provider at ${keycloakUrl} signs the demo users in with their shared password: use a realm without the demo users (or with their passwords changed)`);
  }
  if (problems.length) throw new Error(refusal(service, problems));
}
