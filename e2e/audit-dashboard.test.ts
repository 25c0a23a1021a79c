import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { generateSigningKeyPair } from '@lic/shared';
import { type TestEnvironment, graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';
import { ROOT } from './helpers.js';

/** The page's document as code evaluated in the browser sees it (these tests compile without the DOM library). */
interface PageDocument {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): { innerHTML: string } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}
type InPage = { document: PageDocument };

const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];

/**
 * The dashboard's audit view in a real browser against the real platform (the demo seed's
 * mutations are its entries), at 1440 px and at a phone's 390 px: entries readable without
 * sideways scrolling, filtering, paging and the CSV download.
 */
describe('audit view in the dashboard', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let acmeAdmin: string;
  let acmeId: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync(process.execPath, [join(ROOT, 'gateway', 'dashboard', 'build.mjs')], { stdio: 'pipe' });
    env = testEnvironment({
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
    stack = await startStack(env.config);
    base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const admin = await tokenFor(stack.config, {
      roles: ['LICENSING_ADMIN'],
      certified: true,
      sub: 'lic-admin',
    });
    const seeded = await seedDemoData(stack.gatewayUrl, admin);
    acmeId = seeded.accounts.find((a) => a.name.startsWith('Acme'))!.id;
    acmeAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: acmeId,
      sub: 'acme-admin',
    });
    // Entries reach the log through the outbox: wait for the seed's to be there, more than one
    // page of them (the test walks the pages; waiting for the first entry only let it read one
    // page while the rest were still on their way).
    let arrived = 0;
    for (let i = 0; i < 600 && arrived <= 50; i++) {
      const { auditLog } = await graphqlData<{ auditLog: { edges: unknown[] } }>(
        stack.gatewayUrl,
        'query($id: ID!) { auditLog(accountId: $id, filter: { operation: "createStation" }, first: 100) { edges { cursor } } }',
        { id: acmeId },
        admin,
      );
      arrived = auditLog.edges.length;
      if (arrived <= 50) await new Promise((r) => setTimeout(r, 100));
    }
    expect(arrived).toBeGreaterThan(50);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await env?.cleanup();
  });

  async function openAudit(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/dashboard/`);
    await page.getByLabel('Access token (JWT)').fill(acmeAdmin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByTestId('audit-entry').first().waitFor();
    return page;
  }

  const overflow = (page: Page) =>
    page.evaluate(
      () =>
        (globalThis as unknown as InPage).document.documentElement.scrollWidth -
        (globalThis as unknown as InPage).document.documentElement.clientWidth,
    );

  it.each([1440, 390])(
    'lists, filters and exports the account’s entries at %i px',
    async (width) => {
      const page = await openAudit(width);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      const first = page.getByTestId('audit-entry').first();
      expect(await first.textContent()).toMatch(/Succeeded/);
      expect(await first.textContent()).toMatch(/lic-admin/);
      await page.screenshot({ path: join(ARTIFACTS, `audit-${width}.png`), fullPage: true });

      await page.getByLabel('Operation').fill('createStation');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForFunction(() =>
        Array.from(
          (globalThis as unknown as InPage).document.querySelectorAll(
            '[data-testid="audit-entry"] .audit-field',
          ),
        ).every((e) => e.textContent === 'createStation'),
      );
      const fields = await page.locator('[data-testid="audit-entry"] .audit-field').allTextContents();
      expect(fields.length).toBeGreaterThan(0);
      expect(new Set(fields)).toEqual(new Set(['createStation']));
      expect(page.url()).toContain('operation=createStation');
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      // Pages of 50, newest first: Older walks to the end, every entry seen once.
      let total = fields.length;
      const older = page.getByRole('button', { name: 'Older' });
      while (await older.isEnabled()) {
        const top = await page.locator('[data-testid="audit-entry"]').first().innerHTML();
        await older.click();
        // The next page's first entry, not the loading state between the two pages (no entry at
        // all): counted there, a page read as empty.
        await page.waitForFunction((before) => {
          const first = (globalThis as unknown as InPage).document.querySelector(
            '[data-testid="audit-entry"]',
          );
          return first !== null && first.innerHTML !== before;
        }, top);
        total += await page.getByTestId('audit-entry').count();
      }
      expect(total).toBeGreaterThan(fields.length);
      await page.getByRole('button', { name: 'Newer' }).click();
      await page.screenshot({ path: join(ARTIFACTS, `audit-${width}-filtered.png`), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
      expect(csv[0]).toMatch(/^occurredAt,outcome,errorCode,field,/);
      expect(csv.length - 2).toBe(total);
      expect(csv.slice(1, -1).every((line) => line.includes(',createStation,'))).toBe(true);
      await page.context().close();
    },
    90_000,
  );

  it('is not offered to a supervisor', async () => {
    const supervisor = await tokenFor(stack.config, { roles: ['SUPERVISOR'], accountId: acmeId, sub: 'sup' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/dashboard/`);
    await page.getByLabel('Access token (JWT)').fill(supervisor);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Licence statistics', level: 1 }).waitFor();
    const views = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents();
    expect(views).not.toContain('Audit log');
    await context.close();
  }, 60_000);
});
