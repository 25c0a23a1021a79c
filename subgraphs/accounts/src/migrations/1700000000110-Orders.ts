import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  type TableColumnOptions,
  TableIndex,
} from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isPrimary: name === 'id',
});
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const instant = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});
const count = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
  ...(nullable ? {} : { default: 0 }),
});
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
/** Rows listed in the order they were written (instants can tie): an increasing key, the id unique beside it. */
const sequence: TableColumnOptions = {
  name: 'seq',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const uniqueId: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isUnique: true };

/** Accounts' install sites, the part catalogue, sales orders and what they entitle, activation files, requests. */
export class Orders1700000000110 implements MigrationInterface {
  name = 'Orders1700000000110';

  async up(q: QueryRunner): Promise<void> {
    // Up to 1 MiB of licence text and base64 attachments: TEXT stops at 64 KiB on MariaDB.
    const longText =
      q.connection.options.type === 'mariadb' || q.connection.options.type === 'mysql' ? 'longtext' : 'text';

    await q.createTable(
      new Table({
        name: 'counter',
        columns: [text('name', 40), { name: 'counter_value', type: 'bigint', default: 0 }].map((c, i) => ({
          ...c,
          isPrimary: i === 0,
        })),
      }),
    );
    await q.query(
      `INSERT INTO counter (name, counter_value) VALUES ('sales_order', 0), ('activation_file_request', 0)`,
    );

    await q.createTable(
      new Table({
        name: 'install_site',
        columns: [
          id(),
          ref('account_id'),
          text('name', 200),
          text('address', 500, true),
          { name: 'active', type: 'boolean', default: true },
          instant('created_at'),
          instant('updated_at'),
          instant('deactivated_at', true),
        ],
        foreignKeys: [
          { columnNames: ['account_id'], referencedTableName: 'account', referencedColumnNames: ['id'] },
        ],
        indices: [new TableIndex({ name: 'ix_install_site_account', columnNames: ['account_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'part',
        columns: [
          { ...text('part_number', 40), isPrimary: true },
          text('description', 200),
          text('kind', 20),
          { name: 'license_keys', type: 'text' },
          flag('has_upgrade_option'),
          { name: 'bundle', type: 'text', isNullable: true },
          count('sort_order'),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sales_order',
        columns: [
          id(),
          { ...text('order_number', 40), isUnique: true },
          ref('end_user_account_id'),
          ref('sold_to_account_id'),
          text('license_model', 20),
          text('product_version', 40, true),
          flag('maintenance_paid'),
          instant('maintenance_paid_until', true),
          flag('mirroring'),
          instant('ramp_date', true),
          count('grace_period_days', true),
          instant('created_at'),
          text('created_by', 200),
        ],
        foreignKeys: [
          {
            columnNames: ['end_user_account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
          },
          {
            columnNames: ['sold_to_account_id'],
            referencedTableName: 'account',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({ name: 'ix_sales_order_end_user', columnNames: ['end_user_account_id'] }),
          new TableIndex({ name: 'ix_sales_order_sold_to', columnNames: ['sold_to_account_id'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'sales_order_line',
        columns: [
          id(),
          ref('order_id'),
          count('line_no'),
          text('part_number', 40),
          count('assigned_quantity'),
          count('pooled_quantity'),
        ],
        foreignKeys: [
          { columnNames: ['order_id'], referencedTableName: 'sales_order', referencedColumnNames: ['id'] },
          {
            columnNames: ['part_number'],
            referencedTableName: 'part',
            referencedColumnNames: ['part_number'],
          },
        ],
        indices: [new TableIndex({ name: 'ix_sales_order_line_order', columnNames: ['order_id'] })],
      }),
    );

    // The account's entitlement per part: what its orders granted and what its active files hold.
    // Generation takes from it with a conditional UPDATE, so concurrent files can never exceed it.
    await q.createTable(
      new Table({
        name: 'ordered_item',
        columns: [
          id(),
          ref('account_id'),
          text('license_model', 20),
          text('part_number', 40),
          count('assigned_ordered'),
          count('pooled_ordered'),
          count('assigned_used'),
          count('pooled_used'),
          count('dev_used'),
          text('product_version', 40, true),
          instant('updated_at'),
        ],
        foreignKeys: [
          { columnNames: ['account_id'], referencedTableName: 'account', referencedColumnNames: ['id'] },
          {
            columnNames: ['part_number'],
            referencedTableName: 'part',
            referencedColumnNames: ['part_number'],
          },
        ],
        indices: [
          new TableIndex({
            name: 'uq_ordered_item',
            columnNames: ['account_id', 'license_model', 'part_number'],
            isUnique: true,
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'activation_file',
        columns: [
          id(),
          ref('account_id'),
          ref('install_site_id'),
          text('license_model', 20),
          text('license_type', 40),
          text('product', 256),
          text('product_version', 40),
          instant('generated_at'),
          text('generated_by', 200),
          instant('expires_at'),
          instant('re_register_by', true),
          text('host_id', 256),
          text('machine_name', 256),
          text('system_type', 256),
          text('mail_connector', 256, true),
          text('server_item', 40),
          text('switchover_host_id', 256, true),
          text('switchover_name', 256, true),
          text('switchover_system_type', 256, true),
          text('switchover_server_item', 40, true),
          flag('provide_switchover_later'),
          instant('ramp_date', true),
          count('grace_period_days', true),
          { name: 'license_keys', type: 'text' },
          { name: 'content', type: longText },
          text('file_name', 300),
          { name: 'active', type: 'boolean', default: true },
          count('download_count'),
          instant('last_downloaded_at', true),
          instant('updated_at'),
          text('updated_by', 200, true),
          instant('deactivated_at', true),
          text('deactivated_by', 200, true),
          text('deactivation_reason', 500, true),
          ref('request_id', true),
        ],
        foreignKeys: [
          { columnNames: ['account_id'], referencedTableName: 'account', referencedColumnNames: ['id'] },
          {
            columnNames: ['install_site_id'],
            referencedTableName: 'install_site',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [
          new TableIndex({ name: 'ix_activation_file_account', columnNames: ['account_id', 'generated_at'] }),
          new TableIndex({ name: 'ix_activation_file_site', columnNames: ['install_site_id'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'activation_file_item',
        columns: [
          id(),
          ref('file_id'),
          text('item_role', 30),
          text('part_number', 40),
          text('license_model', 20),
          count('assigned_quantity'),
          count('pooled_quantity'),
          flag('taken'),
        ],
        foreignKeys: [
          { columnNames: ['file_id'], referencedTableName: 'activation_file', referencedColumnNames: ['id'] },
        ],
        indices: [new TableIndex({ name: 'ix_activation_file_item_file', columnNames: ['file_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'activation_file_request',
        columns: [
          id(),
          { ...text('request_number', 20), isUnique: true },
          text('status', 30),
          text('submitted_by', 200),
          ref('account_id'),
          text('first_name', 100),
          text('last_name', 100),
          text('end_user_account', 200),
          text('sold_to_account', 200),
          text('garn', 40),
          text('request_type', 30),
          text('category', 30, true),
          text('file_type', 30, true),
          text('subject', 200),
          { name: 'description', type: 'text' },
          flag('urgent'),
          instant('date_needed', true),
          text('date_reason', 500, true),
          text('corporate_email', 254),
          { name: 'additional_recipients', type: 'text' },
          text('work_phone', 40),
          text('employer', 200),
          text('primary_host_id', 256, true),
          text('backup_host_id', 256, true),
          text('deployment_type', 30, true),
          text('implementation_type', 30, true),
          text('so_po_number', 60, true),
          text('third_party_file_type', 100, true),
          ref('activation_file_id', true),
          instant('created_at'),
          instant('updated_at'),
          instant('closed_at', true),
        ],
        foreignKeys: [
          { columnNames: ['account_id'], referencedTableName: 'account', referencedColumnNames: ['id'] },
        ],
        indices: [new TableIndex({ name: 'ix_afr_account', columnNames: ['account_id', 'created_at'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'afr_message',
        columns: [
          sequence,
          uniqueId,
          ref('request_id'),
          text('kind', 30),
          text('author', 200),
          { name: 'body', type: 'text' },
          instant('created_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['request_id'],
            referencedTableName: 'activation_file_request',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [new TableIndex({ name: 'ix_afr_message_request', columnNames: ['request_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'afr_attachment',
        columns: [
          sequence,
          uniqueId,
          ref('request_id'),
          text('file_name', 255),
          text('content_type', 100),
          count('size_bytes'),
          { name: 'content', type: longText },
          text('uploaded_by', 200),
          instant('created_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['request_id'],
            referencedTableName: 'activation_file_request',
            referencedColumnNames: ['id'],
          },
        ],
        indices: [new TableIndex({ name: 'ix_afr_attachment_request', columnNames: ['request_id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'afr_attachment',
      'afr_message',
      'activation_file_request',
      'activation_file_item',
      'activation_file',
      'ordered_item',
      'sales_order_line',
      'sales_order',
      'part',
      'install_site',
      'counter',
    ]) {
      await q.dropTable(table);
    }
  }
}
