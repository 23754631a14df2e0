/**
 * Browser login on the development identity provider, in headless Chromium: the same cases
 * `keycloak-e2e.test.ts` runs on a real Keycloak. Skipped (with the reason printed) where
 * /usr/bin/chromium is absent.
 */
import { loadDemo } from '@anmulong/demo';
import { chromiumAvailable, describeBrowserLogin, reportChromiumSkipped, type Stack, startStack } from '@anmulong/testkit';

let stack: Stack;

reportChromiumSkipped('gateway/test/browser-login.test.ts');
if (chromiumAvailable) {
  beforeAll(async () => {
    stack = await startStack();
    await loadDemo({ mongoUri: stack.docstore.uri, scale: 0.01 });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });
}

describeBrowserLogin('browser login on our identity provider', () => stack);
