/** Talking to an identity provider (ours or Keycloak) over plain HTTP, as clients and browsers do: the demo users, token requests, the browser login without a browser. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEMO_USERS as DEPARTMENTS_DEMO_USERS, REALM_ROLES } from '@anmulong/platform';

/** The CONTRACT's demo users (Identity section), from the table of departments. `department: null` is the table's "—". */
export const DEMO_USERS: ReadonlyArray<{ username: string; role: string; department: string | null; jurisdiction: string }> = DEPARTMENTS_DEMO_USERS;

export { REALM_ROLES };

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `anmulong-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function postForm<T = Record<string, unknown>>(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

export const tokenUrl = (base: string) => `${base}/realms/otog/protocol/openid-connect/token`;

export async function passwordGrant(base: string, username: string, password = 'anmulong', extra: Record<string, string> = {}) {
  return postForm<Record<string, unknown>>(tokenUrl(base), { grant_type: 'password', client_id: 'anmulong-web', username, password, ...extra });
}

// ---- browser login without a browser: the authorization-code flow over plain HTTP -------------

export const WEB_REDIRECT_URI = 'http://localhost:5173/callback';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A cookie jar of one simulated browser. */
export class Browserless {
  private cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    return res;
  }
}

export function authorizationUrl(base: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams({ client_id: 'anmulong-web', redirect_uri: WEB_REDIRECT_URI, response_type: 'code', scope: 'openid' });
  for (const [k, v] of Object.entries(params)) if (v === undefined) query.delete(k); else query.set(k, v);
  return `${base}/realms/otog/protocol/openid-connect/auth?${query}`;
}

/** The login form's action, from either provider's page. */
export function loginFormAction(html: string): string {
  const form = /<form[^>]*id="kc-form-login"[^>]*>/.exec(html)?.[0] ?? '';
  const action = /action="([^"]+)"/.exec(form)?.[1];
  if (!action) throw new Error(`no login form in: ${html.slice(0, 200)}`);
  return action.replace(/&amp;/g, '&');
}

/** Submits the login form; returns the redirect (a code) or the page shown instead. */
export async function submitLogin(browser: Browserless, action: string, username: string, password: string): Promise<{ status: number; location: URL | null; html: string }> {
  const res = await browser.request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, credentialId: '' }).toString(),
  });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : null, html: location ? '' : await res.text() };
}

/** Logs `username` in as a browser would and returns the code (for `challenge`, S256). */
export async function codeFor(base: string, username: string, challenge: string | undefined, extra: Record<string, string> = {}): Promise<{ code: string; redirect: URL; browser: Browserless }> {
  const browser = new Browserless();
  const page = await browser.request(authorizationUrl(base, { code_challenge: challenge, code_challenge_method: challenge ? 'S256' : undefined, state: 'st-1', ...extra }));
  if (page.status !== 200) throw new Error(`authorization request answered ${page.status} ${page.headers.get('location')}`);
  const { location } = await submitLogin(browser, loginFormAction(await page.text()), username, 'anmulong');
  const code = location?.searchParams.get('code');
  if (!location || !code) throw new Error(`login did not redirect with a code: ${location}`);
  return { code, redirect: location, browser };
}

export function exchangeCode(base: string, code: string, verifier: string | undefined, redirectUri = WEB_REDIRECT_URI) {
  const form: Record<string, string> = { grant_type: 'authorization_code', client_id: 'anmulong-web', code, redirect_uri: redirectUri };
  if (verifier !== undefined) form.code_verifier = verifier;
  return postForm(tokenUrl(base), form);
}
