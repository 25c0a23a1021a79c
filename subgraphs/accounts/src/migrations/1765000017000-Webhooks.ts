import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Webhook endpoints, their deliveries and every attempt (issue 17). */
export class Webhooks1765000017000 implements MigrationInterface {
  name = 'Webhooks1765000017000';

  async up(q: QueryRunner): Promise<void> {
    const instant = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    await q.createTable(
      new Table({
        name: 'webhook_endpoint',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'description', type: 'varchar', length: '200', isNullable: true },
          { name: 'event_types', type: 'text' },
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'enabled', type: 'boolean', default: 1 },
          { name: 'disabled_reason', type: 'varchar', length: '500', isNullable: true },
          instant('disabled_at', true),
          { name: 'consecutive_failures', type: 'integer', default: 0 },
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_webhook_endpoint_account', columnNames: ['account_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_delivery',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'endpoint_id', type: 'varchar', length: '36' },
          { name: 'account_id', type: 'varchar', length: '36' },
          { name: 'event_id', type: 'varchar', length: '64' },
          { name: 'event_type', type: 'varchar', length: '100' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempt_count', type: 'integer', default: 0 },
          instant('next_attempt_at', true),
          instant('lease_until', true),
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          instant('created_at'),
          instant('delivered_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_webhook_delivery_event',
            columnNames: ['endpoint_id', 'event_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_webhook_delivery_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({
            name: 'ix_webhook_delivery_endpoint',
            columnNames: ['endpoint_id', 'created_at'],
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'webhook_attempt',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'delivery_id', type: 'varchar', length: '40' },
          instant('attempted_at'),
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'success', type: 'boolean' },
          { name: 'latency_ms', type: 'integer' },
          { name: 'response_excerpt', type: 'text', isNullable: true },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'ix_webhook_attempt_delivery',
            columnNames: ['delivery_id', 'attempted_at'],
          }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('webhook_attempt');
    await q.dropTable('webhook_delivery');
    await q.dropTable('webhook_endpoint');
  }
}
