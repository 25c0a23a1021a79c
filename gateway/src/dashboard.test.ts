import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import express from 'express';
import { ConfigError, TokenVerifier, loadConfig } from '@lic/shared/core';
import { devSignInOffered, mountDashboard } from './dashboard.js';

const REAL_SECRET = 'a-real-operator-secret-that-is-long-enough-42';

async function serve(
  env: Record<string, string>,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env });
  const app = express();
  mountDashboard(app, { config });
  const server = app.listen(0, host);
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

function devToken(origin: string, role: string): Promise<Response> {
  return fetch(`${origin}/dashboard/dev-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
}

describe('development sign-in (issue 15, hole 3)', () => {
  // "POST /dashboard/dev-token hands anyone a certified LICENSING_ADMIN token whenever NODE_ENV is
  // not production, even with a real JWT_SECRET set."
  it('is not offered without the explicit DEV_SIGN_IN opt-in, whatever NODE_ENV and JWT_SECRET say', async () => {
    for (const nodeEnv of ['development', 'test']) {
      const { server, port } = await serve({ NODE_ENV: nodeEnv, JWT_SECRET: REAL_SECRET });
      try {
        const origin = `http://127.0.0.1:${port}`;
        expect((await devToken(origin, 'LICENSING_ADMIN')).status).toBe(404);
        expect((await fetch(`${origin}/dashboard/dev-sign-in`)).status).toBe(404);
      } finally {
        await close(server);
      }
    }
  });

  it('never issues LICENSING_ADMIN unless DEV_SIGN_IN_ROLES names it (default: SUPERVISOR only)', async () => {
    const { server, port } = await serve({ DEV_SIGN_IN: 'true' });
    try {
      const refused = await devToken(`http://127.0.0.1:${port}`, 'LICENSING_ADMIN');
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'BAD_USER_INPUT' });
      const alsoRefused = await devToken(`http://127.0.0.1:${port}`, 'CUSTOMER_ADMIN');
      expect(alsoRefused.status).toBe(400);
    } finally {
      await close(server);
    }
  });

  it('issues LICENSING_ADMIN when the operator asks for it explicitly, a token the gateway accepts', async () => {
    const env = { DEV_SIGN_IN: 'true', DEV_SIGN_IN_ROLES: 'SUPERVISOR,LICENSING_ADMIN' };
    const { server, port } = await serve(env);
    try {
      const response = await devToken(`http://127.0.0.1:${port}`, 'LICENSING_ADMIN');
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      const config = loadConfig({ NODE_ENV: 'development', ...env });
      expect(await new TokenVerifier(config).verify(token)).toMatchObject({ roles: ['LICENSING_ADMIN'] });
    } finally {
      await close(server);
    }
  });

  it('refuses the opt-in in production and on a listener that is not loopback', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DEV_SIGN_IN: 'true', JWT_SECRET: REAL_SECRET }),
    ).toThrow(/DEV_SIGN_IN: the development sign-in is never offered when NODE_ENV=production/);
    expect(() => loadConfig({ DEV_SIGN_IN: 'true', LISTEN_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEV_SIGN_IN: 'true', LISTEN_HOST: '0.0.0.0' })).toThrow(/loopback listener/);
    expect(() => loadConfig({ DEV_SIGN_IN_ROLES: 'SERVER' })).toThrow(/DEV_SIGN_IN_ROLES/);
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(devSignInOffered(loadConfig({ DEV_SIGN_IN: 'true', LISTEN_HOST: host }))).toBe(true);
    }
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  (external ? it : it.skip)('answers 404 to a client that does not come over loopback', async () => {
    // loadConfig refuses a wide listener; a hand-built config stands for one that slipped through.
    const config = {
      ...loadConfig({ NODE_ENV: 'development', DEV_SIGN_IN: 'true', DEV_SIGN_IN_ROLES: 'SUPERVISOR' }),
    };
    const app = express();
    mountDashboard(app, { config });
    const server = app.listen(0, '0.0.0.0');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      expect((await fetch(`http://${external}:${port}/dashboard/dev-sign-in`)).status).toBe(404);
      expect((await devToken(`http://${external}:${port}`, 'SUPERVISOR')).status).toBe(404);
    } finally {
      await close(server);
    }
  });
});
