import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type SeedSummary, seedDemoData } from './seed.js';

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
}): Promise<FirstStartSeed> {
  const dir = resolve(options.dataDir);
  const marker = join(dir, '.seeded');
  if (existsSync(marker)) return { status: 'already-seeded' };
  try {
    const summary = await seedDemoData(options.gatewayUrl, options.adminToken);
    mkdirSync(dir, { recursive: true });
    writeFileSync(marker, JSON.stringify(summary, null, 2));
    options.log(`Seeded demo data: ${summary.accounts.length} accounts, ${summary.servers.length} servers`);
    return { status: 'seeded', summary };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
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
