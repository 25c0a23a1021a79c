import {
  Column,
  Entity,
  Index,
  type EntityManager,
  type MigrationInterface,
  PrimaryColumn,
  type QueryRunner,
  Table,
  TableIndex,
} from 'typeorm';
import { bigintNumber } from '../db/columns.js';
import { type PartnerCustomersChangedPayload } from '../events/contracts.js';

/**
 * A subgraph's copy of whom each partner sold to, kept from `accounts.partner-customers-changed`:
 * the policy needs it (`soldTo`) to let a partner see its customers' servers, and only the accounts
 * subgraph owns the sales orders.
 */
@Entity('partner_customer')
@Index('ix_partner_customer_customer', ['customerAccountId'])
export class PartnerCustomerRow {
  @PrimaryColumn({ name: 'partner_account_id', type: 'varchar', length: 64 })
  partnerAccountId!: string;

  @PrimaryColumn({ name: 'customer_account_id', type: 'varchar', length: 64 })
  customerAccountId!: string;
}

/** When each partner's set was last announced: an older announcement arriving late is ignored. */
@Entity('partner_customer_set')
export class PartnerCustomerSetRow {
  @PrimaryColumn({ name: 'partner_account_id', type: 'varchar', length: 64 })
  partnerAccountId!: string;

  @Column({ name: 'as_of', type: 'bigint', transformer: bigintNumber })
  asOf!: number;
}

export const PARTNER_CUSTOMER_ENTITIES = [PartnerCustomerRow, PartnerCustomerSetRow];

/** The two tables, in allocation's, billing's and enforcement's databases (driver-neutral). */
export class PartnerCustomers1766600000000 implements MigrationInterface {
  name = 'PartnerCustomers1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'partner_customer',
        columns: [
          { name: 'partner_account_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'customer_account_id', type: 'varchar', length: '64', isPrimary: true },
        ],
      }),
    );
    await q.createIndex(
      'partner_customer',
      new TableIndex({ name: 'ix_partner_customer_customer', columnNames: ['customer_account_id'] }),
    );
    await q.createTable(
      new Table({
        name: 'partner_customer_set',
        columns: [
          { name: 'partner_account_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'as_of', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('partner_customer_set');
    await q.dropTable('partner_customer');
  }
}

/**
 * Replaces a partner's customers with the announced set, unless a later announcement was applied
 * already. Runs in the consumer's transaction (with its inbox row).
 */
export async function applyPartnerCustomers(
  manager: EntityManager,
  payload: PartnerCustomersChangedPayload,
): Promise<boolean> {
  const asOf = Date.parse(payload.asOf);
  const partnerAccountId = payload.partnerAccountId;
  const current = await manager.findOneBy(PartnerCustomerSetRow, { partnerAccountId });
  if (current && current.asOf > asOf) return false;
  if (current) await manager.update(PartnerCustomerSetRow, { partnerAccountId }, { asOf });
  else await manager.insert(PartnerCustomerSetRow, { partnerAccountId, asOf });
  await manager.delete(PartnerCustomerRow, { partnerAccountId });
  const customers = [...new Set(payload.customerAccountIds)].filter((id) => id !== partnerAccountId);
  for (let i = 0; i < customers.length; i += 500) {
    await manager.insert(
      PartnerCustomerRow,
      customers.slice(i, i + 500).map((customerAccountId) => ({ partnerAccountId, customerAccountId })),
    );
  }
  return true;
}

/** The accounts a partner sold to, as this subgraph last heard. */
export async function partnerCustomersOf(
  manager: EntityManager,
  partnerAccountId: string,
): Promise<string[]> {
  const rows = await manager.find(PartnerCustomerRow, {
    where: { partnerAccountId },
    order: { customerAccountId: 'ASC' },
  });
  return rows.map((r) => r.customerAccountId);
}
