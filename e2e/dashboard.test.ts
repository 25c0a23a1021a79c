import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DAY_MS, ManualClock, resolveSigningKeys } from '@lic/shared';
import {
  graphqlData,
  graphqlRequest,
  seed,
  subscribe,
  testEnvironment,
  tokenFor,
  wsClient,
  type TestEnvironment,
} from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';
import { mountDashboard } from '../gateway/src/dashboard.js';
import { createGateway } from '../gateway/src/server.js';
import { runDemo } from '../scripts/src/demo.js';
import { ROOT } from './helpers.js';

/**
 * The supervisor dashboard in a real browser (Debian's Chromium through playwright-core) against
 * the real platform: the four subgraphs and the gateway in this process, the bundle built from
 * gateway/dashboard. Screenshots go to test-artifacts/dashboard/.
 */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const LAPTOP = { width: 1366, height: 900 };
const WALL = { width: 1920, height: 1080 };
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const CLIENT_KEY = 'I3_ACCESS_CLIENT';

interface Fixture {
  acme: {
    accountId: string;
    siteId: string;
    serverId: string;
    cloudServerId: string;
    userId: string;
    stationId: string;
    fileId: string;
  };
  initech: { accountId: string; serverId: string };
}

/** Polls a locator's text until it matches, or fails with what it last saw. */
async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: string | null = null;
  for (;;) {
    last = await locator.textContent({ timeout: timeoutMs }).catch(() => null);
    const text = last?.trim() ?? '';
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `expected ${String(expected)} within ${timeoutMs} ms, last saw ${JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitForAttribute(
  locator: Locator,
  name: string,
  expected: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  while (Date.now() <= deadline) {
    last = await locator.getAttribute(name, { timeout: timeoutMs }).catch(() => null);
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${name}="${expected}" within ${timeoutMs} ms, last saw ${JSON.stringify(last)}`);
}

/** The options of a select once they include `expected` (the list fills in as answers arrive). */
async function optionsIncluding(select: Locator, expected: string[], timeoutMs = 3000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const options = await select.locator('option').allTextContents();
    if (expected.every((e) => options.includes(e)) || Date.now() > deadline) return options;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether the page scrolls sideways: its scroll width against the window's inner width. */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => {
    const w = globalThis as unknown as {
      innerWidth: number;
      document: { scrollingElement: { scrollWidth: number } | null };
    };
    return { scrollWidth: w.document.scrollingElement?.scrollWidth ?? 0, innerWidth: w.innerWidth };
  });
}

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await horizontalOverflow(page);
  if (scrollWidth > innerWidth) {
    throw new Error(`${what} scrolls sideways: ${scrollWidth} px wide in a ${innerWidth} px window`);
  }
}

/** A cell is on screen: visible and inside the window horizontally (no sideways scroll needed). */
async function expectOnScreen(locator: Locator, what: string): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  const innerWidth = await locator
    .page()
    .evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth);
  if (!box || box.x < 0 || box.x + box.width > innerWidth + 0.5 || box.width === 0) {
    throw new Error(`${what} is not on screen: ${JSON.stringify(box)} in a ${innerWidth} px window`);
  }
}

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The tests run against the bundle of the sources they sit beside, built now (about a second).
  execFileSync(process.execPath, [join(ROOT, 'gateway', 'dashboard', 'build.mjs')], { stdio: 'pipe' });
}, 60_000);

describe('supervisor dashboard in a browser', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let url: string;
  let admin: string;
  let fixture: Fixture;
  let loggedOnAt: Date | undefined;
  const clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
  const contexts: BrowserContext[] = [];

  const api = <T>(query: string, variables: Record<string, unknown>, token = admin) =>
    graphqlData<T>(url, query, variables, token);

  async function openPage(
    viewport = LAPTOP,
    colorScheme: 'light' | 'dark' = 'light',
    timezoneId?: string,
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      colorScheme,
      acceptDownloads: true,
      ...(timezoneId ? { timezoneId } : {}),
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  async function signInWithToken(page: Page, token: string, landing = 'Licence statistics'): Promise<void> {
    await page.goto(`${base}/dashboard/`);
    await page.getByLabel('Access token (JWT)').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: landing, level: 1 }).waitFor();
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    }
    env = testEnvironment({
      env: {
        ENFORCEMENT_TICK_SECONDS: '1',
        LICENSE_EXPIRY_TICK_SECONDS: '1',
        // Usage history is written each second (10 s by default), so a reload shows it at once.
        USAGE_HISTORY_FLUSH_SECONDS: '1',
        // The one-click sign-in is opt-in; the test offers the roles it signs in as.
        DEV_SIGN_IN: 'true',
        DEV_SIGN_IN_ROLES: 'SUPERVISOR,CUSTOMER_ADMIN,PARTNER',
      },
    });
    stack = await startStack(env.config, { clock });
    url = stack.gatewayUrl;
    base = url.replace(/\/graphql$/, '');
    const served = await fetch(`${base}/dashboard/`);
    if (served.status !== 200 || !(await served.text()).includes('/dashboard/app.js')) {
      throw new Error(
        `The gateway does not serve the dashboard at ${base}/dashboard/ (HTTP ${served.status}): ` +
          'gateway/src/server.ts must call mountDashboard(app, { config, logger }) from gateway/src/dashboard.ts',
      );
    }
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    fixture = await seedFixture();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await env?.cleanup();
  });

  /**
   * Through the public API, as a portal and a CIC server would: two customers; Acme orders a
   * subscription licence for acme-cic-1 (five pooled client seats, capped at five by the account, a concurrent user and a station)
   * and a virtual-cloud subscription for acme-cic-2 (ramp date yesterday, seven days' grace);
   * Initech has a server of its own.
   */
  async function seedFixture(): Promise<Fixture> {
    const address = '1 Main Street, Indianapolis';
    const acmeAccount = seed(api).account({ name: 'Acme Contact Centre', garn: 'GARN-900001' });
    const initechAccount = seed(api).account({ name: 'Initech', garn: 'GARN-900002' });
    const acmeId = (await acmeAccount).accountId;
    const initechId = (await initechAccount).accountId;
    const acmeAt = acmeAccount.site({ name: 'Acme Indianapolis', address });
    const acmeSite = (await acmeAt).siteId;
    const initechAt = initechAccount.site({ name: 'Initech Austin', address });
    await initechAt;

    // acme-cic-1: five pooled Business Client seats (I3_ACCESS_CLIENT_CONCURRENT 5).
    // Usage tracking (automated upload) makes its logons count in the usage report.
    const seats = { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 0, pooledQuantity: 5 };
    const callPorts = { partNumber: 'SW-004-4.0-SN01', assignedQuantity: 10, pooledQuantity: 0 };
    const tracking = { partNumber: 'SW-002-4.0-FT12', assignedQuantity: 1, pooledQuantity: 0 };
    const serverPart = { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1, pooledQuantity: 0 };
    // Usage tracking needs a subscription (a perpetual file never holds it): acme-cic-1's licence is a
    // subscription whose client seats the account capped at five, which behaves like a perpetual pool.
    // A cap names a licence a file of the account holds: set once the file is loaded.
    const acme1 = await acmeAt
      .order({ licenseModel: 'SUBSCRIPTION', lines: [seats, callPorts, tracking, serverPart] })
      .file({ licenseModel: 'SUBSCRIPTION', machineName: 'acme-cic-1', items: [seats, callPorts, tracking] })
      .server({ name: 'acme-cic-1' })
      .cap({ I3_ACCESS_CLIENT_CONCURRENT: 5 });

    // acme-cic-2: a virtual-cloud subscription (ramp date yesterday, seven days' grace).
    const virtualCloud = { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1, pooledQuantity: 0 };
    const fewPorts = { partNumber: 'SW-004-4.0-SN01', assignedQuantity: 4, pooledQuantity: 0 };
    const acme2 = await acmeAt
      .order({
        licenseModel: 'SUBSCRIPTION',
        lines: [virtualCloud, fewPorts, serverPart],
        terms: { rampDate: new Date(clock.now().getTime() - DAY_MS).toISOString(), gracePeriodDays: 7 },
      })
      .file({ licenseModel: 'SUBSCRIPTION', machineName: 'acme-cic-2', items: [virtualCloud, fewPorts] })
      .server({ name: 'acme-cic-2' });

    const desk = await seed(api)
      .use({ serverId: acme1.serverId })
      .users(['tina'], { licenses: ['I3_ACCESS_CLIENT'] })
      .station({ name: 'desk-101' });
    const initechServer = (await initechAt.server({ name: 'initech-cic' })).serverId;
    const acmeServer = acme1.serverId;
    const cloudServer = acme2.serverId;
    const userId = desk.userIds['tina'];
    const stationId = desk.stationId;
    const file = { id: acme1.fileId };
    return {
      acme: {
        accountId: acmeId,
        siteId: acmeSite,
        serverId: acmeServer,
        cloudServerId: cloudServer,
        userId,
        stationId,
        fileId: file.id,
      },
      initech: { accountId: initechId, serverId: initechServer },
    };
  }

  it('signs in with a pasted token and shows every statistics column of the server', async () => {
    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);

    // The table renders once the server's statistics arrive: wait for it, then read it.
    await page.getByTestId('statistics-table').locator('thead th').first().waitFor();
    const headers = await page.getByTestId('statistics-table').locator('thead th').allTextContents();
    expect(headers).toEqual([
      'Licence',
      'Assignable allowed',
      'Assignable configured',
      'Concurrent allowed',
      'Concurrent configured',
      'Concurrent in use',
      'Free for logon',
      'Free to assign',
      'Peak in use',
      'Denials',
      'Note',
    ]);
    const row = page.locator(`tr[data-key="${CLIENT_KEY}"]`);
    await waitForText(row.locator('td[data-col="concurrentAllowed"]'), '5', 5000);
    expect(await row.locator('td[data-col="concurrentInUse"]').textContent()).toBe('0');
    expect(await row.locator('td[data-col="concurrentConfigured"]').textContent()).toBe('1');
    expect(await page.getByRole('combobox', { name: 'Server' }).inputValue()).toBe(fixture.acme.serverId);
    await waitForAttribute(page.locator('p.live'), 'data-state', 'live', 5000);
    await shot(page, '01-statistics-signed-in');
  });

  it('shows a logon made through the API in the row and the chart within a second, without reloading', async () => {
    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);
    const row = page.locator(`tr[data-key="${CLIENT_KEY}"]`);
    const inUse = row.locator('td[data-col="concurrentInUse"]');
    const chart = page.getByTestId('in-use-chart');
    await waitForText(inUse, '0', 5000);
    await waitForAttribute(page.locator('p.live'), 'data-state', 'live', 5000);
    await page.getByRole('combobox', { name: 'Licence' }).selectOption(CLIENT_KEY);
    await waitForAttribute(chart, 'data-in-use', '0', 2000);
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.evaluate(() => {
      (globalThis as unknown as Record<string, unknown>)['dashboardMarker'] = 'same page';
    });

    const server = await tokenFor(stack.config, { roles: ['SERVER'], serverId: fixture.acme.serverId });
    loggedOnAt = clock.now();
    const logon = await api<{ logon: { acquired: string[]; denied: string[] } }>(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired denied } }`,
      {
        input: {
          serverId: fixture.acme.serverId,
          userId: fixture.acme.userId,
          stationId: fixture.acme.stationId,
          application: 'Interaction Desktop',
        },
      },
      server,
    );
    expect(logon.logon.acquired.join()).toMatch(/I3_ACCESS_CLIENT/);
    const rowMs = await waitForText(inUse, '1', 1000);
    await waitForAttribute(chart, 'data-in-use', '1', 1000 - rowMs);
    expect(await row.locator('td[data-col="peakInUse"]').textContent()).toBe('1');
    expect(await page.getByTestId('in-use-chart').locator('figcaption').textContent()).toMatch(
      /now 1 in use of 5 allowed/,
    );
    // The peak tile counts what is in use now at once, before the platform has written the minute.
    await waitForAttribute(page.getByTestId('peak-tile'), 'data-peak', '1', 1000);
    expect(
      await page.evaluate(() => (globalThis as unknown as Record<string, unknown>)['dashboardMarker']),
    ).toBe('same page');
    expect(navigations).toBe(0);
    await shot(page, '02-statistics-after-logon');

    // Tina works twenty minutes (the platform's clock), then logs off.
    clock.advance(20 * 60_000);
    await api(
      `mutation($input: LogoffInput!) { logoff(input: $input) { released } }`,
      {
        input: {
          serverId: fixture.acme.serverId,
          userId: fixture.acme.userId,
          application: 'Interaction Desktop',
        },
      },
      server,
    ).catch(async () =>
      // LogoffResult's fields are the allocation subgraph's to name: any selection will do.
      graphqlRequest(
        url,
        `mutation($input: LogoffInput!) { logoff(input: $input) { __typename } }`,
        {
          input: {
            serverId: fixture.acme.serverId,
            userId: fixture.acme.userId,
            application: 'Interaction Desktop',
          },
        },
        server,
      ),
    );
    await waitForText(inUse, '0', 1000);
    await waitForAttribute(chart, 'data-in-use', '0', 1000);
  });

  it('charts the history the platform keeps: the last hour, day, 30 days and billing period survive a reload and show in a new browser', async () => {
    // The logon above held one seat for twenty minutes of the platform's clock; no page was open
    // since that this one could have recorded anything in.
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    const open = async (viewport: { width: number; height: number }) => {
      const page = await openPage(viewport);
      await signInWithToken(page, supervisor);
      await page.getByRole('combobox', { name: 'Licence' }).selectOption(CLIENT_KEY);
      return page;
    };
    const expectHistory = async (page: Page) => {
      const chart = page.getByTestId('in-use-chart');
      await waitForAttribute(page.getByTestId('peak-tile'), 'data-peak', '1', 5000);
      await waitForAttribute(chart, 'data-range', 'hour', 1000);
      await waitForAttribute(chart, 'data-peak', '1', 5000);
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(20);
      expect(await chart.getAttribute('data-in-use')).toBe('0');
      for (const [label, range] of [
        ['Last day', 'day'],
        ['Last 30 days', 'month'],
        ['Billing period', 'period'],
      ] as const) {
        await page.getByRole('button', { name: label, exact: true }).click();
        await waitForAttribute(chart, 'data-range', range, 1000);
        await waitForAttribute(chart, 'data-peak', '1', 5000);
        expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
        expect(await chart.locator('figcaption').textContent()).toMatch(
          new RegExp(`^${label}: highest 1 in use at once; now 0 in use of 5 allowed`),
        );
      }
      await page.getByRole('button', { name: 'Last hour', exact: true }).click();
      await waitForAttribute(chart, 'data-range', 'hour', 1000);
    };

    const page = await open(DESKTOP);
    await expectHistory(page);
    await shot(page, '02b-history-desktop');
    await page.reload();
    await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();
    await page.getByRole('combobox', { name: 'Licence' }).selectOption(CLIENT_KEY);
    await waitForAttribute(page.getByTestId('peak-tile'), 'data-peak', '1', 5000);

    // A browser that has never seen the server: a new context, at phone width.
    const phone = await open(PHONE);
    await expectHistory(phone);
    await page.getByRole('button', { name: 'Last 30 days', exact: true }).waitFor();
    await expectNoSidewaysScroll(phone, 'the statistics page with its history chart');
    await shot(phone, '02c-history-phone');
  });

  it('shows the warning banner live when a server reaches enforcement stage 2, and the obtrusive one at stage 3', async () => {
    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);
    await page.getByRole('link', { name: 'Enforcement' }).click();
    const card = page.locator(`li[data-server-id="${fixture.acme.cloudServerId}"]`);
    await waitForAttribute(card.locator('p.stage'), 'data-stage', '1', 5000);
    expect(await page.getByTestId('enforcement-banner').count()).toBe(0);
    await waitForAttribute(page.locator('p.live'), 'data-state', 'live', 5000);

    // Seven days pass without a check-in: the grace period since the ramp date runs out.
    clock.advance(7 * DAY_MS);
    const banner = page.getByTestId('enforcement-banner');
    await waitForText(banner, /acme-cic-2: stage 2 \(Warning\)/, 5000);
    expect(await banner.getAttribute('role')).toBe('status');
    await waitForAttribute(card.locator('p.stage'), 'data-stage', '2', 2000);
    expect(await card.getByRole('status').textContent()).toMatch(/has not checked in/);
    await waitForText(
      page.getByTestId('stage-changes'),
      /acme-cic-2 moved from stage 1 \(Fully functional\) to stage 2/,
      2000,
    );
    await shot(page, '03-enforcement-stage-2');

    clock.advance(7 * DAY_MS);
    await waitForText(banner, /acme-cic-2: stage 3 \(Obtrusive warning\)/, 5000);
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await card.getByRole('alert').textContent()).toMatch(/Obtrusive warning/);
    // The banner follows the supervisor to the statistics view.
    await page.getByRole('link', { name: 'Licence statistics' }).click();
    await waitForText(page.getByTestId('enforcement-banner'), /stage 3/, 2000);
    await shot(page, '04-enforcement-stage-3-banner-on-statistics');

    // Good standing restored (a licensing administrator's override, on the record: only the server
    // itself checks in) returns the server to stage 1 and the banner goes away.
    await api(
      'mutation($id: ID!) { overrideGoodStanding(serverId: $id, reason: "e2e: standing restored") { stage } }',
      {
        id: fixture.acme.cloudServerId,
      },
    );
    const deadline = Date.now() + 3000;
    while ((await page.getByTestId('enforcement-banner').count()) > 0) {
      if (Date.now() > deadline) throw new Error('the banner stayed after a good check-in');
      await new Promise((r) => setTimeout(r, 25));
    }
    // The card names the last check-in: the override, good, at its time (local, UTC on hover).
    await page.getByRole('link', { name: 'Enforcement' }).click();
    const lastCheckIn = card.getByTestId('last-check-in');
    await waitForText(
      lastCheckIn,
      /^\d{4}-\d\d-\d\d \d\d:\d\d UTC \(override by the licensing team, good\)$/,
      3000,
    );
    expect(await lastCheckIn.locator('time').first().getAttribute('title')).toMatch(/ UTC$/);

    // The stage history is the platform's: a new browser lists every change, newest first.
    const fresh = await openPage(PHONE);
    await signInWithToken(fresh, supervisor);
    await fresh.goto(`${base}/dashboard/#/statistics?server=${fixture.acme.cloudServerId}`);
    const changes = fresh.getByTestId('stage-history').locator('li');
    await waitForText(changes.first(), /stage 3 → 1 \(Fully functional\) · set by hand/, 5000);
    const listed = await changes.allTextContents();
    expect(listed.slice(1, 3)).toEqual([
      expect.stringMatching(/stage 2 → 3 \(Obtrusive warning\) · grace period elapsed$/),
      expect.stringMatching(/stage 1 → 2 \(Warning\) · grace period elapsed$/),
    ]);
    await expectNoSidewaysScroll(fresh, 'the stage history at 390 px');
  });

  it("keeps a supervisor of one account away from another account's servers", async () => {
    const page = await openPage();
    // The one-click development sign-in (offered when the operator opts in, outside production).
    await page.goto(`${base}/dashboard/`);
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await shot(page, '00-sign-in');
    await page.getByLabel('Role').selectOption('SUPERVISOR');
    await page.getByLabel('Account').selectOption({ label: 'Initech' });
    await page.getByRole('button', { name: 'Sign in as demo user' }).click();
    await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();

    const picker = page.getByRole('combobox', { name: 'Server' });
    await picker.locator('option').first().waitFor({ state: 'attached' });
    expect(await picker.locator('option').allTextContents()).toEqual(['initech-cic']);
    expect(await page.locator('body').textContent()).not.toContain('acme-cic-1');
    expect(await page.locator('body').textContent()).not.toContain('Acme');
    // Supervisors see live statistics and enforcement, not usage or orders.
    const views = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents();
    expect(views).toEqual(['Licence statistics', 'Enforcement']);

    // A link to Acme's server does not show it.
    await page.goto(`${base}/dashboard/#/statistics?server=${fixture.acme.serverId}`);
    await page.getByText('is not one of Initech’s servers').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('acme-cic-1');
    await shot(page, '05-isolation-initech-supervisor');

    // And the API refuses the same supervisor Acme's statistics, by query and by subscription.
    const initechSupervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.initech.accountId,
    });
    const refused = await graphqlRequest(
      url,
      'query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentInUse } }',
      { id: fixture.acme.serverId },
      initechSupervisor,
    );
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.errors?.[0]?.extensions?.['code']);
    const client = wsClient(url, initechSupervisor);
    try {
      const subscription = subscribe(
        client,
        'subscription($id: ID!) { licenseStatisticsChanged(serverId: $id) { at } }',
        { id: fixture.acme.serverId },
      );
      const first = await subscription.next(1, 5000).catch((error: unknown) => ({ errors: [error] }));
      expect(first.errors).toBeDefined();
      expect(JSON.stringify(first.errors)).toMatch(/FORBIDDEN|NOT_FOUND/);
      subscription.close();
    } finally {
      await client.dispose();
    }
  });

  it('shows an administrator the usage report, the account and its activation file for download', async () => {
    const page = await openPage();
    const customerAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, customerAdmin);

    // Tina's logon on acme-cic-1 (a business user) reaches billing as a usage session.
    const logon = loggedOnAt ?? clock.now();
    const periodStart = new Date(
      Date.UTC(logon.getUTCFullYear(), logon.getUTCMonth() - (logon.getUTCDate() >= 28 ? 0 : 1), 28),
    ).toISOString();
    const businessUsers = async () =>
      (
        await api<{ usageReport: { lines: Array<{ category: string; namedUsers: number }> } }>(
          'query($a: ID!, $p: DateTime!) { usageReport(accountId: $a, periodStart: $p) { lines { category namedUsers } } }',
          { a: fixture.acme.accountId, p: periodStart },
        )
      ).usageReport.lines.find((l) => l.category === 'BUSINESS_USER')?.namedUsers;
    const deadline = Date.now() + 5000;
    while ((await businessUsers()) !== 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    await page.getByRole('link', { name: 'Usage' }).click();
    await page.goto(`${base}/dashboard/#/usage?period=${periodStart}`);
    const report = page.getByTestId('usage-report');
    await report.waitFor();
    const categories = await report.locator('tbody th[scope="row"]').allTextContents();
    expect(categories).toEqual(expect.arrayContaining(['AGENT', 'BUSINESS_USER']));
    expect(await report.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['Named users', 'Peak concurrent', 'Billable concurrent', 'Billable quantity']),
    );
    const business = report.locator('tr[data-category="BUSINESS_USER"] td');
    expect((await business.allTextContents())[0]).toBe('1');
    // Day by day over the period, from the tracked sessions: Tina alone, as a business user.
    const trend = page.getByTestId('usage-trend');
    await trend.waitFor();
    expect((await trend.getAttribute('data-categories'))?.split(' ')).toContain('BUSINESS_USER');
    expect(Number(await trend.getAttribute('data-days'))).toBeGreaterThan(0);
    expect(await trend.locator('figcaption').textContent()).toMatch(
      /BUSINESS_USER: highest 1 at once, 1 person on the busiest day/,
    );
    await shot(page, '06-usage-report');

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Acme Contact Centre', level: 1 }).waitFor();
    await page.getByText('Acme Indianapolis').first().waitFor();
    // Ordered five, all five in the active file: none remain.
    await page.locator('tr[data-part="SW-001-4.0-AL02"]').waitFor();
    expect(await page.locator('tr[data-part="SW-001-4.0-AL02"] td').allTextContents()).toEqual([
      'Business Client',
      'subscription',
      '5',
      '5',
      '0',
    ]);
    const downloadButton = page.getByRole('button', { name: 'Download acme-cic-1.I3Lic' });
    const downloading = page.waitForEvent('download').catch(async (error: unknown) => {
      const alerts = await page.getByRole('alert').allTextContents();
      throw new Error(`no download (${String(error)}); the page says: ${JSON.stringify(alerts)}`);
    });
    await downloadButton.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('acme-cic-1.I3Lic');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const { activationFile } = await api<{ activationFile: { content: string } }>(
      'query($id: ID!) { activationFile(id: $id) { content } }',
      { id: fixture.acme.fileId },
    );
    expect(Buffer.concat(chunks).toString('utf8')).toBe(activationFile.content);
    await shot(page, '07-account');
  });

  it('moves with the demo traffic simulator: people log on and off, and some are refused', async () => {
    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);
    const row = page.locator(`tr[data-key="${CLIENT_KEY}"]`);
    await waitForText(row.locator('td[data-col="concurrentInUse"]'), '0', 5000);
    await waitForAttribute(page.locator('p.live'), 'data-state', 'live', 5000);
    // The same supervisor on a phone, watching at the same time.
    const phone = await openPage(PHONE);
    await signInWithToken(phone, supervisor);
    await waitForAttribute(phone.locator('p.live'), 'data-state', 'live', 5000);

    // Seven simulated people for five seats, a short wave, always the first choice: deterministic.
    const lines: string[] = [];
    const demo = await runDemo({
      gatewayUrl: url,
      adminToken: admin,
      serverToken: (serverId) => tokenFor(stack.config, { roles: ['SERVER'], serverId }),
      servers: ['acme-cic-1'],
      usersPerServer: 7,
      intervalMs: 100,
      periodMs: 2000,
      random: () => 0,
      log: (line) => lines.push(line),
    });
    try {
      expect(demo.servers).toEqual([{ id: fixture.acme.serverId, name: 'acme-cic-1', users: 7 }]);
      // Five of five seats taken: the row reads full (nothing free for a logon, whatever else is
      // spare), the headline tile names the full licence, on a desktop and on a phone at once.
      // The wave's crest is short: both pages are watched together, every 20 ms.
      const full = {
        inUse: '5',
        free: '0',
        badge: 'Full',
        tile: 'full',
        badgeOnScreen: true,
        freeOnScreen: true,
        fits: true,
      };
      const watched = [
        [page, 'desktop'],
        [phone, 'phone'],
      ] as const;
      const seenFull = watched.map(([p, name]) =>
        p
          .waitForFunction(
            (key) => {
              const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
                .document;
              type El = {
                textContent: string | null;
                getAttribute(n: string): string | null;
                getBoundingClientRect(): { left: number; right: number; width: number };
              };
              const r = doc.querySelector(`tr[data-key="${key}"]`) as
                (El & { querySelector(s: string): El | null }) | null;
              if (!r || r.getAttribute('data-fullness') !== 'full') {
                (globalThis as unknown as Record<string, unknown>)['lastRow'] = r?.textContent;
                return false;
              }
              const tile = doc.querySelector('[data-testid="fullest-tile"]') as El | null;
              const badge = r.querySelector('[data-testid="full-badge"]');
              const free = r.querySelector('td[data-col="freeForLogon"]');
              const width = (globalThis as unknown as { innerWidth: number }).innerWidth;
              // On screen: drawn, and inside the window (no sideways scroll to reach it).
              const onScreen = (e: El | null | undefined) => {
                const box = e?.getBoundingClientRect();
                return !!box && box.width > 0 && box.left >= 0 && box.right <= width + 0.5;
              };
              const scrolling = (doc as unknown as { scrollingElement: { scrollWidth: number } })
                .scrollingElement;
              return {
                inUse: r.querySelector('td[data-col="concurrentInUse"]')?.textContent,
                free: free?.textContent,
                badge: badge?.textContent,
                tile: tile?.getAttribute('data-state'),
                badgeOnScreen: onScreen(badge),
                freeOnScreen: onScreen(free),
                fits: scrolling.scrollWidth <= width,
              };
            },
            CLIENT_KEY,
            { timeout: 20_000, polling: 20 },
          )
          .then((handle) => handle.jsonValue())
          .catch(async (error: unknown) => {
            const last = await p.evaluate(
              () => (globalThis as unknown as Record<string, unknown>)['lastRow'],
            );
            throw new Error(
              `${name}: the row never read full (last ${JSON.stringify(last)}): ${String(error)}`,
            );
          }),
      );
      for (const seen of await Promise.all(seenFull)) expect(seen).toEqual(full);
      await shot(page, '10-demo-traffic-full-pool');
      await shot(phone, '10-demo-traffic-full-pool-phone');
      await waitForText(row.locator('td[data-col="denials"]'), /^[1-9]\d*$/, 20000);
      const refusals = page.getByTestId('denials').locator('ol.denial-log > li');
      await refusals
        .filter({ hasText: /demo-.* was refused I3_ACCESS_CLIENT/ })
        .first()
        .waitFor();
      // The table's names (not the pool's I3_ACCESS_CLIENT_CONCURRENT), and each person once.
      expect(await refusals.allTextContents()).not.toContainEqual(expect.stringMatching(/_CONCURRENT/));
      const people = await refusals.evaluateAll((items) =>
        items.map((i) =>
          (i as unknown as { getAttribute(n: string): string | null }).getAttribute('data-person'),
        ),
      );
      expect(new Set(people).size).toBe(people.length);
      await shot(page, '10-demo-traffic');
    } finally {
      await demo.stop();
    }
    await waitForText(row.locator('td[data-col="concurrentInUse"]'), '0', 3000);
    await waitForText(row.locator('td[data-col="concurrentConfigured"]'), '1', 3000);
    expect(lines.some((l) => /logged on/.test(l))).toBe(true);
  });

  it('shows the licence numbers without sideways scrolling on a desktop and a phone, on every page', async () => {
    const customerAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: fixture.acme.accountId,
    });
    for (const [viewport, name] of [
      [DESKTOP, '1440'],
      [PHONE, '390'],
    ] as const) {
      const page = await openPage(viewport);
      await signInWithToken(page, customerAdmin);
      const row = page.locator(`tr[data-key="${CLIENT_KEY}"]`);
      await waitForText(row.locator('td[data-col="concurrentAllowed"]'), '5', 5000);
      for (const col of ['concurrentInUse', 'concurrentAllowed', 'freeForLogon', 'denials']) {
        await expectOnScreen(row.locator(`td[data-col="${col}"]`), `statistics ${col} at ${name} px`);
      }
      await expectOnScreen(page.getByTestId('fullest-tile'), `the headline tile at ${name} px`);
      await expectNoSidewaysScroll(page, `the statistics page at ${name} px`);
      await shot(page, `11-statistics-${name}`);

      await page.getByRole('link', { name: 'Enforcement' }).click();
      const card = page.locator(`li[data-server-id="${fixture.acme.cloudServerId}"]`);
      await card.locator('p.stage').waitFor();
      await expectOnScreen(card.getByTestId('last-check-in'), `the last check-in at ${name} px`);
      await expectNoSidewaysScroll(page, `the enforcement page at ${name} px`);
      await shot(page, `11-enforcement-${name}`);

      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
      await page.getByTestId('usage-report').waitFor();
      await expectOnScreen(
        page.getByTestId('usage-report').locator('tr[data-category="BUSINESS_USER"] td').first(),
        `the usage numbers at ${name} px`,
      );
      await expectNoSidewaysScroll(page, `the usage page at ${name} px`);
      await shot(page, `11-usage-${name}`);

      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByRole('heading', { name: 'Acme Contact Centre', level: 1 }).waitFor();
      const ordered = page.locator('tr[data-part="SW-001-4.0-AL02"] td');
      await ordered.first().waitFor();
      await expectOnScreen(ordered.last(), `the remaining quantity at ${name} px`);
      await expectNoSidewaysScroll(page, `the account page at ${name} px`);
      await shot(page, `11-account-${name}`);
    }
  });

  it('greys the figures and says when they were last updated once the gateway is gone', async () => {
    // A gateway of its own (over the same subgraphs), so stopping it leaves the others' running.
    const own = await createGateway({ ...stack.config, ports: { ...stack.config.ports, gateway: 0 } });
    let stopped = false;
    try {
      const ownBase = own.url.replace(/\/graphql$/, '');
      const supervisor = await tokenFor(stack.config, {
        roles: ['SUPERVISOR'],
        accountId: fixture.acme.accountId,
      });
      // A supervisor in Indianapolis: times in local time (UTC-5 in winter, UTC-4 in summer).
      const page = await openPage(PHONE, 'light', 'America/Indiana/Indianapolis');
      await page.goto(`${ownBase}/dashboard/`);
      await page.getByLabel('Access token (JWT)').fill(supervisor);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const statistics = page.locator('div.statistics');
      await waitForText(
        page.locator(`tr[data-key="${CLIENT_KEY}"] td[data-col="concurrentAllowed"]`),
        '5',
        5000,
      );
      await waitForAttribute(page.locator('p.live'), 'data-state', 'live', 5000);
      expect(await statistics.getAttribute('data-stale')).toBe('false');
      expect(await page.getByTestId('stale-note').count()).toBe(0);

      await own.close();
      stopped = true;
      await waitForAttribute(statistics, 'data-stale', 'true', 10_000);
      const note = page.getByTestId('stale-note');
      expect(await note.textContent()).toMatch(
        /^Not live: the connection to the platform was lost at \d\d:\d\d:\d\d\. The figures below are from the last update at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC-[45] and may be out of date/,
      );
      // Local time on the page, UTC on hover.
      const updated = note.getByTestId('stale-updated-at');
      const [iso, title, shown] = [
        await updated.getAttribute('datetime'),
        await updated.getAttribute('title'),
        await updated.textContent(),
      ];
      const at = new Date(iso ?? '');
      expect(title).toBe(`${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`);
      const local = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/Indiana/Indianapolis',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).format(at);
      expect(shown).toContain(local);
      // The figures stay readable but greyed; the note itself is not.
      const looks = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
        const style = (
          globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string; filter: string } }
        ).getComputedStyle;
        return {
          table: style(doc.querySelector('div.statistics > .table-panel')),
          note: style(doc.querySelector('[data-testid="stale-note"]')),
        };
      });
      expect(Number(looks.table.opacity)).toBeLessThan(1);
      expect(looks.table.filter).toMatch(/grayscale/);
      expect(Number(looks.note.opacity)).toBe(1);
      await expectNoSidewaysScroll(page, 'the stale statistics at 390 px');
      await shot(page, '12-stale-after-gateway-stopped');
      // The enforcement cards are marked the same way.
      await page.getByRole('link', { name: 'Enforcement' }).click();
      await page.getByRole('heading', { name: 'Enforcement', level: 1 }).waitFor();
      await waitForAttribute(page.locator('section.view'), 'data-stale', 'true', 2000);
      await page.getByTestId('stale-note').waitFor();
    } finally {
      if (!stopped) await own.close();
    }
  });

  it('lands a partner and an administrator on the fleet: the exhausted licence first, on a desktop and a phone', async () => {
    // Globex resells: it sold Acme a server item, so it may see Acme (not Initech).
    const globexId = (
      await api<{ createAccount: { id: string } }>(
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
        { input: { name: 'Globex Partners', garn: 'GARN-900003', kind: 'PARTNER' } },
      )
    ).createAccount.id;
    await api('mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }', {
      input: {
        endUserAccountId: fixture.acme.accountId,
        soldToAccountId: globexId,
        licenseModel: 'SUBSCRIPTION',
        productVersion: '2020 R2',
        maintenancePaid: true,
        lines: [{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1, pooledQuantity: 0 }],
      },
    });
    const cap = (c: number) =>
      api(
        'mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { cap } }',
        { a: fixture.acme.accountId, k: 'I3_ACCESS_CLIENT_CONCURRENT', c },
      );
    const server = await tokenFor(stack.config, { roles: ['SERVER'], serverId: fixture.acme.serverId });
    const session = {
      serverId: fixture.acme.serverId,
      userId: fixture.acme.userId,
      application: 'Interaction Desktop',
    };
    // One client seat on acme-cic-1, and Tina takes it: the pool is exhausted.
    await cap(1);
    await api(
      'mutation($input: LogonInput!) { logon(input: $input) { acquired } }',
      { input: { ...session, stationId: fixture.acme.stationId } },
      server,
    );
    // Uma is refused the seat Tina holds: a refusal of the last hour.
    const uma = (
      await api<{ createCicUser: { id: string } }>(
        'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
        {
          input: {
            serverId: fixture.acme.serverId,
            name: 'uma-fleet',
            allocationMethod: 'CONCURRENT',
            licenses: [CLIENT_KEY],
          },
        },
      )
    ).createCicUser.id;
    const umaDesk = (
      await api<{ createStation: { id: string } }>(
        'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
        {
          input: {
            serverId: fixture.acme.serverId,
            name: 'desk-fleet',
            kind: 'WORKSTATION',
            licenses: ['I3_LICENSE_BASIC_STATION'],
          },
        },
      )
    ).createStation.id;
    const umaSession = { ...session, userId: uma };
    await graphqlRequest(
      url,
      'mutation($input: LogonInput!) { logon(input: $input) { __typename } }',
      { input: { ...umaSession, stationId: umaDesk } },
      server,
    );
    try {
      // The partner lands on the fleet of the accounts it may see: its customer's servers, the
      // exhausted licence first; its own account, which has no servers, says so.
      const partner = await tokenFor(stack.config, { roles: ['PARTNER'], accountId: globexId });
      for (const [viewport, name] of [
        [DESKTOP, '1440'],
        [PHONE, '390'],
      ] as const) {
        const page = await openPage(viewport);
        await signInWithToken(page, partner, 'Fleet overview');
        const accounts = await optionsIncluding(page.getByRole('combobox', { name: 'Show' }), [
          'Acme Contact Centre',
          'Globex Partners',
        ]);
        expect(accounts).toEqual(expect.arrayContaining(['Acme Contact Centre', 'Globex Partners']));
        expect(accounts).not.toContain('Initech');
        await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Globex Partners' });
        await waitForText(
          page.getByTestId('fleet-empty').locator('p').first(),
          /^No server to show for Globex Partners/,
          3000,
        );
        await expectOnScreen(page.getByTestId('fleet-empty'), `the partner's empty fleet at ${name} px`);
        await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Acme Contact Centre' });
        const first = page.getByTestId('fleet-table').locator('tbody tr').first();
        await waitForAttribute(first, 'data-fullness', 'full', 5000);
        expect(await first.getAttribute('data-server-id')).toBe(fixture.acme.serverId);
        expect(await first.getAttribute('data-key')).toBe(CLIENT_KEY);
        expect(await first.locator('td[data-col="account"]').textContent()).toBe('Acme Contact Centre');
        expect(
          await page
            .getByTestId('fleet-servers')
            .locator(`li[data-server-id="${fixture.initech.serverId}"]`)
            .count(),
        ).toBe(0);
        await expectOnScreen(first.locator('td[data-col="server"]'), `the partner's fleet at ${name} px`);
        await expectNoSidewaysScroll(page, `the partner's fleet at ${name} px`);
        await shot(page, `13-fleet-partner-${name}`);
      }

      // The licensing team lands there too: every account, the exhausted licence first.
      for (const [viewport, name] of [
        [DESKTOP, '1440'],
        [PHONE, '390'],
      ] as const) {
        const page = await openPage(viewport);
        await signInWithToken(page, admin, 'Fleet overview');
        const all = ['Acme Contact Centre', 'Globex Partners', 'Initech'];
        expect(await optionsIncluding(page.getByRole('combobox', { name: 'Show' }), all)).toEqual(
          expect.arrayContaining(all),
        );
        const first = page.getByTestId('fleet-table').locator('tbody tr').first();
        await waitForAttribute(first, 'data-fullness', 'full', 5000);
        expect(await first.getAttribute('data-key')).toBe(CLIENT_KEY);
        expect(await first.getAttribute('data-server-id')).toBe(fixture.acme.serverId);
        expect(await first.locator('td[data-col="inUse"]').textContent()).toBe('1');
        expect(await first.locator('td[data-col="allowed"]').textContent()).toBe('1');
        expect(await first.locator('td[data-col="freeForLogon"]').textContent()).toBe('0');
        expect(await first.locator('td[data-col="account"]').textContent()).toBe('Acme Contact Centre');
        expect(await first.locator('.badge-full').textContent()).toBe('Full');
        expect(
          Number(await page.getByTestId('fleet-full').locator('.tile-value').textContent()),
        ).toBeGreaterThan(0);
        await expectOnScreen(
          first.locator('td[data-col="freeForLogon"]'),
          `the fleet's free seats at ${name} px`,
        );
        await expectOnScreen(first.locator('td[data-col="server"]'), `the fleet's server at ${name} px`);
        // Refusals of the last hour and day, as the platform counts them (not what this page saw).
        const recent = (
          await api<{ licenseRecentDenials: Array<{ key: string; lastHour: number; lastDay: number }> }>(
            'query($id: ID!) { licenseRecentDenials(serverId: $id) { key lastHour lastDay } }',
            { id: fixture.acme.serverId },
          )
        ).licenseRecentDenials.find((d) => d.key === CLIENT_KEY);
        expect(recent?.lastHour).toBeGreaterThan(0);
        const refusedCell = first.locator('td[data-col="denials"]');
        await waitForAttribute(refusedCell, 'data-last-hour', String(recent!.lastHour), 5000);
        expect(await refusedCell.textContent()).toBe(`${recent!.lastHour} / ${recent!.lastDay}`);
        expect(
          Number(await page.getByTestId('fleet-refused').getAttribute('data-last-hour')),
        ).toBeGreaterThanOrEqual(recent!.lastHour);
        await expectNoSidewaysScroll(page, `the fleet at ${name} px`);
        await shot(page, `13-fleet-admin-${name}`);

        // Filtered by site: Initech's site has no licence file loaded; Acme's has the full pool.
        const siteFilter = page.getByRole('combobox', { name: 'Site' });
        await siteFilter.selectOption({ label: 'Initech Austin (Initech)' });
        await page.getByText('No server has a concurrent licence loaded.').waitFor({ timeout: 3000 });
        await siteFilter.selectOption({ label: 'Acme Indianapolis (Acme Contact Centre)' });
        await waitForAttribute(
          page.getByTestId('fleet-table').locator('tbody tr').first(),
          'data-server-id',
          fixture.acme.serverId,
          3000,
        );
        await siteFilter.selectOption({ index: 0 });

        // Server by server: the one with the exhausted licence first; Initech's has no licence file.
        const serverList = page.getByTestId('fleet-servers');
        await waitForText(
          serverList.locator(`li[data-server-id="${fixture.initech.serverId}"] .server-facts`),
          /^No licence file loaded · not enforced$/,
          3000,
        );
        expect(await serverList.locator('li').first().getAttribute('data-server-id')).toBe(
          fixture.acme.serverId,
        );
        expect(await serverList.locator('li').first().locator('.server-facts').textContent()).toMatch(
          /^1 full, 0 nearly full; fullest I3_ACCESS_CLIENT 1 \/ 1/,
        );

        // Filtered to Initech (no licence file loaded): nothing to rank, and it says so.
        await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Initech' });
        await page.getByText('No server has a concurrent licence loaded.').waitFor({ timeout: 3000 });
        expect(await page.getByTestId('fleet-table').count()).toBe(0);

        // A line leads to the server's live statistics.
        await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Acme Contact Centre' });
        await page.getByTestId('fleet-table').getByRole('link', { name: 'acme-cic-1' }).first().click();
        await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();
        await waitForAttribute(page.locator(`tr[data-key="${CLIENT_KEY}"]`), 'data-fullness', 'full', 5000);
      }
    } finally {
      await api(
        'mutation($input: LogoffInput!) { logoff(input: $input) { __typename } }',
        { input: session },
        server,
      );
      await graphqlRequest(
        url,
        'mutation($input: LogoffInput!) { logoff(input: $input) { __typename } }',
        { input: umaSession },
        server,
      );
      await cap(5);
    }
  });

  it('fits a wall display and a narrow screen, and can be used from the keyboard', async () => {
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    const wall = await openPage(WALL);
    await signInWithToken(wall, supervisor);
    await wall.getByRole('button', { name: 'Wall display' }).click();
    // The page re-renders, then an effect sets the class: wait for both rather than race them.
    await wall.getByRole('button', { name: 'Wall display', pressed: true }).waitFor({ timeout: 3000 });
    await wall.locator('html.wall').waitFor({ state: 'attached', timeout: 3000 });
    expect(await wall.getByRole('button', { name: 'Wall display' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await wall.locator('html').getAttribute('class')).toContain('wall');
    await shot(wall, '08-wall-display');

    // A narrow window, in the dark colour scheme.
    const narrow = await openPage({ width: 800, height: 1000 }, 'dark');
    await signInWithToken(narrow, supervisor);
    const scrollWidth = await narrow.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
        .document;
      return doc.documentElement.scrollWidth;
    });
    expect(scrollWidth).toBeLessThanOrEqual(800);
    await shot(narrow, '09-narrow');

    // Keyboard: the first Tab reaches the skip link; the views are links in a labelled navigation.
    await narrow.keyboard.press('Tab');
    expect(
      await narrow.evaluate(() => {
        const doc = (globalThis as unknown as { document: { activeElement: { textContent: string } | null } })
          .document;
        return doc.activeElement?.textContent;
      }),
    ).toBe('Skip to content');
    await narrow.getByRole('link', { name: 'Enforcement' }).focus();
    await narrow.keyboard.press('Enter');
    await narrow.getByRole('heading', { name: 'Enforcement', level: 1 }).waitFor();
  });

  it('warns of a licence file that expires soon, and shows the server expired and unlicensed live when it does', async () => {
    // A trial file for another Acme server, signed as the platform signs files, five days from expiry.
    await seed(api, { privateKeyPem: resolveSigningKeys(stack.config).privateKeyPem })
      .use({ accountId: fixture.acme.accountId, siteId: fixture.acme.siteId })
      .server({ name: 'acme-trial' })
      .file({
        platformStyle: true,
        licenseType: 'TRIAL',
        generatedAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 5 * DAY_MS),
        overrides: { fileId: 'af-e2e-trial' },
        keys: { [`${CLIENT_KEY}_CONCURRENT`]: 2 },
      });

    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);
    await page.getByLabel('Server', { exact: true }).selectOption({ label: 'acme-trial' });
    const note = page.getByTestId('license-expiry');
    await waitForText(note, /^Licence expires in 5 days \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/, 5000);
    expect(await note.getAttribute('role')).toBe('status');
    await shot(page, '11-licence-expires-in-5-days');

    // The expiry passes: allocation's scheduler ends the file and the page hears it live.
    clock.advance(5 * DAY_MS + 1000);
    await waitForText(
      note,
      /^Licence expired .*: the server is unlicensed until a new licence file is loaded$/,
      8000,
    );
    expect(await note.getAttribute('role')).toBe('alert');
    await shot(page, '12-licence-expired-unlicensed');
  });

  it('marks the standby member of a switchover pair, and says why a logon there was refused', async () => {
    // A switchover pair is one unit: "this single license file" serves both computers, and only the
    // active member accepts logons. The supervisor must see which member is the standby, and why
    // a logon made on it was refused.
    const pair = await seed(api, { privateKeyPem: resolveSigningKeys(stack.config).privateKeyPem })
      .use({ accountId: fixture.acme.accountId, siteId: fixture.acme.siteId })
      .server({ name: 'acme-pair-a', standby: 'acme-pair-b' })
      .file({
        platformStyle: true,
        generatedAt: clock.now(),
        overrides: { fileId: 'af-e2e-pair' },
        keys: { [`${CLIENT_KEY}_CONCURRENT`]: 2, I3_LICENSE_BASIC_STATION: 2 },
      })
      .users(['sam'], { licenses: [CLIENT_KEY] });
    const backup = pair.standbyServerId!;
    const userId = pair.userIds['sam'];
    const { stationId } = await seed(api).use({ serverId: backup }).station({ name: 'desk-pair' });

    const page = await openPage();
    const supervisor = await tokenFor(stack.config, {
      roles: ['SUPERVISOR'],
      accountId: fixture.acme.accountId,
    });
    await signInWithToken(page, supervisor);
    await page.getByLabel('Server', { exact: true }).selectOption({ label: 'acme-pair-b (standby)' });
    await waitForText(
      page.getByText(/is the standby member of its switchover pair/),
      /^acme-pair-b is the standby member of its switchover pair: it shares the pair’s licences and\s+refuses logons until it takes over\.$/,
      10_000,
    );

    // The server's user list cannot be read for a while (a gateway restart, a dropped connection):
    // the refusal shows at once, and names the person once the list can be read again.
    let usersFail = true;
    await page.route('**/graphql', async (route) => {
      if (usersFail && route.request().postData()?.includes('query ServerUsers')) {
        await route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
      } else {
        await route.continue();
      }
    });
    const machine = await tokenFor(stack.config, { roles: ['SERVER'], serverId: backup });
    const refused = await graphqlRequest(
      url,
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      { input: { serverId: backup, userId, stationId, application: 'Interaction Connect' } },
      machine,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('SERVER_STANDBY');
    await waitForText(
      page.getByTestId('denials').locator('ol.denial-log li').first(),
      /user [0-9a-f]{8} was refused I3_ACCESS_CLIENT/,
      10_000,
    );
    usersFail = false;
    await waitForText(
      page.getByTestId('denials').locator('ol.denial-log li').first(),
      /sam was refused I3_ACCESS_CLIENT \(standby member of the switchover pair, Interaction Connect\)/,
      10_000,
    );
    await shot(page, '13-standby-member-refuses-logons');
  });
});

describe('dashboard mount', () => {
  it('offers no development sign-in in production', async () => {
    const app = express();
    const jwt = {
      secret: 'a-production-secret-that-is-long-enough',
      jwksUrl: undefined,
      issuer: 'licensing-platform',
      audience: 'licensing-platform',
      maxLifetimeSeconds: 3600,
      serverMaxLifetimeSeconds: 3600,
    };
    // Even a configuration that says yes (which loadConfig refuses in production) offers nothing.
    const devSignIn = { enabled: true, roles: ['LICENSING_ADMIN' as const] };
    mountDashboard(app, { config: { env: 'production', jwt, devSignIn, listenHost: '127.0.0.1' } });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const page = await fetch(`${origin}/dashboard/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect((await fetch(`${origin}/dashboard/dev-sign-in`)).status).toBe(404);
      const token = await fetch(`${origin}/dashboard/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'LICENSING_ADMIN' }),
      });
      expect(token.status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
