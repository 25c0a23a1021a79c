import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { graphqlRequest, testEnvironment, tokenFor } from '@lic/testing';
import { startStack } from './embedded.js';

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`;

/**
 * Embedded mode's bus lives in memory: an event the outbox marked published but a consumer had
 * not applied when the process stopped would be lost for good. A stop while a producer is still
 * busy must leave every event applied by every consumer, or still pending in the outbox.
 */
describe('embedded mode: stopping loses no event', () => {
  it('every event of the accounts outbox is applied by billing and enforcement, or still pending', async () => {
    const env = testEnvironment({ database: 'sqlite' });
    try {
      const stack = await startStack(env.config);
      const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], certified: true });
      const accountsUrl = stack.services.accounts.url;
      let running = true;
      let created = 0;
      // Producers still busy while the platform stops (straight at the subgraph, signed as the
      // gateway signs, as the gateway's last requests or a background job would be); each stops
      // at its first refusal.
      const producer = async () => {
        while (running) {
          const garn = `GARN-${randomBytes(4).toString('hex')}`.toUpperCase();
          const res = await graphqlRequest(
            accountsUrl,
            CREATE_ACCOUNT,
            { input: { name: `Stopping ${garn}`, garn, kind: 'CUSTOMER' } },
            admin,
          ).catch(() => undefined);
          if (!res?.data) return;
          created += 1;
        }
      };
      const producers = Array.from({ length: 6 }, () => producer());
      while (created < 20) await new Promise((r) => setTimeout(r, 10));
      await stack.close();
      running = false;
      await Promise.all(producers);

      const open = (name: string) =>
        new Database(join(env.config.dataDir, `${name}.sqlite`), { readonly: true });
      const accounts = open('accounts');
      const events = accounts
        .prepare("SELECT event_id, published_at FROM outbox_event WHERE topic = 'accounts.account-created'")
        .all() as Array<{ event_id: string; published_at: number | null }>;
      accounts.close();
      const published = events.filter((e) => e.published_at !== null);
      expect(events.length).toBeGreaterThanOrEqual(created);
      expect(published.length).toBeGreaterThan(0);
      for (const consumer of ['billing', 'enforcement']) {
        const db = open(consumer);
        const applied = new Set(
          (
            db
              .prepare('SELECT event_id FROM processed_event WHERE consumer = ?')
              .all(`${consumer}:accounts.account-created`) as Array<{ event_id: string }>
          ).map((r) => r.event_id),
        );
        db.close();
        const lost = published.filter((e) => !applied.has(e.event_id)).length;
        expect({ consumer, lost }).toEqual({ consumer, lost: 0 });
      }
    } finally {
      await env.cleanup();
    }
  });
});
