import path from 'node:path';
import type { Express, Response } from 'express';
import { loadConfig } from '@anmulong/platform';

/**
 * Developer query explorer (development only; the gateway mounts it when NODE_ENV !== 'production').
 *
 * GraphiQL served entirely from npm packages, so it works offline: Apollo's sandbox and the
 * GraphiQL CDN examples load from the internet, which these machines cannot reach. The page at
 * `GET /` loads the UMD builds of React, ReactDOM and GraphiQL from `/explorer/...`, and a small
 * start-up script that renders GraphiQL against `/graphql`. GraphiQL POSTs JSON, so Apollo
 * Server's CSRF prevention lets it through. A Content-Security-Policy keeps every script, style
 * and request on this origin (which also proves nothing is fetched from a CDN).
 */

/**
 * A file inside an installed package, found through its package.json (react's `exports` hides
 * `umd/`), each named literally so the package checker sees the gateway use it.
 */
const packageFile = (manifest: string, file: string) => path.join(path.dirname(manifest), file);

/** The routes under `/explorer/` and the file each one serves. */
export const EXPLORER_ASSETS: Readonly<Record<string, () => string>> = {
  'react.production.min.js': () => packageFile(require.resolve('react/package.json'), 'umd/react.production.min.js'),
  'react-dom.production.min.js': () => packageFile(require.resolve('react-dom/package.json'), 'umd/react-dom.production.min.js'),
  'graphiql.min.js': () => packageFile(require.resolve('graphiql/package.json'), 'graphiql.min.js'),
  'graphiql.min.css': () => packageFile(require.resolve('graphiql/package.json'), 'graphiql.min.css'),
};

export const DEFAULT_HEADERS = '{\n  "Authorization": "Bearer <paste a token>"\n}';

const DEFAULT_QUERY = `# Anmulong explorer (development only)
# 1. Get a token: "how to get a token" above.
# 2. Paste it into Headers → Authorization.
# 3. ⟳ (bottom left) re-fetches the schema;
#    ▶ or Ctrl-Enter runs the query.

query Households {
  households(divisionCode: "150624101", first: 5) {
    totalCount
    edges {
      node {
        id
        address
        head { name { zh mn } }
        members {
          name { zh }
          relationToHead
          helpRequests { category status }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Renders GraphiQL; its settings come from the page's JSON block, so no inline script is needed. */
const INIT_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: config.defaultQuery,
    defaultHeaders: config.defaultHeaders,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false
  }));
})();
`;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set inline style attributes; its fonts are data: URIs in the CSS.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that is safe inside a `<script type="application/json">` block. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function explorerPage(keycloakUrl: string): string {
  const tokenUrl = `${keycloakUrl.replace(/\/+$/, '')}/realms/otog/protocol/openid-connect/token`;
  const curl = [
    `curl -s ${tokenUrl} \\`,
    `  -d grant_type=password -d client_id=anmulong-web \\`,
    `  -d username=police.officer -d password=anmulong | jq -r .access_token`,
  ].join('\n');
  const config = { endpoint: '/graphql', defaultQuery: DEFAULT_QUERY, defaultHeaders: DEFAULT_HEADERS };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmulong · GraphQL explorer</title>
<link rel="stylesheet" href="/explorer/graphiql.min.css">
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
  #help { flex: none; padding: 6px 12px; font-size: 13px; background: #f3f4f6; border-bottom: 1px solid #d1d5db; }
  #help summary { cursor: pointer; }
  #help pre { margin: 6px 0; padding: 8px; background: #fff; border: 1px solid #d1d5db; overflow-x: auto; user-select: all; }
  #help p { margin: 4px 0; }
  #graphiql { flex: 1 1 auto; min-height: 0; }
</style>
</head>
<body>
<div id="help">
  <details>
    <summary><strong>Anmulong gateway</strong> (development explorer) — how to get a token</summary>
    <p>Ask the identity provider for an access token (demo users: <code>police.officer</code>, <code>caseworker</code>, <code>judge</code>, <code>analyst</code>, … password <code>anmulong</code>):</p>
    <pre>${escapeHtml(curl)}</pre>
    <p>Then put it in the <strong>Headers</strong> tab: <code>{"Authorization": "Bearer eyJ…"}</code>, and click ⟳ (re-fetch schema) for completion and docs. Tokens expire; fetch a new one when you get <code>UNAUTHENTICATED</code>.
    Reading personal data as an analyst also needs <code>"X-Access-Purpose": "why you are reading it"</code>.</p>
  </details>
</div>
<div id="graphiql">Loading the explorer…</div>
<script type="application/json" id="explorer-config">${scriptJson(config)}</script>
<script src="/explorer/react.production.min.js"></script>
<script src="/explorer/react-dom.production.min.js"></script>
<script src="/explorer/graphiql.min.js"></script>
<script src="/explorer/init.js"></script>
</body>
</html>
`;
}

export interface ExplorerOptions {
  /** Keycloak base URL shown in the token help; defaults to the gateway's KEYCLOAK_URL. */
  keycloakUrl?: string;
}

export function mountExplorer(app: Express, opts: ExplorerOptions = {}): void {
  // Resolve every asset now, so a missing package fails at start-up rather than in the browser.
  const files = new Map(Object.entries(EXPLORER_ASSETS).map(([name, resolve]) => [name, resolve()]));
  const page = explorerPage(opts.keycloakUrl ?? loadConfig('gateway').keycloakUrl);
  const noStore = (res: Response) => res.set('Cache-Control', 'no-cache');

  app.get('/', (_req, res) => {
    noStore(res);
    res.set('Content-Security-Policy', CSP).set('X-Content-Type-Options', 'nosniff').type('html').send(page);
  });
  app.get('/explorer/init.js', (_req, res) => {
    noStore(res);
    res.set('X-Content-Type-Options', 'nosniff').type('text/javascript').send(INIT_SCRIPT);
  });
  app.get('/explorer/:file', (req, res, next) => {
    const file = files.get(req.params.file);
    if (!file) return next();
    res.set('X-Content-Type-Options', 'nosniff');
    // Versions are pinned, so a day of caching is safe; ETag and Last-Modified revalidate after.
    res.sendFile(file, { maxAge: '1d' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
}
