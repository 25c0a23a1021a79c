import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { testEnvironment, tokenFor, type TestEnvironment } from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';

/**
 * A portal on another origin calls the API from a browser: a page served from another local port
 * (an allowed origin) fetches with a bearer token (so Chromium sends a preflight first) and reads
 * data; the same page from an origin not in CORS_ALLOWED_ORIGINS is blocked by the browser.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];

/** A bare HTML page on its own port: its origin is http://127.0.0.1:<port>. */
async function servePortal(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>Portal</title></head><body>portal</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface CallResult {
  ok: boolean;
  status?: number;
  body?: { data?: { accounts?: { id: string; name: string }[] } };
  exposed?: string | null;
  error?: string;
}

describe('CORS: a portal on another origin calls the API from a browser', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };
  let token: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need Debian's Chromium at ${CHROMIUM}`);
    allowed = await servePortal();
    other = await servePortal();
    env = testEnvironment({ env: { CORS_ALLOWED_ORIGINS: allowed.origin, CORS_MAX_AGE_SECONDS: '300' } });
    stack = await startStack(env.config);
    token = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const created = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
        variables: { input: { name: 'Portal Customer Ltd', garn: 'GARN-CORS-1', kind: 'CUSTOMER' } },
      }),
    });
    expect(created.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await env?.cleanup();
    allowed?.server.close();
    other?.server.close();
  });

  /** Opens the page on `origin` and, from it, POSTs a query with a bearer token to the gateway. */
  async function callFrom(origin: string): Promise<CallResult> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, bearer }): Promise<CallResult> => {
          try {
            const response = await fetch(url, {
              method: 'POST',
              credentials: 'include',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${bearer}`,
                'x-request-id': 'portal-1',
              },
              body: JSON.stringify({ query: '{ accounts { id name } }' }),
            });
            return {
              ok: response.ok,
              status: response.status,
              body: (await response.json()) as CallResult['body'],
              exposed: response.headers.get('RateLimit-Limit'),
            };
          } catch (error) {
            return { ok: false, error: String(error) };
          }
        },
        { url: stack.gatewayUrl, bearer: token },
      );
    } finally {
      await context.close();
    }
  }

  it('a page on an allowed origin gets data (after a preflight) and reads the exposed headers', async () => {
    const result = await callFrom(allowed.origin);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body?.data?.accounts?.map((a) => a.name)).toContain('Portal Customer Ltd');
    expect(result.exposed).toMatch(/^\d+$/);
  }, 60_000);

  it('a page on an origin not allowed is blocked by the browser', async () => {
    const result = await callFrom(other.origin);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/Failed to fetch/);
  }, 60_000);

  it('the preflight: 204 with methods, headers and max-age for an allowed origin, 403 without a grant otherwise', async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization,apollo-require-preflight,traceparent',
        },
      });
    const granted = await preflight(allowed.origin);
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe(allowed.origin);
    expect(granted.headers.get('access-control-allow-credentials')).toBe('true');
    expect(granted.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const headers = granted.headers.get('access-control-allow-headers')?.split(', ') ?? [];
    for (const h of [
      'content-type',
      'authorization',
      'apollo-require-preflight',
      'x-request-id',
      'traceparent',
    ])
      expect(headers).toContain(h);
    expect(granted.headers.get('access-control-max-age')).toBe('300');
    expect(granted.headers.get('vary')).toMatch(/Origin/);

    const refused = await preflight(other.origin);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('vary')).toMatch(/Origin/);
    expect(await refused.json()).toMatchObject({
      errors: [{ extensions: { code: 'FORBIDDEN', reason: 'CORS_ORIGIN_NOT_ALLOWED' } }],
    });

    // A plain (non-browser) call carries no grant and still works: CORS binds browsers only.
    const plain = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ accounts { id } }' }),
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});
