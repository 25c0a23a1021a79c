import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import {
  type Config,
  type DevSignInRole,
  type Logger,
  graphqlData,
  isLoopbackHost,
  signToken,
} from '@lic/shared/core';

/** Where `node gateway/dashboard/build.mjs` writes the bundle (from src/ and from dist/ alike). */
export const DASHBOARD_DIST = join(__dirname, '..', 'dashboard', 'dist', 'public');

export interface DashboardOptions {
  config: Pick<Config, 'env' | 'jwt' | 'devSignIn' | 'listenHost'>;
  logger?: Logger;
  /** The built bundle; defaults to gateway/dashboard/dist/public. */
  distDir?: string;
}

interface DevRole {
  role: DevSignInRole;
  label: string;
  needsAccount: boolean;
  accountKinds: string[];
}

/**
 * The demo roles a development sign-in can offer (a server credential is not a person's sign-in);
 * it offers those of them the operator lists in DEV_SIGN_IN_ROLES.
 */
const DEV_ROLES: DevRole[] = [
  { role: 'SUPERVISOR', label: 'Supervisor', needsAccount: true, accountKinds: ['CUSTOMER'] },
  { role: 'CUSTOMER_ADMIN', label: 'Customer administrator', needsAccount: true, accountKinds: ['CUSTOMER'] },
  { role: 'PARTNER', label: 'Partner', needsAccount: true, accountKinds: ['PARTNER'] },
  { role: 'LICENSING_ADMIN', label: 'Licensing administrator', needsAccount: false, accountKinds: [] },
];
const DEV_TOKEN_TTL_SECONDS = 12 * 3600;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // uPlot and Preact set element styles from script; no inline <style> or style attributes in the HTML.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

interface DevAccount {
  id: string;
  name: string;
  kind: string;
}

/**
 * Whether the development sign-in exists at all: the operator opted in, outside production, on a
 * loopback listener, with a secret to sign with. Anything else and its routes are not mounted.
 */
export function devSignInOffered(config: DashboardOptions['config']): boolean {
  return (
    config.devSignIn.enabled &&
    config.env !== 'production' &&
    isLoopbackHost(config.listenHost) &&
    config.jwt.secret !== undefined
  );
}

/** Both ends of the connection on this machine: a second guard should the listener be wider. */
function fromLoopback(req: express.Request): boolean {
  return isLoopbackHost(req.socket.localAddress ?? '') && isLoopbackHost(req.socket.remoteAddress ?? '');
}

/** The gateway's own /graphql, reached on the address this request came in on. */
function ownGraphqlUrl(req: express.Request): string {
  const raw = req.socket.localAddress ?? '127.0.0.1';
  const address = raw.startsWith('::ffff:') ? raw.slice(7) : raw;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}/graphql`;
}

async function listAccounts(config: DashboardOptions['config'], url: string): Promise<DevAccount[]> {
  const token = await signToken(config, { sub: 'dashboard-dev-sign-in', roles: ['LICENSING_ADMIN'] }, 60);
  const data = await graphqlData<{ accounts: DevAccount[] }>(url, '{ accounts { id name kind } }', {}, token);
  return [...data.accounts].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Serves the dashboard bundle at /dashboard (and, when the operator opts in, a one-click
 * development sign-in). The page talks to the gateway's /graphql on the same origin: HTTP and graphql-ws.
 */
export function mountDashboard(app: express.Express, options: DashboardOptions): void {
  const { config, logger } = options;
  const distDir = options.distDir ?? DASHBOARD_DIST;
  const router = express.Router();

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  if (devSignInOffered(config)) {
    const offered = DEV_ROLES.filter((r) => config.devSignIn.roles.includes(r.role));
    router.use(['/dev-sign-in', '/dev-token'], (req, res, next) => {
      if (fromLoopback(req)) next();
      else res.status(404).type('text/plain').send('Not found');
    });
    router.get('/dev-sign-in', async (req, res) => {
      try {
        const accounts = await listAccounts(config, ownGraphqlUrl(req));
        res.json({
          roles: offered,
          accounts,
        });
      } catch (error) {
        logger?.warn({ err: error }, 'development sign-in could not list accounts');
        res.status(502).json({ error: 'The demo accounts could not be listed' });
      }
    });
    router.post('/dev-token', express.json({ limit: '4kb' }), async (req, res) => {
      // JSON only: a cross-site form cannot send it without a (refused) CORS preflight.
      if (!req.is('application/json')) {
        res
          .status(415)
          .json({ error: 'Send JSON: { "role": ..., "accountId": ... }', code: 'BAD_USER_INPUT' });
        return;
      }
      const body = (req.body ?? {}) as { role?: unknown; accountId?: unknown };
      const devRole = offered.find((r) => r.role === body.role);
      if (!devRole) {
        res.status(400).json({
          error: `role must be one of ${offered.map((r) => r.role).join(', ')} (DEV_SIGN_IN_ROLES)`,
          code: 'BAD_USER_INPUT',
        });
        return;
      }
      let accountId: string | undefined;
      if (devRole.needsAccount) {
        if (typeof body.accountId !== 'string' || body.accountId === '') {
          res.status(400).json({ error: `${devRole.label} needs an accountId`, code: 'BAD_USER_INPUT' });
          return;
        }
        try {
          const account = (await listAccounts(config, ownGraphqlUrl(req))).find(
            (a) => a.id === body.accountId,
          );
          if (!account || !devRole.accountKinds.includes(account.kind)) {
            res.status(400).json({
              error: `No ${devRole.accountKinds.join(' or ').toLowerCase()} account has id ${body.accountId}`,
              code: 'BAD_USER_INPUT',
            });
            return;
          }
          accountId = account.id;
        } catch (error) {
          logger?.warn({ err: error }, 'development sign-in could not check the account');
          res.status(502).json({ error: 'The account could not be checked' });
          return;
        }
      }
      const token = await signToken(
        config,
        {
          sub: `demo-${devRole.role.toLowerCase().replace(/_/g, '-')}${accountId ? `-${accountId.slice(0, 8)}` : ''}`,
          roles: [devRole.role],
          ...(accountId ? { accountId } : {}),
          certified: devRole.role === 'LICENSING_ADMIN',
        },
        DEV_TOKEN_TTL_SECONDS,
      );
      logger?.info({ role: devRole.role, accountId }, 'development token issued for the dashboard');
      res.json({ token });
    });
  }

  const sendIndex = (_req: express.Request, res: express.Response) => {
    const index = join(distDir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: run `npm run build` (or `node gateway/dashboard/build.mjs`).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  router.get('/', sendIndex);
  router.get('/index.html', sendIndex);
  router.use(
    express.static(distDir, {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use('/dashboard', router);
}
