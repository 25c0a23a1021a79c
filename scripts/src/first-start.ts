import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SeedSummary, seedDemoData } from './seed.js';

/**
 * Pauses before each new attempt of a seed that failed: the seed is idempotent, so an attempt
 * after a transient failure (a connection reset while the machine is busy, a subgraph still
 * starting) completes it. About 13 s in all before the start reports the seed as not finished.
 */
export const SEED_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 9_000];

export type FirstStartSeed =
  | { status: 'seeded'; summary: SeedSummary }
  | { status: 'already-seeded' }
  | { status: 'failed'; error: string };

/**
 * Seeds the demo data on the first start (no `.seeded` marker in the data directory yet). The
 * seed is idempotent, so a start after an interrupted one completes it; a seed that fails is
 * reported with how to retry and never thrown: the platform keeps serving without the demo data.
 * The marker is written only once the whole seed succeeded.
 */
export async function seedOnFirstStart(options: {
  gatewayUrl: string;
  adminToken: string;
  dataDir: string;
  log(line: string): void;
  /** Pauses before each further attempt (default SEED_RETRY_DELAYS_MS; [] tries once). */
  retryDelaysMs?: readonly number[];
}): Promise<FirstStartSeed> {
  const dir = resolve(options.dataDir);
  const marker = join(dir, '.seeded');
  if (existsSync(marker)) return { status: 'already-seeded' };
  const delays = options.retryDelaysMs ?? SEED_RETRY_DELAYS_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const summary = await seedDemoData(options.gatewayUrl, options.adminToken);
      mkdirSync(dir, { recursive: true });
      writeFileSync(marker, JSON.stringify(summary, null, 2));
      options.log(`Seeded demo data: ${summary.accounts.length} accounts, ${summary.servers.length} servers`);
      options.log(
        `For the enforcement demo on a fast clock (npm run demo -- --enforcement), start with DEMO_ENFORCEMENT_ACCOUNT_IDS=${summary.demoEnforcementAccountId}`,
      );
      return { status: 'seeded', summary };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = delays[attempt];
      if (delay !== undefined) {
        options.log(`Seeding the demo data was interrupted (${message}); trying again in ${delay / 1000} s.`);
        await sleep(delay);
        continue;
      }
      options.log(
        [
          `Seeding the demo data did not finish (${message}).`,
          'The platform keeps running without it. To finish the seed, start it again (`npm start` completes',
          'what is missing, without duplicates) or, while it runs, `npm run seed` with the same GATEWAY_PORT.',
        ].join('\n'),
      );
      return { status: 'failed', error: message };
    }
  }
}
