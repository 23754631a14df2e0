/*
 * Browser login for tests: Debian's Chromium, headless, driven by playwright-core (which never
 * downloads a browser), and a minimal web page of the public client `anmulong-web` that logs
 * users in the way a real frontend does: authorization code with PKCE S256, the code exchanged
 * by the page itself (cross-origin, so CORS is exercised), logout through the end-session
 * endpoint. The page is served at `http://localhost:5173/` (a redirect URI of the realm) by
 * intercepting its requests, so no port is taken. One code path for our identity provider and
 * a real Keycloak: the login form's fields have the same ids in both.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { decodeClaims } from './claims';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

/** Prints why a browser test does not run here. */
export function reportChromiumSkipped(what: string): void {
  if (chromiumAvailable) return;
  console.log(`${what}: skipped because ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it).`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const WEB_APP_ORIGIN = 'http://localhost:5173';
export const WEB_APP_CALLBACK = `${WEB_APP_ORIGIN}/callback`;

/** The web page: `/?login` starts a login, `/callback` exchanges the code, `/logout` ends the session. */
function webAppHtml(issuer: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Anmulong web</title></head><body><pre id="out">idle</pre><script>
const issuer = ${JSON.stringify(issuer)};
const clientId = 'anmulong-web';
const redirectUri = ${JSON.stringify(WEB_APP_CALLBACK)};
const out = document.getElementById('out');
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
async function login() {
  const verifier = random(32);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  const nonce = random(16);
  sessionStorage.setItem('login', JSON.stringify({ verifier, state, nonce }));
  location.assign(issuer + '/protocol/openid-connect/auth?' + new URLSearchParams({
    client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid',
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256',
  }));
}
async function callback(params) {
  const pending = JSON.parse(sessionStorage.getItem('login') || 'null');
  sessionStorage.removeItem('login');
  if (!pending || params.get('state') !== pending.state) { window.loginResult = { error: 'state mismatch' }; return; }
  if (params.get('error')) { window.loginResult = { error: params.get('error'), description: params.get('error_description') }; return; }
  const res = await fetch(issuer + '/protocol/openid-connect/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: params.get('code'), redirect_uri: redirectUri, code_verifier: pending.verifier }),
  });
  window.loginResult = { status: res.status, body: await res.json(), nonce: pending.nonce, iss: params.get('iss') };
  sessionStorage.setItem('idToken', window.loginResult.body.id_token || '');
  out.textContent = res.ok ? 'signed in' : 'failed';
}
function logout() {
  location.assign(issuer + '/protocol/openid-connect/logout?' + new URLSearchParams({
    id_token_hint: sessionStorage.getItem('idToken'), post_logout_redirect_uri: ${JSON.stringify(`${WEB_APP_ORIGIN}/logged-out`)},
  }));
}
const here = new URL(location.href);
if (here.pathname === '/callback') callback(here.searchParams).catch((e) => { window.loginResult = { status: 0, body: { error: String(e) } }; });
else if (here.pathname === '/logout') logout();
else if (here.searchParams.has('login')) login();
else out.textContent = here.pathname === '/logged-out' ? 'logged out' : 'idle';
</script></body></html>`;
}

export interface LoginResult {
  status: number;
  body: { access_token?: string; id_token?: string; refresh_token?: string; error?: string; error_description?: string; [k: string]: unknown };
  /** The nonce the page sent (the ID token must echo it). */
  nonce: string;
  /** The `iss` parameter of the redirect (RFC 9207). */
  iss: string | null;
}

export interface WebApp {
  context: BrowserContext;
  page: Page;
  /** Opens the page and starts a login; resolves on the identity provider's login form. */
  startLogin(): Promise<void>;
  /** Fills in and submits the login form. */
  submitForm(username: string, password: string): Promise<void>;
  /** The error the login form shows, or null. */
  formError(): Promise<string | null>;
  /** The code exchange's result, once the page has been redirected back and exchanged the code. */
  loginResult(): Promise<LoginResult>;
  /** Starts a login, fills in the form and returns the tokens. */
  login(username: string, password?: string): Promise<LoginResult>;
  /** Logs out through the end-session endpoint; resolves back on the page. */
  logout(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh browser profile (no cookies) with the web page of `anmulong-web` for `keycloakUrl`. */
export async function openWebApp(browser: Browser, keycloakUrl: string): Promise<WebApp> {
  const issuer = `${keycloakUrl.replace(/\/+$/, '')}/realms/otog`;
  // The intercepted page has no address of its own, so Chromium's Local Network Access counts
  // it as public and would ask the user before it calls a loopback identity provider: granted.
  const context = await browser.newContext({ permissions: ['local-network-access'] });
  await context.route(`${WEB_APP_ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: webAppHtml(issuer) }));
  const page = await context.newPage();
  const app: WebApp = {
    context,
    page,
    async startLogin() {
      await page.goto(`${WEB_APP_ORIGIN}/?login`);
      await page.waitForSelector('#username', { timeout: 30_000 });
    },
    async submitForm(username, password) {
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('#kc-login');
      // Done when the provider sent the browser back to the page, or showed the form's error.
      // (The other wait is left to time out quietly; what follows checks which one happened.)
      await Promise.race([
        page.waitForURL(`${WEB_APP_CALLBACK}?**`, { timeout: 30_000 }).catch(() => undefined),
        page.waitForSelector('#input-error-username', { timeout: 30_000 }).catch(() => undefined),
      ]);
    },
    async formError() {
      const error = page.locator('#input-error-username');
      return (await error.count()) > 0 ? (await error.first().innerText()).trim() : null;
    },
    async loginResult() {
      await page.waitForURL(`${WEB_APP_CALLBACK}?**`, { timeout: 30_000 });
      const handle = await page.waitForFunction(() => (globalThis as unknown as { loginResult?: unknown }).loginResult, undefined, { timeout: 30_000 });
      return (await handle.jsonValue()) as LoginResult;
    },
    async login(username, password = 'anmulong') {
      await app.startLogin();
      await app.submitForm(username, password);
      return app.loginResult();
    },
    async logout() {
      await page.goto(`${WEB_APP_ORIGIN}/logout`);
      await page.waitForURL(`${WEB_APP_ORIGIN}/logged-out**`, { timeout: 30_000 });
    },
    close: () => context.close(),
  };
  return app;
}


/**
 * The browser-login cases, run against the stack's identity provider (ours, or a real Keycloak):
 * log in through the form, get tokens, call the gateway with them; the session; logout.
 */
export function describeBrowserLogin(title: string, getStack: () => { keycloakUrl: string; gateway: { url: string } }): void {
  const suite = chromiumAvailable ? describe : describe.skip;
  suite(title, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    const households = (token: string | undefined) =>
      fetch(getStack().gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: 'query { households(divisionCode: "150624101", first: 2) { totalCount edges { node { division { code } } } } }' }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } }));

    it('logs a user in through the login form (a wrong password first), and the gateway accepts the token', async () => {
      const app = await openWebApp(browser, getStack().keycloakUrl);
      try {
        await app.startLogin();
        await app.submitForm('police.officer', 'not-the-password');
        expect(await app.formError()).toBe('Invalid username or password.');
        await app.submitForm('police.officer', 'anmulong');
        const result = await app.loginResult();
        const issuer = `${getStack().keycloakUrl}/realms/otog`;
        expect({ status: result.status, error: result.body.error, iss: result.iss }).toEqual({ status: 200, error: undefined, iss: issuer });
        expect(decodeClaims(result.body.access_token!)).toMatchObject({
          iss: issuer, aud: 'anmulong-gateway', azp: 'anmulong-web', typ: 'Bearer', preferred_username: 'police.officer',
          department: 'police', jurisdiction: '150624101', realm_access: { roles: ['police-officer'] },
        });
        expect(decodeClaims(result.body.id_token!)).toMatchObject({ typ: 'ID', aud: 'anmulong-web', nonce: result.nonce });

        const answer = await households(result.body.access_token);
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data.households.totalCount).toBeGreaterThan(0);
        for (const { node } of answer.body.data.households.edges) expect(node.division.code.startsWith('150624101')).toBe(true);
        const anonymous = await households(undefined);
        expect(anonymous.status).toBe(401);
      } finally {
        await app.close();
      }
    });

    it('keeps the browser session (no second password), and logout ends it: its refresh token is refused and the form is shown again', async () => {
      const app = await openWebApp(browser, getStack().keycloakUrl);
      try {
        const first = await app.login('auditor');
        expect(first.status).toBe(200);
        // Same browser: straight back with a new code, no form.
        await app.page.goto(`${WEB_APP_ORIGIN}/?login`);
        const second = await app.loginResult();
        expect(second.status).toBe(200);
        expect(decodeClaims(second.body.access_token!).sid).toBe(decodeClaims(first.body.access_token!).sid);

        await app.logout();
        const tokenUrl = `${getStack().keycloakUrl}/realms/otog/protocol/openid-connect/token`;
        const refresh = await fetch(tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'anmulong-web', refresh_token: second.body.refresh_token! }),
        });
        expect({ status: refresh.status, error: ((await refresh.json()) as { error?: string }).error }).toEqual({ status: 400, error: 'invalid_grant' });
        await app.startLogin();
        expect(await app.page.locator('#kc-login').count()).toBe(1);
      } finally {
        await app.close();
      }
    });
  });
}
