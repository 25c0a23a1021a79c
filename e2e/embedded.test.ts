import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlRequest } from '@lic/testing';
import { PlatformOverviewDocument } from './__generated__/graphql.js';
import { execute, freePort, startProcess, type RunningProcess } from './helpers.js';

/** The newcomer's path: `npm start` (built output), the printed token, one query across four subgraphs. */
describe('embedded mode (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-e2e-embedded-'));
  let env: Record<string, string>;
  let platform: RunningProcess | undefined;

  beforeAll(async () => {
    const [g, a, l, b, e] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: String(g),
      ACCOUNTS_PORT: String(a),
      ALLOCATION_PORT: String(l),
      BILLING_PORT: String(b),
      ENFORCEMENT_PORT: String(e),
    };
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    platform = await startProcess(['scripts/dist/start.js'], env, /Development token[^\n]*\n\S+\n/, 60_000);
    const out = platform.output();
    const token = /Development token[^\n]*\n(\S+)\n/.exec(out)![1]!;
    const url = /GraphQL \(HTTP and graphql-ws\): (\S+)/.exec(out)![1]!;
    return { token, url, out };
  };

  it('starts on SQLite with demo data and answers a query spanning all four subgraphs with the printed token', async () => {
    const { token, url, out } = await start();
    expect(out).toMatch(/Seeded demo data/);
    expect(url).toBe(`http://127.0.0.1:${env['GATEWAY_PORT']}/graphql`);

    const unauthenticated = await graphqlRequest(url, '{ accounts { id } }');
    expect(unauthenticated.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    const { accounts } = await execute(url, PlatformOverviewDocument, {}, token);
    const acme = accounts.find((a) => a.name === 'Acme Contact Centre');
    expect(acme).toBeDefined();
    expect(acme!.servers!.map((s) => s.name).sort()).toEqual(['acme-cic-1', 'acme-cic-2']);
    expect(acme!.servers![0]!.enforcementStatus!.stageName).toBe('FULLY_FUNCTIONAL');
    expect(Date.parse(acme!.currentBillingPeriod!.end)).toBeGreaterThan(
      Date.parse(acme!.currentBillingPeriod!.start),
    );
    expect(new Date(acme!.currentBillingPeriod!.start).getUTCDate()).toBe(28);
  });

  it('keeps its data across a restart and does not seed twice', async () => {
    await platform?.stop();
    const { token, url, out } = await start();
    expect(out).not.toMatch(/Seeded demo data/);
    const { accounts } = await execute(url, PlatformOverviewDocument, {}, token);
    expect(accounts.filter((a) => a.name === 'Acme Contact Centre')).toHaveLength(1);
  });
});
