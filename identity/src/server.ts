/**
 * The development identity provider: Keycloak's OpenID Connect paths for the realm in
 * `keycloak/realm-otog.json`, so the platform runs without a Keycloak and switches to a real
 * one by setting `KEYCLOAK_URL`. Direct grants (password, client_credentials, refresh_token) and
 * browser login (authorization code with PKCE, a login form, logout; see `browser.ts`).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { loadOrCreateSigningKey, signJwt, verifyOwnJwt, type SigningKey } from './keys';
import { DEFAULT_REALM_FILE, loadRealm, secretMatches, verifyPassword, type Realm, type RealmClient, type RealmUser } from './realm';
import {
  BrowserLogins, CODE_LIFESPAN_MS, LOGIN_LIFESPAN_MS, SESSION_COOKIE, cookieValue, loginPage, logoutConfirmPage, messagePage,
  pkceMatches, postLogoutUriAllowed, redirectUriAllowed, type AuthorizationRequest,
} from './browser';
import { accessTokenClaims, idTokenClaims, refreshTokenClaims, userInfoClaims, type IssueContext, type Session } from './tokens';
import { DEMO_PASSWORD, readBody, refusal, SHIPPED_CLIENT_SECRET } from '@anmulong/base';

/**
 * What makes this realm a development one (NODE_ENV=production refuses each, saying what to set):
 * a signing key generated in `.data/`, users signing in with the demo password, the shipped
 * client secret.
 */
export async function developmentRealm(realm: Realm, keyFile: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  if (!keyFile) problems.push('IDENTITY_KEY_FILE: set it to the realm\'s RS256 private key (PEM), provisioned for production (the key generated in .data/identity is for development)');
  const demo: string[] = [];
  for (const user of realm.users.values()) if (await verifyPassword(user, DEMO_PASSWORD)) demo.push(user.username);
  if (demo.length) {
    problems.push(`IDENTITY_REALM_FILE: the realm has users signing in with the shared demo password (${demo.join(', ')}): use a realm export without them or with their passwords changed`);
  }
  const shipped = [...realm.clients.values()].filter((c) => c.secret !== null && secretMatches(c.secret, SHIPPED_CLIENT_SECRET));
  if (shipped.length) {
    problems.push(`IDENTITY_REALM_FILE: client ${shipped.map((c) => c.clientId).join(', ')} has the shipped secret ${SHIPPED_CLIENT_SECRET}: give it its own secret (and set ANMULONG_CLIENT_SECRET to it on every service)`);
  }
  return problems;
}

export interface IdentityProviderOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks an ephemeral port. */
  port?: number;
  /** Realm export to serve; default `keycloak/realm-otog.json`. */
  realmFile?: string;
  /** Where the signing key is kept; default `./.data/identity`. */
  dataDir?: string;
  /**
   * The realm's RS256 private key (PEM); default env `IDENTITY_KEY_FILE`, else one generated in
   * `dataDir`. Required with NODE_ENV=production.
   */
  keyFile?: string;
  /** Access-token lifetime; default the realm's `accessTokenLifespan` (300 s). */
  tokenLifetimeSeconds?: number;
  /**
   * Public base URL used in `iss` and the discovery document (what services configure as
   * KEYCLOAK_URL). Default: env `IDENTITY_ISSUER_URL`, else the URL the server listens on.
   */
  issuerUrl?: string;
}

export interface IdentityProvider {
  /** The Keycloak base URL, e.g. `http://127.0.0.1:PORT` (realm under `/realms/otog`). */
  url: string;
  port: number;
  /** `<url>/realms/otog`, the `iss` of every token. */
  issuer: string;
  close(): Promise<void>;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const MAX_BODY = 64 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function sendHtml(res: http.ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    // The login form must not be framed (clickjacking) nor load anything from elsewhere.
    'X-Frame-Options': 'DENY',
    // (No `form-action`: browsers apply it to the redirect to the client after the login post.)
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ...NO_STORE,
    ...headers,
  });
  res.end(html);
}

function redirect(res: http.ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { Location: location, ...NO_STORE, ...headers });
  res.end();
}

/** `uri` with `params` added to its query (a redirect URI may have one already). */
function withQuery(uri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, MAX_BODY);
  if (body === null) throw new OAuthError(413, 'invalid_request', 'Request body too large');
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : new URLSearchParams();
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startIdentityProvider(opts: IdentityProviderOptions = {}): Promise<IdentityProvider> {
  const realm: Realm = loadRealm(opts.realmFile ?? DEFAULT_REALM_FILE);
  const keyFile = opts.keyFile ?? (process.env.IDENTITY_KEY_FILE || undefined);
  const production = process.env.NODE_ENV === 'production';
  if (production) {
    const problems = await developmentRealm(realm, keyFile);
    if (problems.length) throw new Error(refusal('the identity provider', problems));
  }
  const dataDir = path.resolve(opts.dataDir ?? path.join('.data', 'identity'));
  const key: SigningKey = await loadOrCreateSigningKey(dataDir, keyFile && path.resolve(keyFile), !production);
  const accessLifespan = opts.tokenLifetimeSeconds ?? realm.accessTokenLifespan;
  const browser = new BrowserLogins(realm.refreshTokenLifespan * 1000);
  const host = opts.host ?? '127.0.0.1';

  // Set once listening (the port may be ephemeral).
  let baseUrl = '';
  let issuer = '';
  const realmPath = `/realms/${realm.name}`;
  const oidcPath = `${realmPath}/protocol/openid-connect`;

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
    token_endpoint: `${issuer}/protocol/openid-connect/token`,
    userinfo_endpoint: `${issuer}/protocol/openid-connect/userinfo`,
    jwks_uri: `${issuer}/protocol/openid-connect/certs`,
    end_session_endpoint: `${issuer}/protocol/openid-connect/logout`,
    grant_types_supported: ['authorization_code', 'password', 'client_credentials', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    response_modes_supported: ['query'],
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['openid', 'profile', 'email', 'roles'],
    claims_supported: [
      'iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'azp', 'typ', 'sid', 'acr', 'name', 'given_name', 'family_name',
      'preferred_username', 'email', 'email_verified', 'realm_access', 'department', 'jurisdiction',
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
  });

  /** Client authentication as Keycloak does it: HTTP Basic or `client_id` (+ `client_secret`) in the form. */
  function authenticateClient(req: http.IncomingMessage, form: URLSearchParams): RealmClient {
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const authz = req.headers.authorization;
    if (authz && /^basic\s+/i.test(authz)) {
      const decoded = Buffer.from(authz.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      try {
        if (colon >= 0) {
          clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
          secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
        }
      } catch {
        throw new OAuthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
      }
    }
    if (!clientId) throw new OAuthError(401, 'invalid_client', 'Missing parameter: client_id');
    const client = realm.clients.get(clientId);
    if (!client || !client.enabled) throw new OAuthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
    if (client.bearerOnly) throw new OAuthError(400, 'invalid_client', 'Bearer-only not allowed');
    if (!client.publicClient && !secretMatches(client.secret, secret)) {
      throw new OAuthError(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
    }
    return client;
  }

  function issue(client: RealmClient, user: RealmUser, session: Session, withRefresh: boolean): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const ctx: IssueContext = { issuer, client, user, session, now, accessLifespan };
    const body: Record<string, unknown> = {
      access_token: signJwt(key, accessTokenClaims(ctx)),
      expires_in: accessLifespan,
      refresh_expires_in: withRefresh ? realm.refreshTokenLifespan : 0,
    };
    if (withRefresh) body.refresh_token = signJwt(key, refreshTokenClaims(ctx, realm.refreshTokenLifespan));
    body.token_type = 'Bearer';
    if (session.scope.split(' ').includes('openid')) body.id_token = signJwt(key, idTokenClaims(ctx, String(body.access_token)));
    body['not-before-policy'] = 0;
    if (withRefresh) body.session_state = session.sid;
    body.scope = session.scope;
    return body;
  }

  // ---- browser login -------------------------------------------------------------------------

  const loginAction = (requestId: string) => `${baseUrl}${realmPath}/login-actions/authenticate?request=${encodeURIComponent(requestId)}`;

  /** A code for `request`, sent to its redirect URI as Keycloak does (`state`, `session_state`, `iss`, `code`). */
  function redirectWithCode(res: http.ServerResponse, request: AuthorizationRequest, user: RealmUser, sid: string, authTime: number, headers: Record<string, string | string[]> = {}) {
    const code = browser.codes.put({ ...request, sid, userId: user.id, authTime, expiresAt: Date.now() + CODE_LIFESPAN_MS });
    redirect(res, withQuery(request.redirectUri, { state: request.state, session_state: sid, iss: issuer, code }), headers);
  }

  /** GET `/auth`: validates the request, then answers with a code (live session) or the login form. */
  function authorizationEndpoint(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): void {
    const client = realm.clients.get(query.get('client_id') ?? '');
    if (!client || !client.enabled) return sendHtml(res, 400, messagePage('We are sorry...', 'Client not found.'));
    const redirectUri = query.get('redirect_uri') ?? '';
    // Never redirect to an address the client has not registered: show the error instead.
    if (!redirectUriAllowed(client, redirectUri)) return sendHtml(res, 400, messagePage('We are sorry...', 'Invalid parameter: redirect_uri'));
    const state = query.get('state');
    const responseType = query.get('response_type') ?? '';
    // Keycloak answers an implicit or hybrid request in the fragment, where such clients read it.
    const implicit = responseType.split(' ').some((t) => t === 'token' || t === 'id_token');
    const fail = (error: string, description: string) => {
      const params = { error, error_description: description, state, iss: issuer };
      if (!implicit) return redirect(res, withQuery(redirectUri, params));
      const fragment = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== null)).toString();
      redirect(res, `${redirectUri.split('#')[0]}#${fragment}`);
    };
    if (implicit) return fail('unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.');
    if (!client.standardFlowEnabled) return fail('unauthorized_client', 'Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.');
    if (responseType !== 'code') return fail('unsupported_response_type', 'Client is not allowed to initiate browser login with given response_type.');
    const responseMode = query.get('response_mode');
    if (responseMode && responseMode !== 'query') return fail('invalid_request', 'Invalid parameter: response_mode');
    const challenge = query.get('code_challenge');
    const method = query.get('code_challenge_method') ?? (challenge ? 'plain' : null);
    if (client.pkceMethod && !method) return fail('invalid_request', 'Missing parameter: code_challenge_method');
    if (client.pkceMethod && method !== client.pkceMethod) return fail('invalid_request', 'Invalid parameter: code challenge method is not matching the configured one');
    // Only S256: `plain` would hand the verifier to whoever sees the authorization request.
    if (method && method !== 'S256') return fail('invalid_request', 'Invalid parameter: code_challenge_method');
    if (method && !challenge) return fail('invalid_request', 'Missing parameter: code_challenge');
    if (challenge && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'Invalid parameter: code_challenge');
    const request: AuthorizationRequest = {
      clientId: client.clientId,
      redirectUri,
      state,
      nonce: query.get('nonce'),
      scope: grantedScope(query.get('scope')),
      codeChallenge: challenge,
      codeChallengeMethod: method,
    };
    const session = browser.sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
    const user = session ? realm.userById(session.userId) : undefined;
    if (session && user?.enabled && query.get('prompt') !== 'login') return redirectWithCode(res, request, user, session.sid, session.authTime);
    const requestId = browser.pending.put({ ...request, expiresAt: Date.now() + LOGIN_LIFESPAN_MS });
    sendHtml(res, 200, loginPage(realm.displayName, loginAction(requestId), null));
  }

  /** POST of the login form: the user's password, then a session cookie and a code. */
  async function loginEndpoint(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const requestId = query.get('request') ?? '';
    const request = browser.pending.get(requestId);
    if (!request) return sendHtml(res, 400, messagePage('We are sorry...', 'Your login attempt timed out. Login will start from the beginning.'));
    const form = await readForm(req);
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const user = realm.users.get(username.toLowerCase());
    const again = (message: string) => sendHtml(res, 200, loginPage(realm.displayName, loginAction(requestId), message, username));
    if (!user || user.serviceAccountClientId) {
      await verifyPassword(dummyUser, password);
      return again('Invalid username or password.');
    }
    if (!(await verifyPassword(user, password))) return again('Invalid username or password.');
    if (!user.enabled) return again('Account is disabled, contact your administrator.');
    browser.pending.take(requestId);
    const authTime = Math.floor(Date.now() / 1000);
    const sid = randomUUID();
    const cookie = browser.startSession(user, sid, authTime);
    const setCookie = `${SESSION_COOKIE}=${cookie}; Path=${realmPath}/; HttpOnly; SameSite=Lax`;
    redirectWithCode(res, request, user, sid, authTime, { 'Set-Cookie': setCookie });
  }

  /** `/logout`: with a valid `id_token_hint` at once; otherwise after the user confirms (a button). */
  async function logoutEndpoint(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const params = req.method === 'POST' ? await readForm(req) : query;
    const hint = params.get('id_token_hint');
    const claims = hint ? verifyOwnJwt(key, hint, 0) : null;
    if (hint && (!claims || claims.typ !== 'ID' || claims.iss !== issuer)) return sendHtml(res, 400, messagePage('We are sorry...', 'Invalid parameter: id_token_hint'));
    const postLogout = params.get('post_logout_redirect_uri');
    const clientId = params.get('client_id') ?? (claims ? String(claims.azp) : null);
    const client = clientId ? realm.clients.get(clientId) : undefined;
    if (postLogout && !client) return sendHtml(res, 400, messagePage('We are sorry...', 'Missing parameters: id_token_hint'));
    if (postLogout && client && !postLogoutUriAllowed(client, postLogout)) return sendHtml(res, 400, messagePage('We are sorry...', 'Invalid redirect uri'));
    const cookieSession = browser.sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (!claims && params.get('confirm') !== 'true') {
      const action = withQuery(`${issuer}/protocol/openid-connect/logout`, { post_logout_redirect_uri: postLogout, client_id: clientId, state: params.get('state') });
      return sendHtml(res, 200, logoutConfirmPage(action));
    }
    const sid = claims ? String(claims.sid ?? '') : cookieSession?.sid;
    if (sid) browser.end(sid);
    if (cookieSession && cookieSession.sid !== sid) browser.end(cookieSession.sid);
    const clearCookie = `${SESSION_COOKIE}=; Path=${realmPath}/; HttpOnly; SameSite=Lax; Max-Age=0`;
    if (postLogout) return redirect(res, withQuery(postLogout, { state: params.get('state') }), { 'Set-Cookie': clearCookie });
    sendHtml(res, 200, messagePage('You are logged out', 'You are logged out'), { 'Set-Cookie': clearCookie });
  }

  /** Keycloak's default scopes put `profile email` in `scope`, plus `openid` when asked. */
  const grantedScope = (requested: string | null) =>
    (requested ?? '').split(/\s+/).includes('openid') ? 'openid profile email' : 'profile email';

  // A hash to spend time on for unknown users, so timing does not reveal which names exist.
  const dummyUser: RealmUser = {
    id: '', username: '', enabled: true, email: null, emailVerified: false, firstName: null, lastName: null,
    attributes: {}, roles: [], serviceAccountClientId: null,
    credentials: [...realm.users.values()].find((u) => u.credentials.length > 0)?.credentials.slice(0, 1) ?? [],
  };

  async function tokenEndpoint(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const form = await readForm(req);
    const grantType = form.get('grant_type');
    if (!grantType) throw new OAuthError(400, 'invalid_request', 'Missing form parameter: grant_type');
    const client = authenticateClient(req, form);

    if (grantType === 'password') {
      if (!client.directAccessGrantsEnabled) throw new OAuthError(400, 'unauthorized_client', 'Client not allowed for direct access grants');
      const username = form.get('username');
      const password = form.get('password');
      if (!username) throw new OAuthError(400, 'invalid_request', 'Missing parameter: username');
      const user = realm.users.get(username.toLowerCase());
      if (!user || user.serviceAccountClientId || password === null) {
        await verifyPassword(dummyUser, password ?? '');
        throw new OAuthError(400, 'invalid_grant', 'Invalid user credentials');
      }
      if (!(await verifyPassword(user, password))) throw new OAuthError(400, 'invalid_grant', 'Invalid user credentials');
      if (!user.enabled) throw new OAuthError(400, 'invalid_grant', 'Account disabled');
      const session: Session = { sid: randomUUID(), scope: grantedScope(form.get('scope')), authTime: null };
      return send(res, 200, issue(client, user, session, true), NO_STORE);
    }

    if (grantType === 'authorization_code') {
      const codeValue = form.get('code');
      if (!codeValue) throw new OAuthError(400, 'invalid_request', 'Missing parameter: code');
      const code = browser.codes.take(codeValue);
      if (!code) throw new OAuthError(400, 'invalid_grant', 'Code not valid');
      if (code.clientId !== client.clientId) throw new OAuthError(400, 'invalid_grant', 'Auth error');
      if (form.get('redirect_uri') !== code.redirectUri) throw new OAuthError(400, 'invalid_grant', 'Incorrect redirect_uri');
      const verifier = form.get('code_verifier');
      if (code.codeChallenge) {
        if (!verifier) throw new OAuthError(400, 'invalid_grant', 'PKCE code verifier not specified');
        if (!pkceMatches(code.codeChallenge, verifier)) throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed: Code mismatch');
      } else if (verifier) {
        throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed: Code mismatch');
      }
      const user = realm.userById(code.userId);
      if (!user || !user.enabled || browser.isEnded(code.sid)) throw new OAuthError(400, 'invalid_grant', 'Session not active');
      const session: Session = { sid: code.sid, scope: code.scope, authTime: code.authTime, nonce: code.nonce };
      return send(res, 200, issue(client, user, session, true), NO_STORE);
    }

    if (grantType === 'client_credentials') {
      if (client.publicClient) throw new OAuthError(401, 'unauthorized_client', 'Public client not allowed to retrieve service account');
      const user = client.serviceAccountsEnabled ? realm.serviceAccountFor(client.clientId) : undefined;
      if (!user) throw new OAuthError(400, 'unauthorized_client', 'Client not enabled to retrieve service account');
      const session: Session = { sid: null, scope: grantedScope(form.get('scope')), authTime: null };
      return send(res, 200, issue(client, user, session, false), NO_STORE);
    }

    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token');
      if (!token) throw new OAuthError(400, 'invalid_request', 'Missing parameter: refresh_token');
      const claims = verifyOwnJwt(key, token);
      if (!claims || claims.typ !== 'Refresh' || claims.iss !== issuer) throw new OAuthError(400, 'invalid_grant', 'Invalid refresh token');
      if (claims.azp !== client.clientId) {
        throw new OAuthError(400, 'invalid_grant', "Invalid refresh token. Token client and authorized client don't match");
      }
      if (typeof claims.sid === 'string' && browser.isEnded(claims.sid)) throw new OAuthError(400, 'invalid_grant', 'Session not active');
      const user = realm.userById(String(claims.sub));
      if (!user) throw new OAuthError(400, 'invalid_grant', 'User not found');
      if (!user.enabled) throw new OAuthError(400, 'invalid_grant', 'User disabled');
      const session: Session = {
        sid: String(claims.sid ?? randomUUID()),
        scope: typeof claims.scope === 'string' ? claims.scope : grantedScope(null),
        authTime: typeof claims.sid === 'string' ? browser.authTimeOf(claims.sid) : null,
      };
      return send(res, 200, issue(client, user, session, true), NO_STORE);
    }

    throw new OAuthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  }

  async function userInfoEndpoint(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let token: string | undefined;
    const authz = req.headers.authorization;
    if (authz && /^bearer\s+/i.test(authz)) token = authz.replace(/^bearer\s+/i, '').trim();
    else if (req.method === 'POST') token = (await readForm(req)).get('access_token') ?? undefined;
    const claims = token ? verifyOwnJwt(key, token) : null;
    const user = claims && claims.typ === 'Bearer' && claims.iss === issuer ? realm.userById(String(claims.sub)) : undefined;
    const client = claims ? realm.clients.get(String(claims.azp)) : undefined;
    if (!claims || !user || !user.enabled || !client) {
      const description = token ? 'Token verification failed' : 'Missing token';
      return send(res, 401, { error: 'invalid_token', error_description: description }, {
        'WWW-Authenticate': `Bearer realm="${realm.name}", error="invalid_token", error_description="${description}"`,
        ...NO_STORE,
      });
    }
    send(res, 200, userInfoClaims(client, user), NO_STORE);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const requestUrl = new URL(req.url ?? '/', 'http://localhost');
    let pathname = requestUrl.pathname;
    if (pathname.length > 1) pathname = pathname.replace(/\/+$/, '');

    // Browser frontends call the token endpoint cross-origin in development.
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '3600',
      });
      res.end();
      return;
    }

    if (pathname === '/health') return send(res, 200, { status: 'ok', realm: realm.name, issuer });
    if (pathname === '/realms' || pathname.startsWith('/realms/')) {
      if (pathname !== realmPath && !pathname.startsWith(`${realmPath}/`)) return send(res, 404, { error: 'Realm does not exist' });
    }

    const isGet = method === 'GET' || method === 'HEAD';
    switch (pathname) {
      case realmPath:
        if (!isGet) break;
        return send(res, 200, {
          realm: realm.name,
          public_key: key.publicKeyBase64,
          'token-service': `${issuer}/protocol/openid-connect`,
          'account-service': `${issuer}/account`,
          'tokens-not-before': 0,
        });
      case `${realmPath}/.well-known/openid-configuration`:
        if (!isGet) break;
        return send(res, 200, discovery());
      case `${oidcPath}/certs`:
        if (!isGet) break;
        return send(res, 200, { keys: [key.jwk] });
      case `${oidcPath}/token`:
        if (method !== 'POST') return send(res, 405, { error: 'invalid_request', error_description: 'HTTP method not allowed' });
        return tokenEndpoint(req, res);
      case `${oidcPath}/userinfo`:
        if (method !== 'GET' && method !== 'POST') break;
        return userInfoEndpoint(req, res);
      case `${oidcPath}/auth`:
        if (!isGet) break;
        return authorizationEndpoint(req, res, requestUrl.searchParams);
      case `${realmPath}/login-actions/authenticate`:
        if (method !== 'POST') break;
        return loginEndpoint(req, res, requestUrl.searchParams);
      case `${oidcPath}/logout`:
        if (method !== 'GET' && method !== 'POST') break;
        return logoutEndpoint(req, res, requestUrl.searchParams);
      default:
        break;
    }
    send(res, 404, { error: 'not_found', error_description: `No resource at ${method} ${pathname}` });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body refused as too large was left unread: close the connection after answering.
      if (e instanceof OAuthError) return send(res, e.status, { error: e.error, error_description: e.description }, e.status === 413 ? { ...NO_STORE, Connection: 'close' } : NO_STORE);
      send(res, 500, { error: 'server_error', error_description: 'Internal error' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = opts.issuerUrl ?? (process.env.IDENTITY_ISSUER_URL || undefined);
  baseUrl = (publicUrl ?? `http://${formatHost(host)}:${port}`).replace(/\/+$/, '');
  issuer = `${baseUrl}${realmPath}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    issuer,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
