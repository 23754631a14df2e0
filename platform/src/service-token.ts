import { SHIPPED_CLIENT_SECRET } from '@anmulong/base';

/** The client the platform's services authenticate as (its development secret is SHIPPED_CLIENT_SECRET). */
export const PLATFORM_CLIENT_ID = 'anmulong-gateway';

/** A client-credentials service account (Keycloak names them `service-account-<client>`), never a person. */
export const isServiceAccount = (username: string) => username.startsWith('service-account-');

/**
 * The platform's own services (gateway, subgraphs) authenticate to each other as the
 * confidential client `anmulong-gateway` (client-credentials grant), e.g. to poll policies or
 * write the access log. The token is reused until shortly before it expires.
 */
export class ServiceToken {
  private token: { value: string; until: number } | null = null;

  constructor(
    private keycloakUrl: string,
    private clientId = process.env.ANMULONG_CLIENT_ID || PLATFORM_CLIENT_ID,
    // Production refuses to start without ANMULONG_CLIENT_SECRET (production.ts).
    private clientSecret = process.env.ANMULONG_CLIENT_SECRET || SHIPPED_CLIENT_SECRET,
  ) {}

  /** Forget the cached token (after a 401). */
  reset(): void {
    this.token = null;
  }

  async get(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const res = await fetch(`${this.keycloakUrl}/realms/otog/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!res.ok || !body.access_token) throw new Error(`service token request failed (HTTP ${res.status})`);
    this.token = { value: body.access_token, until: Date.now() + Math.max(5, (body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
  }
}
