/**
 * Fetching an access token for a demo user (tests, scripts, the README's curl example):
 * the password grant of the public client `anmulong-web`. Works against the development
 * identity provider and a real Keycloak alike.
 */
export const WEB_CLIENT_ID = 'anmulong-web';

export async function fetchToken(keycloakUrl: string, username: string, password = 'anmulong', realm = 'otog'): Promise<string> {
  const url = `${keycloakUrl.replace(/\/+$/, '')}/realms/${realm}/protocol/openid-connect/token`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: WEB_CLIENT_ID, username, password }),
  });
  const text = await res.text();
  let body: { access_token?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below
  }
  if (!res.ok || typeof body.access_token !== 'string') {
    const why = body.error ? `${String(body.error)}: ${String(body.error_description ?? '')}` : text.slice(0, 200);
    throw new Error(`token request for ${username} failed (HTTP ${res.status}): ${why}`);
  }
  return body.access_token;
}
