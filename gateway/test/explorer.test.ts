import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DEFAULT_HEADERS, mountExplorer } from '../src/explorer';

/*
 * The developer explorer works offline: the page and every script and stylesheet it loads are
 * served by the gateway itself from npm packages; nothing points at a CDN.
 */
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  mountExplorer(app, { keycloakUrl: 'http://localhost:8080' });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
});

const get = (p: string) => fetch(new URL(p, base));

/** `src` of every script and `href` of every stylesheet in the page. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!);
}

describe('offline GraphiQL explorer', () => {
  let html: string;

  beforeAll(async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    html = await res.text();
  });

  it('serves a page that loads React, ReactDOM and GraphiQL from the gateway itself', () => {
    const urls = assetUrls(html);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/explorer/graphiql.min.css',
        '/explorer/react.production.min.js',
        '/explorer/react-dom.production.min.js',
        '/explorer/graphiql.min.js',
        '/explorer/init.js',
      ]),
    );
    // Offline: every asset is same-origin, nothing from a CDN.
    for (const url of urls) expect(url).toMatch(/^\/explorer\//);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)[^"\s<]*\.(?:js|css)\b/);
  });

  it('prefills the Authorization header and shows how to get a token', () => {
    const config = JSON.parse(/<script type="application\/json" id="explorer-config">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(config.endpoint).toBe('/graphql');
    expect(config.defaultHeaders).toBe(DEFAULT_HEADERS);
    expect(JSON.parse(config.defaultHeaders)).toEqual({ Authorization: 'Bearer <paste a token>' });
    expect(config.defaultQuery).toContain('households(divisionCode:');
    expect(html).toContain('curl -s http://localhost:8080/realms/otog/protocol/openid-connect/token');
    expect(html).toContain('client_id=anmulong-web');
    expect(html).toContain('grant_type=password');
  });

  it.each([
    ['/explorer/react.production.min.js', /javascript/, 'React'],
    ['/explorer/react-dom.production.min.js', /javascript/, 'ReactDOM'],
    ['/explorer/graphiql.min.js', /javascript/, 'GraphiQL'],
    ['/explorer/graphiql.min.css', /^text\/css/, '.graphiql-container'],
    ['/explorer/init.js', /javascript/, 'GraphiQL.createFetcher'],
  ])('serves %s', async (url, contentType, marker) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(contentType);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await res.text();
    expect(body.length).toBeGreaterThan(url.endsWith('init.js') ? 100 : 10_000);
    expect(body).toContain(marker);
  });

  it('answers 404 for anything else under /explorer/', async () => {
    for (const url of ['/explorer/nope.js', '/explorer/constructor', '/explorer/..%2Fpackage.json']) {
      const res = await get(url);
      expect(res.status).toBe(404);
    }
  });
});
