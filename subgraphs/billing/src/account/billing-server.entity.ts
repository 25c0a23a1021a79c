import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The servers billing has heard of, with their tenant (from allocation's events). */
@Entity({ name: 'billing_server' })
export class BillingServer {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Index('ix_billing_server_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  /** The server's name when registered (names its usage files); null until billing hears it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;
}
