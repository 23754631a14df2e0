/**
 * Runs the development identity provider alone: `tsx identity/src/cli.ts`.
 * PORT (or IDENTITY_PORT, default 8080), HOST (or IDENTITY_HOST, default 127.0.0.1),
 * IDENTITY_DATA_DIR (default ./.data/identity), IDENTITY_KEY_FILE (the signing key; required with
 * NODE_ENV=production, else generated in the data directory), IDENTITY_ISSUER_URL (default http://localhost:PORT,
 * the CONTRACT's KEYCLOAK_URL default, so tokens' `iss` matches what services expect).
 */
import { startIdentityProvider } from './server';

const env = (name: string): string | undefined => process.env[name] || undefined;

async function main(): Promise<void> {
  const port = Number(env('PORT') ?? env('IDENTITY_PORT') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${port}`);
  const idp = await startIdentityProvider({
    host: env('IDENTITY_HOST') ?? env('HOST') ?? '127.0.0.1',
    port,
    dataDir: env('IDENTITY_DATA_DIR'),
    realmFile: env('IDENTITY_REALM_FILE'),
    issuerUrl: env('IDENTITY_ISSUER_URL') ?? (port === 0 ? undefined : `http://localhost:${port}`),
  });
  console.log(`Anmulong identity provider (realm otog) at ${idp.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    idp.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`identity provider failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
