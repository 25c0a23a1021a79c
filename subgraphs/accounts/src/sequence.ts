import { type EntityManager } from 'typeorm';
import { Counter } from './sales-order/sales-order.entity.js';

/**
 * The next number of a named sequence, inside the caller's transaction. The UPDATE locks the row
 * until commit (MariaDB) or runs under SQLite's single writer, so two transactions never get one number.
 */
export async function nextNumber(manager: EntityManager, name: string): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(Counter)
    .set({ value: () => 'counter_value + 1' })
    .where('name = :name', { name })
    .execute();
  if (result.affected !== 1) throw new Error(`Sequence ${name} is missing`);
  const row = await manager.findOneByOrFail(Counter, { name });
  return Number(row.value);
}

/** `PREFIX-000042` */
export function formatNumber(prefix: string, value: number): string {
  return `${prefix}-${String(value).padStart(6, '0')}`;
}

/** Serialises writers of one account on MariaDB (SQLite has a single writer already). */
export async function lockAccount(manager: EntityManager, accountId: string): Promise<void> {
  if (manager.connection.options.type === 'better-sqlite3') return;
  await manager.query('SELECT id FROM account WHERE id = ? FOR UPDATE', [accountId]);
}
