/**
 * Browser login as Keycloak does it for a public client: the authorization-code flow with PKCE.
 * An authorization request is kept while the user fills in the login form; a successful login
 * starts a browser session (a cookie, so a second login is not asked for) and answers the
 * client's redirect URI with a one-time code, which the token endpoint exchanges for tokens
 * after checking the PKCE verifier. Logout ends the session: its cookie and its refresh tokens.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RealmClient, RealmUser } from './realm';

/** Keycloak's defaults: a login form is valid for 30 minutes, a code for one. */
export const LOGIN_LIFESPAN_MS = 30 * 60_000;
export const CODE_LIFESPAN_MS = 60_000;
/** Bounds what anonymous callers can make the provider keep in memory. */
const MAX_PENDING = 10_000;

export const SESSION_COOKIE = 'ANMULONG_IDP_SESSION';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string | null;
  nonce: string | null;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

export interface BrowserSession {
  sid: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

export interface IssuedCode extends AuthorizationRequest {
  sid: string;
  userId: string;
  authTime: number;
  expiresAt: number;
}

/** Keycloak's matching of a redirect URI against the client's list: exact, or a prefix ending in `*`. */
export function redirectUriAllowed(client: RealmClient, uri: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return false;
  }
  if (parsed.hash) return false;
  return client.redirectUris.some((pattern) => (pattern.endsWith('*') ? uri.startsWith(pattern.slice(0, -1)) : uri === pattern));
}

/** `post.logout.redirect.uris` of `+` means: the client's redirect URIs. */
export function postLogoutUriAllowed(client: RealmClient, uri: string): boolean {
  const configured = client.postLogoutRedirectUris;
  if (configured.includes('+') && redirectUriAllowed(client, uri)) return true;
  return configured.some((p) => p !== '+' && (p.endsWith('*') ? uri.startsWith(p.slice(0, -1)) : uri === p));
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) must equal the challenge. */
export function pkceMatches(challenge: string, verifier: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** Expiring entries keyed by an unguessable id; the oldest go first when full. */
class ExpiringStore<T extends { expiresAt: number }> {
  private entries = new Map<string, T>();

  put(value: T): string {
    const id = randomBytes(24).toString('base64url');
    this.sweep();
    if (this.entries.size >= MAX_PENDING) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, value);
    return id;
  }

  get(id: string | null | undefined): T | undefined {
    if (!id) return undefined;
    const value = this.entries.get(id);
    if (value && value.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return value;
  }

  /** Reads and removes: codes are single-use. */
  take(id: string | null | undefined): T | undefined {
    const value = this.get(id);
    if (id) this.entries.delete(id);
    return value;
  }

  find(test: (value: T) => boolean): T | undefined {
    const now = Date.now();
    for (const value of this.entries.values()) if (value.expiresAt > now && test(value)) return value;
    return undefined;
  }

  deleteWhere(test: (value: T) => boolean): void {
    for (const [id, value] of this.entries) if (test(value)) this.entries.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, value] of this.entries) if (value.expiresAt <= now) this.entries.delete(id);
  }
}

export class BrowserLogins {
  readonly pending = new ExpiringStore<AuthorizationRequest & { expiresAt: number }>();
  readonly codes = new ExpiringStore<IssuedCode>();
  readonly sessions = new ExpiringStore<BrowserSession>();
  /** Sessions ended by logout, until their refresh tokens would have expired anyway. */
  private ended = new Map<string, number>();

  constructor(private sessionLifespanMs: number) {}

  startSession(user: RealmUser, sid: string, authTime: number): string {
    return this.sessions.put({ sid, userId: user.id, authTime, expiresAt: Date.now() + this.sessionLifespanMs });
  }

  end(sid: string): void {
    this.sessions.deleteWhere((s) => s.sid === sid);
    this.codes.deleteWhere((c) => c.sid === sid);
    const now = Date.now();
    for (const [s, until] of this.ended) if (until <= now) this.ended.delete(s);
    if (this.ended.size >= MAX_PENDING) this.ended.delete(this.ended.keys().next().value as string);
    this.ended.set(sid, now + this.sessionLifespanMs);
  }

  /** When the user of a browser session logged in (its tokens' `auth_time`); null for direct grants. */
  authTimeOf(sid: string): number | null {
    return this.sessions.find((s) => s.sid === sid)?.authTime ?? null;
  }

  isEnded(sid: string): boolean {
    const until = this.ended.get(sid);
    return until !== undefined && until > Date.now();
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.3rem 0}
.error{color:#a00}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * The login form, with the field and button ids of Keycloak's own (`username`, `password`,
 * `kc-login`; the error under the username as `input-error-username`), so one browser script
 * fills in either.
 */
export function loginPage(realmDisplayName: string, action: string, error: string | null, username = ''): string {
  return page(
    `Sign in to ${realmDisplayName}`,
    `${error ? `<p id="input-error-username" class="error">${escapeHtml(error)}</p>` : ''}
<form id="kc-form-login" method="post" action="${escapeHtml(action)}">
<label for="username">Username</label><input id="username" name="username" value="${escapeHtml(username)}" autocomplete="username" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button id="kc-login" type="submit">Sign In</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p id="kc-page-title">${escapeHtml(message)}</p>`);
}

/** Keycloak's logout confirmation (no `id_token_hint`): a button, so a link alone cannot log users out. */
export function logoutConfirmPage(action: string): string {
  return page('Logging out', `<p>Do you want to log out?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="confirm" value="true">
<button id="kc-logout" type="submit">Logout</button></form>`);
}
