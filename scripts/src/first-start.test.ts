import { existsSync, rmSync } from 'node:fs';
import { type Server, createServer, request } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { startStack, type Stack } from './embedded.js';
import { seedOnFirstStart } from './first-start.js';
import { seedDemoData } from './seed.js';

/**
 * In front of the gateway: passes `budget` requests, then fails every one after (the upstream
 * error, or the Ctrl-C, that interrupts a first start after step k); with `dropped`, fails only
 * that many and passes the rest again (a transient outage).
 */
async function failingAfter(target: string, budget: number, dropped = Infinity) {
  const upstream = new URL(target);
  let passed = 0;
  let failed = 0;
  const server: Server = createServer((req, res) => {
    if (passed >= budget && failed < dropped) {
      failed += 1;
      req.socket.destroy();
      return;
    }
    passed += 1;
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const DEMO = `{
  accounts {
    garn
    installSites { name }
    salesOrders { orderNumber }
    activationFiles(active: YES) { machineName }
    servers { name users { name } stations { name } }
  }
}`;

interface Demo {
  accounts: Array<{
    garn: string;
    installSites: Array<{ name: string }>;
    salesOrders: Array<{ orderNumber: string }>;
    activationFiles: Array<{ machineName: string }>;
    servers: Array<{ name: string; users: Array<{ name: string }>; stations: Array<{ name: string }> }>;
  }>;
}

const sorted = (names: string[]) => [...names].sort();

describe('the first start (npm start seeds the demo data)', () => {
  const env = testEnvironment();
  let stack: Stack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack(env.config);
    admin = await tokenFor(env.config, { sub: 'dev-admin', roles: ['LICENSING_ADMIN'], certified: true });
  });
  afterAll(async () => {
    await stack.close();
    await env.cleanup();
  });

  // Issue 16: "Seeding must be idempotent (or one transaction), and a failed seed must not take the
  // platform down" (it used to exit with "GARN GARN-100001 is already used by another account").
  test('a seed interrupted at any step completes on the next start, without duplicates, and never takes the platform down', async () => {
    const logged: string[] = [];
    // Interrupted in the accounts, among the servers and files, and among the users and stations.
    for (const budget of [3, 14, 60, 150]) {
      const proxy = await failingAfter(stack.gatewayUrl, budget);
      try {
        const result = await seedOnFirstStart({
          gatewayUrl: proxy.url,
          adminToken: admin,
          dataDir: env.config.dataDir,
          log: (line) => logged.push(line),
          retryDelaysMs: [],
        });
        // Failed as the upstream failed, not on what an earlier run created.
        expect(result).toEqual({ status: 'failed', error: expect.stringMatching(/fetch failed/) });
      } finally {
        await proxy.close();
      }
      expect(existsSync(join(env.config.dataDir, '.seeded'))).toBe(false);
      // The platform still serves.
      await graphqlData(stack.gatewayUrl, '{ accounts { id } }', {}, admin);
    }
    expect(logged.at(-1)).toMatch(/did not finish[\s\S]*keeps running[\s\S]*npm start/);

    const done = await seedOnFirstStart({
      gatewayUrl: stack.gatewayUrl,
      adminToken: admin,
      dataDir: env.config.dataDir,
      log: (line) => logged.push(line),
    });
    expect(done).toEqual({ status: 'seeded', summary: expect.anything() });
    expect(existsSync(join(env.config.dataDir, '.seeded'))).toBe(true);

    const check = async () => {
      const { accounts } = await graphqlData<Demo>(stack.gatewayUrl, DEMO, {}, admin);
      expect(sorted(accounts.map((a) => a.garn))).toEqual([
        'GARN-100001',
        'GARN-100002',
        'GARN-200001',
        'GARN-900001',
      ]);
      const acme = accounts.find((a) => a.garn === 'GARN-100001')!;
      const initech = accounts.find((a) => a.garn === 'GARN-100002')!;
      const demo = accounts.find((a) => a.garn === 'GARN-900001')!;
      expect(acme.installSites).toHaveLength(1);
      expect(sorted(acme.servers.map((s) => s.name))).toEqual(['acme-cic-1', 'acme-cic-2']);
      expect(initech.servers.map((s) => s.name)).toEqual(['initech-cic']);
      expect(acme.activationFiles.map((f) => f.machineName)).toEqual(['acme-cic-1']);
      expect(initech.activationFiles.map((f) => f.machineName)).toEqual(['initech-cic']);
      expect(acme.salesOrders.map((o) => o.orderNumber)).toEqual(['SO-ACME-0001']);
      expect(demo.servers.map((s) => s.name)).toEqual(['demo-cloud-1']);
      expect(demo.activationFiles.map((f) => f.machineName)).toEqual(['demo-cloud-1']);
      expect(demo.salesOrders.map((o) => o.orderNumber)).toEqual(['SO-DEMO-0001']);
      expect(demo.servers[0]!.users).toEqual([]);
      for (const server of [...acme.servers, ...initech.servers]) {
        const users = server.users.map((u) => u.name);
        const stations = server.stations.map((s) => s.name);
        expect(users).toHaveLength(56);
        expect(new Set(users).size).toBe(users.length);
        expect(new Set(stations).size).toBe(stations.length);
        expect(stations).toContain('home-workers');
      }
      return accounts;
    };
    const first = await check();
    // Seeding again (`npm run seed`) changes nothing and does not fail.
    await seedDemoData(stack.gatewayUrl, admin);
    expect(await check()).toEqual(first);

    // A transient outage during a first start (two requests reset, as a busy machine's keep-alive
    // race does) no longer leaves the seed unfinished: the start tries again and completes it.
    rmSync(join(env.config.dataDir, '.seeded'));
    const flaky = await failingAfter(stack.gatewayUrl, 1, 2);
    try {
      const retried = await seedOnFirstStart({
        gatewayUrl: flaky.url,
        adminToken: admin,
        dataDir: env.config.dataDir,
        log: (line) => logged.push(line),
        retryDelaysMs: [50, 50, 50],
      });
      expect(retried).toEqual({ status: 'seeded', summary: expect.anything() });
    } finally {
      await flaky.close();
    }
    expect(
      logged.filter((line) => /interrupted \((TypeError: )?fetch failed\); trying again/.test(line)),
    ).toHaveLength(2);
    expect(await check()).toEqual(first);
  }, 240_000);
});
