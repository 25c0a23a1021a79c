import { randomBytes } from 'node:crypto';
import { type Browser, chromium, type Page } from 'playwright-core';
import { dropMariadbDatabases } from '@lic/shared';
import { TEST_MARIADB_URL, TEST_REDIS_URL, graphqlRequest, testEnvironment, tokenFor } from '@lic/testing';
import { CreateAccountDocument, RegisterServerDocument } from './__generated__/graphql.js';
import { execute, freePort, startProcess, type RunningProcess } from './helpers.js';

/**
 * One subgraph down does not blank the others: five real processes (MariaDB, Redis) as
 * docker-compose.yml runs them. Billing is stopped, and accounts (with their servers) still read,
 * the billing fields null with an error naming billing; then enforcement (each server's
 * enforcement status null, the error naming enforcement); then allocation (each account's servers
 * null, the error naming allocation). The tests run in order, each stopping one more subgraph.
 */
describe('partial results with a subgraph down (billing, then enforcement, then allocation stopped)', () => {
  const prefix = `lice2e_${randomBytes(4).toString('hex')}`;
  const names = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
  const processes = new Map<string, RunningProcess>();
  let gatewayUrl: string;
  let admin: string;
  let accountId: string;
  let browser: Browser | undefined;

  /** The dashboard the gateway serves, signed in as the licensing administrator, at `view`. */
  async function dashboardAt(view: string): Promise<Page> {
    browser ??= await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox'],
    });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(gatewayUrl.replace(/\/graphql$/, '/dashboard/'));
    await page.getByLabel('Access token (JWT)').fill(admin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Fleet overview', level: 1 }).waitFor();
    await page.evaluate((hash) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = hash;
    }, `#/${view}`);
    return page;
  }

  const WITH_BILLING = `{
    accounts {
      id name
      billingBasis
      currentBillingPeriod { start end }
      servers { name usageTracking enforcementStatus { stageName } }
    }
  }`;

  beforeAll(async () => {
    const ports = Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
    ) as Record<(typeof names)[number], number>;
    const gatewayPort = await freePort();
    const env = {
      DATABASE_URL: TEST_MARIADB_URL,
      DATABASE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'error',
      OUTBOX_POLL_MS: '100',
      SUBGRAPH_SECRET: randomBytes(32).toString('hex'),
      GATEWAY_PORT: String(gatewayPort),
      // A stopped subgraph refuses connections at once; a short timeout bounds the other cases.
      SUBGRAPH_TIMEOUT_MS: '3000',
      ...Object.fromEntries(names.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(
        names.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports[n]}/graphql`]),
      ),
    };
    const started = await Promise.all(
      names.map((n) => startProcess(['scripts/dist/service.js', n], env, /"msg":"ready"/, 60_000)),
    );
    names.forEach((n, i) => processes.set(n, started[i]!));
    processes.set(
      'gateway',
      await startProcess(['scripts/dist/service.js', 'gateway'], env, /"msg":"ready"/, 60_000),
    );
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    admin = await tokenFor(testEnvironment().config, { roles: ['LICENSING_ADMIN'], certified: true });
    const { createAccount } = await execute(
      gatewayUrl,
      CreateAccountDocument,
      { input: { name: 'Partial Ltd', garn: `GARN-${randomBytes(3).toString('hex')}`, kind: 'CUSTOMER' } },
      admin,
    );
    accountId = createAccount.id;
    await execute(
      gatewayUrl,
      RegisterServerDocument,
      { input: { accountId, installSiteId: accountId, name: 'partial-cic-1' } },
      admin,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
  });

  it('reads accounts with and without billing fields once billing is stopped', async () => {
    const before = await graphqlRequest<{ accounts: { billingBasis: string | null }[] }>(
      gatewayUrl,
      WITH_BILLING,
      {},
      admin,
    );
    expect(before.errors).toBeUndefined();
    expect(before.data?.accounts[0]?.billingBasis).toBe('NAMED');

    await processes.get('billing')!.stop();

    const plain = await graphqlRequest<{ accounts: { id: string; name: string }[] }>(
      gatewayUrl,
      '{ accounts { id name } }',
      {},
      admin,
    );
    expect(plain.errors).toBeUndefined();
    expect(plain.data?.accounts).toEqual([{ id: accountId, name: 'Partial Ltd' }]);

    const partial = await graphqlRequest<{
      accounts: {
        id: string;
        name: string;
        billingBasis: string | null;
        currentBillingPeriod: { start: string } | null;
        servers:
          | { name: string; usageTracking: string | null; enforcementStatus: { stageName: string } | null }[]
          | null;
      }[];
    }>(gatewayUrl, WITH_BILLING, {}, admin);
    // The accounts, their servers (allocation) and enforcement status (enforcement) answer;
    // billing's fields are null, and the errors say billing is the one missing.
    expect(partial.data?.accounts).toEqual([
      {
        id: accountId,
        name: 'Partial Ltd',
        billingBasis: null,
        currentBillingPeriod: null,
        servers: [
          {
            name: 'partial-cic-1',
            usageTracking: null,
            enforcementStatus: { stageName: 'FULLY_FUNCTIONAL' },
          },
        ],
      },
    ]);
    expect(partial.errors?.length).toBeGreaterThan(0);
    for (const error of partial.errors ?? []) {
      expect(error.extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        reason: 'SUBGRAPH_UNAVAILABLE',
        service: 'billing',
      });
      expect(error.message).toBe('The billing service is unavailable; try again shortly');
    }

    // A query billing alone answers (sent straight to it) is refused naming billing too.
    const only = await graphqlRequest(gatewayUrl, '{ billingPeriod { start } }', {}, admin);
    expect(only.data).toBeNull();
    expect(only.errors?.[0]?.extensions).toMatchObject({
      reason: 'SUBGRAPH_UNAVAILABLE',
      service: 'billing',
    });
  }, 60_000);

  /** Every error of an answer names `service` as the one missing, and nothing else. */
  function expectOnlyUnavailable(
    errors: readonly { message: string; extensions?: unknown }[] | undefined,
    service: string,
  ) {
    expect(errors?.length).toBeGreaterThan(0);
    for (const error of errors ?? []) {
      expect(error.extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        reason: 'SUBGRAPH_UNAVAILABLE',
        service,
      });
      expect(error.message).toBe(`The ${service} service is unavailable; try again shortly`);
    }
  }

  it('reads accounts with their servers once enforcement is stopped, each enforcement status null', async () => {
    const WITH_ENFORCEMENT = '{ accounts { id name servers { name enforcementStatus { stageName } } } }';
    const before = await graphqlRequest(gatewayUrl, WITH_ENFORCEMENT, {}, admin);
    expect(before.errors).toBeUndefined();

    await processes.get('enforcement')!.stop();

    const partial = await graphqlRequest<{
      accounts: {
        id: string;
        name: string;
        servers: { name: string; enforcementStatus: unknown }[] | null;
      }[];
    }>(gatewayUrl, WITH_ENFORCEMENT, {}, admin);
    expect(partial.data?.accounts).toEqual([
      {
        id: accountId,
        name: 'Partial Ltd',
        servers: [{ name: 'partial-cic-1', enforcementStatus: null }],
      },
    ]);
    expectOnlyUnavailable(partial.errors, 'enforcement');

    // The dashboard still lists the server, its enforcement status shown as unavailable.
    const page = await dashboardAt('enforcement');
    await page.getByRole('heading', { name: 'partial-cic-1', level: 2 }).waitFor();
    await page.getByText('Enforcement status unavailable').waitFor();
  }, 60_000);

  it('reads accounts once allocation is stopped, their servers null', async () => {
    const WITH_SERVERS = '{ accounts { id name servers { name } } }';
    const before = await graphqlRequest(gatewayUrl, WITH_SERVERS, {}, admin);
    expect(before.errors).toBeUndefined();

    await processes.get('allocation')!.stop();

    const partial = await graphqlRequest<{
      accounts: { id: string; name: string; servers: { name: string }[] | null }[];
    }>(gatewayUrl, WITH_SERVERS, {}, admin);
    expect(partial.data?.accounts).toEqual([{ id: accountId, name: 'Partial Ltd', servers: null }]);
    expectOnlyUnavailable(partial.errors, 'allocation');

    // The dashboard still signs in and shows the account; its servers are shown as unavailable.
    const page = await dashboardAt('statistics');
    await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();
    await page.getByText('Servers unavailable: the allocation service cannot be reached').waitFor();
  }, 60_000);
});
