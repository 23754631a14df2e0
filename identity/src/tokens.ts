/**
 * Token contents, shaped like Keycloak 26's for a client with the default client scopes
 * (basic, profile, email, roles, acr) plus the client's protocol mappers from the realm file.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ProtocolMapperRepresentation, RealmClient, RealmUser } from './realm';

export type TokenKind = 'access' | 'id' | 'userinfo';

const flag = (config: Record<string, string>, key: string) => config[key] === 'true';

function includeIn(mapper: ProtocolMapperRepresentation, kind: TokenKind): boolean {
  const config = mapper.config ?? {};
  if (kind === 'access') return flag(config, 'access.token.claim');
  if (kind === 'id') return flag(config, 'id.token.claim');
  // Keycloak: a mapper without the userinfo flag follows its ID-token flag.
  return config['userinfo.token.claim'] === undefined ? flag(config, 'id.token.claim') : flag(config, 'userinfo.token.claim');
}

function convert(value: string, jsonType: string | undefined): unknown {
  switch ((jsonType ?? 'String').toLowerCase()) {
    case 'long':
    case 'int': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'boolean':
      return value === 'true';
    case 'json':
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/** Keycloak's nested claim names: `a.b` sets `{ a: { b } }`; `a\.b` is a literal dot. */
function setClaim(claims: Record<string, unknown>, name: string, value: unknown): void {
  const parts = name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
  let target = claims;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts[parts.length - 1]] = value;
}

const USER_PROPERTIES: Record<string, (u: RealmUser) => string | null> = {
  username: (u) => u.username,
  email: (u) => u.email,
  firstName: (u) => u.firstName,
  lastName: (u) => u.lastName,
};

/** Applies the client's protocol mappers (attribute, property, hardcoded claim) to `claims`. */
export function applyMappers(client: RealmClient, user: RealmUser, kind: TokenKind, claims: Record<string, unknown>): void {
  for (const mapper of client.mappers) {
    const config = mapper.config ?? {};
    if (!includeIn(mapper, kind)) continue;
    const claimName = config['claim.name'];
    switch (mapper.protocolMapper) {
      case 'oidc-usermodel-attribute-mapper': {
        const values = user.attributes[config['user.attribute'] ?? ''];
        if (!claimName || !values || values.length === 0) break;
        const converted = values.map((v) => convert(v, config['jsonType.label']));
        setClaim(claims, claimName, flag(config, 'multivalued') ? converted : converted[0]);
        break;
      }
      case 'oidc-usermodel-property-mapper': {
        const value = USER_PROPERTIES[config['user.attribute'] ?? '']?.(user);
        if (claimName && value !== null && value !== undefined) setClaim(claims, claimName, convert(value, config['jsonType.label']));
        break;
      }
      case 'oidc-hardcoded-claim-mapper': {
        if (claimName && config['claim.value'] !== undefined) setClaim(claims, claimName, convert(config['claim.value'], config['jsonType.label']));
        break;
      }
      default:
        // Audience mappers are handled by `audiences`; other mapper types are not emulated.
        break;
    }
  }
}

/** The `aud` of an access token: what the client's audience mappers add. */
export function audiences(client: RealmClient): string[] {
  const out: string[] = [];
  for (const mapper of client.mappers) {
    if (mapper.protocolMapper !== 'oidc-audience-mapper' || !includeIn(mapper, 'access')) continue;
    const config = mapper.config ?? {};
    for (const aud of [config['included.client.audience'], config['included.custom.audience']]) {
      if (aud && !out.includes(aud)) out.push(aud);
    }
  }
  return out;
}

/** The profile and email scope claims (and the service account's `client_id`). */
export function profileClaims(user: RealmUser): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (user.serviceAccountClientId) {
    // No `client_id`/`clientHost`: Keycloak adds those through the `service_account` scope,
    // which clients imported without `defaultClientScopes` do not get.
    claims.email_verified = false;
    claims.preferred_username = user.username;
    return claims;
  }
  claims.email_verified = user.emailVerified;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  if (name) claims.name = name;
  claims.preferred_username = user.username;
  if (user.firstName) claims.given_name = user.firstName;
  if (user.lastName) claims.family_name = user.lastName;
  if (user.email) claims.email = user.email;
  return claims;
}

export interface Session {
  /** None for the client-credentials grant: Keycloak 26 keeps no session for it. */
  sid: string | null;
  scope: string;
  /** Set for a browser login only: Keycloak puts `auth_time` in tokens of interactive logins. */
  authTime: number | null;
  /** The authorization request's `nonce`, echoed in the ID token. */
  nonce?: string | null;
}

export interface IssueContext {
  issuer: string;
  client: RealmClient;
  user: RealmUser;
  session: Session;
  now: number;
  accessLifespan: number;
}

export function accessTokenClaims({ issuer, client, user, session, now, accessLifespan }: IssueContext): Record<string, unknown> {
  const aud = audiences(client);
  const claims: Record<string, unknown> = {
    exp: now + accessLifespan,
    iat: now,
    ...(session.authTime !== null ? { auth_time: session.authTime } : {}),
    jti: randomUUID(),
    iss: issuer,
  };
  if (aud.length > 0) claims.aud = aud.length === 1 ? aud[0] : aud;
  Object.assign(claims, {
    sub: user.id,
    typ: 'Bearer',
    azp: client.clientId,
    ...(session.sid !== null ? { sid: session.sid } : {}),
    acr: '1',
  });
  // The `web-origins` scope: where a browser may call from with this token.
  if (client.webOrigins.length > 0) claims['allowed-origins'] = [...client.webOrigins];
  if (user.roles.length > 0) claims.realm_access = { roles: [...user.roles] };
  claims.scope = session.scope;
  Object.assign(claims, profileClaims(user));
  applyMappers(client, user, 'access', claims);
  return claims;
}

/** OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export function idTokenClaims({ issuer, client, user, session, now, accessLifespan }: IssueContext, accessToken: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    exp: now + accessLifespan,
    iat: now,
    ...(session.authTime !== null ? { auth_time: session.authTime } : {}),
    jti: randomUUID(),
    iss: issuer,
    aud: client.clientId,
    sub: user.id,
    typ: 'ID',
    azp: client.clientId,
    ...(session.nonce ? { nonce: session.nonce } : {}),
    sid: session.sid,
    at_hash: accessTokenHash(accessToken),
    acr: '1',
    ...profileClaims(user),
  };
  applyMappers(client, user, 'id', claims);
  return claims;
}

export function refreshTokenClaims(ctx: IssueContext, refreshLifespan: number): Record<string, unknown> {
  return {
    exp: ctx.now + refreshLifespan,
    iat: ctx.now,
    jti: randomUUID(),
    iss: ctx.issuer,
    aud: ctx.issuer,
    sub: ctx.user.id,
    typ: 'Refresh',
    azp: ctx.client.clientId,
    sid: ctx.session.sid,
    scope: ctx.session.scope,
  };
}

export function userInfoClaims(client: RealmClient, user: RealmUser): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id, ...profileClaims(user) };
  applyMappers(client, user, 'userinfo', claims);
  return claims;
}
