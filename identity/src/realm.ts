/**
 * Reads a Keycloak realm export (the same `keycloak/realm-otog.json` a real Keycloak imports)
 * into the small model the development identity provider needs: users with their credentials,
 * realm roles (composites expanded), clients and the protocol mappers that apply to each.
 */
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** `keycloak/realm-otog.json`, the one source of truth for both identity providers. */
export const DEFAULT_REALM_FILE = path.resolve(__dirname, '..', '..', 'keycloak', 'realm-otog.json');

// ---- the parts of Keycloak's realm representation that we read ----------------------------

export interface CredentialRepresentation {
  type?: string;
  /** Plain value, accepted by Keycloak's import (hashed on import). */
  value?: string;
  temporary?: boolean;
  /** Export format: JSON strings. */
  secretData?: string;
  credentialData?: string;
}

export interface UserRepresentation {
  id?: string;
  username: string;
  enabled?: boolean;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  attributes?: Record<string, string[] | string>;
  credentials?: CredentialRepresentation[];
  realmRoles?: string[];
  serviceAccountClientId?: string;
}

export interface ProtocolMapperRepresentation {
  name: string;
  protocol?: string;
  protocolMapper: string;
  config?: Record<string, string>;
}

export interface ClientRepresentation {
  id?: string;
  clientId: string;
  enabled?: boolean;
  publicClient?: boolean;
  bearerOnly?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  protocolMappers?: ProtocolMapperRepresentation[];
  defaultClientScopes?: string[];
  attributes?: Record<string, string>;
}

export interface ClientScopeRepresentation {
  name: string;
  protocol?: string;
  protocolMappers?: ProtocolMapperRepresentation[];
}

export interface RoleRepresentation {
  name: string;
  composite?: boolean;
  composites?: { realm?: string[] };
}

export interface RealmRepresentation {
  realm: string;
  displayName?: string;
  enabled?: boolean;
  accessTokenLifespan?: number;
  ssoSessionIdleTimeout?: number;
  roles?: { realm?: RoleRepresentation[] };
  users?: UserRepresentation[];
  clients?: ClientRepresentation[];
  clientScopes?: ClientScopeRepresentation[];
  defaultDefaultClientScopes?: string[];
}

// ---- the model -------------------------------------------------------------------------------

export interface RealmUser {
  id: string;
  username: string;
  enabled: boolean;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  attributes: Record<string, string[]>;
  /** Effective realm roles, composites expanded, in declaration order. */
  roles: string[];
  serviceAccountClientId: string | null;
  credentials: CredentialRepresentation[];
}

export interface RealmClient {
  clientId: string;
  enabled: boolean;
  publicClient: boolean;
  bearerOnly: boolean;
  secret: string | null;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  /** The authorization-code flow (browser login). */
  standardFlowEnabled: boolean;
  redirectUris: string[];
  /** Origins a browser may call from (`+`: those of the redirect URIs), as `allowed-origins`. */
  webOrigins: string[];
  /** `post.logout.redirect.uris`, split on `##`; `+` means the redirect URIs. */
  postLogoutRedirectUris: string[];
  /** `pkce.code.challenge.method`: when set, authorization requests must use it. */
  pkceMethod: string | null;
  /** The client's own mappers plus those of the realm client scopes it uses by default. */
  mappers: ProtocolMapperRepresentation[];
}

export interface Realm {
  name: string;
  displayName: string;
  accessTokenLifespan: number;
  refreshTokenLifespan: number;
  users: Map<string, RealmUser>;
  clients: Map<string, RealmClient>;
  roles: string[];
  userById(id: string): RealmUser | undefined;
  serviceAccountFor(clientId: string): RealmUser | undefined;
}

/** Keycloak's `+` in `webOrigins`: the origins of the client's (absolute) redirect URIs. */
function resolveWebOrigins(webOrigins: string[], redirectUris: string[]): string[] {
  const out = new Set<string>();
  for (const entry of webOrigins) {
    if (entry !== '+') {
      out.add(entry);
      continue;
    }
    for (const uri of redirectUris) {
      try {
        const { origin } = new URL(uri.replace(/\*$/, ''));
        if (origin !== 'null') out.add(origin);
      } catch {
        // A relative redirect URI has no origin.
      }
    }
  }
  return [...out];
}

export function loadRealm(file: string = DEFAULT_REALM_FILE): Realm {
  const rep = JSON.parse(readFileSync(file, 'utf8')) as RealmRepresentation;
  return buildRealm(rep);
}

export function buildRealm(rep: RealmRepresentation): Realm {
  if (!rep || typeof rep.realm !== 'string') throw new Error('realm file: "realm" is missing');

  const roleDefs = new Map<string, RoleRepresentation>();
  for (const r of rep.roles?.realm ?? []) roleDefs.set(r.name, r);
  const expand = (names: string[]): string[] => {
    const out: string[] = [];
    const visit = (name: string) => {
      if (out.includes(name)) return;
      out.push(name);
      const def = roleDefs.get(name);
      if (def?.composite) for (const c of def.composites?.realm ?? []) visit(c);
    };
    names.forEach(visit);
    return out;
  };

  const scopes = new Map<string, ClientScopeRepresentation>();
  for (const s of rep.clientScopes ?? []) scopes.set(s.name, s);

  const clients = new Map<string, RealmClient>();
  for (const c of rep.clients ?? []) {
    const scopeNames = c.defaultClientScopes ?? rep.defaultDefaultClientScopes ?? [];
    const mappers = [
      ...(c.protocolMappers ?? []),
      ...scopeNames.flatMap((n) => scopes.get(n)?.protocolMappers ?? []),
    ].filter((m) => (m.protocol ?? 'openid-connect') === 'openid-connect');
    clients.set(c.clientId, {
      clientId: c.clientId,
      enabled: c.enabled !== false,
      publicClient: c.publicClient === true,
      bearerOnly: c.bearerOnly === true,
      secret: c.secret ?? null,
      directAccessGrantsEnabled: c.directAccessGrantsEnabled === true,
      serviceAccountsEnabled: c.serviceAccountsEnabled === true,
      // Keycloak's default for a new client is on.
      standardFlowEnabled: c.standardFlowEnabled !== false,
      redirectUris: c.redirectUris ?? [],
      webOrigins: resolveWebOrigins(c.webOrigins ?? [], c.redirectUris ?? []),
      postLogoutRedirectUris: (c.attributes?.['post.logout.redirect.uris'] ?? '').split('##').filter(Boolean),
      pkceMethod: c.attributes?.['pkce.code.challenge.method'] || null,
      mappers,
    });
  }

  const users = new Map<string, RealmUser>();
  for (const u of rep.users ?? []) {
    // Keycloak stores usernames in lower case.
    const username = u.username.toLowerCase();
    const attributes: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(u.attributes ?? {})) attributes[k] = Array.isArray(v) ? v.map(String) : [String(v)];
    users.set(username, {
      id: u.id ?? `user-${username}`,
      username,
      enabled: u.enabled !== false,
      email: u.email ?? null,
      emailVerified: u.emailVerified === true,
      firstName: u.firstName ?? null,
      lastName: u.lastName ?? null,
      attributes,
      roles: expand(u.realmRoles ?? []),
      serviceAccountClientId: u.serviceAccountClientId ?? null,
      credentials: u.credentials ?? [],
    });
  }

  const byId = new Map<string, RealmUser>();
  const serviceAccounts = new Map<string, RealmUser>();
  for (const u of users.values()) {
    byId.set(u.id, u);
    if (u.serviceAccountClientId) serviceAccounts.set(u.serviceAccountClientId, u);
  }

  return {
    name: rep.realm,
    displayName: rep.displayName ?? rep.realm,
    accessTokenLifespan: rep.accessTokenLifespan ?? 300,
    refreshTokenLifespan: rep.ssoSessionIdleTimeout ?? 1800,
    users,
    clients,
    roles: [...roleDefs.keys()],
    userById: (id: string) => byId.get(id),
    serviceAccountFor(clientId: string) {
      const existing = serviceAccounts.get(clientId);
      if (existing) return existing;
      // Keycloak creates the service account on import when the export lacks it.
      const client = clients.get(clientId);
      if (!client?.serviceAccountsEnabled) return undefined;
      const username = `service-account-${clientId}`.toLowerCase();
      const created: RealmUser = {
        id: `service-account-${clientId}`,
        username,
        enabled: true,
        email: null,
        emailVerified: false,
        firstName: null,
        lastName: null,
        attributes: {},
        roles: [],
        serviceAccountClientId: clientId,
        credentials: [],
      };
      serviceAccounts.set(clientId, created);
      byId.set(created.id, created);
      return created;
    },
  };
}

// ---- passwords -------------------------------------------------------------------------------

const PBKDF2_DIGESTS: Record<string, string> = {
  pbkdf2: 'sha1',
  'pbkdf2-sha256': 'sha256',
  'pbkdf2-sha512': 'sha512',
};

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a password against the user's `password` credentials, in either form Keycloak
 * imports: a plain `value`, or the export's `secretData`/`credentialData` (PBKDF2 hashes).
 */
export async function verifyPassword(user: RealmUser, password: string): Promise<boolean> {
  for (const cred of user.credentials) {
    if ((cred.type ?? 'password') !== 'password') continue;
    if (typeof cred.value === 'string') {
      if (safeEqual(Buffer.from(cred.value, 'utf8'), Buffer.from(password, 'utf8'))) return true;
      continue;
    }
    if (!cred.secretData || !cred.credentialData) continue;
    try {
      const secret = JSON.parse(cred.secretData) as { value?: string; salt?: string };
      const data = JSON.parse(cred.credentialData) as { hashIterations?: number; algorithm?: string };
      const digest = PBKDF2_DIGESTS[data.algorithm ?? ''];
      if (!digest || !secret.value || !secret.salt || !data.hashIterations) continue;
      const expected = Buffer.from(secret.value, 'base64');
      const actual = await pbkdf2Async(password, Buffer.from(secret.salt, 'base64'), data.hashIterations, expected.length, digest);
      if (safeEqual(actual, expected)) return true;
    } catch {
      // A malformed credential never matches.
    }
  }
  return false;
}

/** Constant-time comparison for client secrets. */
export function secretMatches(expected: string | null, given: string | undefined): boolean {
  if (expected === null || given === undefined) return false;
  return safeEqual(Buffer.from(expected, 'utf8'), Buffer.from(given, 'utf8'));
}
