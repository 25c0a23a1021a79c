import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';
import { type ChangeCause } from '../rules/plan.js';

/** One recorded stage change of a server; (serverId, seq) is unique, so none is recorded twice. */
@Entity({ name: 'enforcement_stage_change' })
export class StageChangeRow {
  @PrimaryColumn({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ name: 'from_stage', type: 'integer' })
  fromStage!: number;

  @Column({ name: 'to_stage', type: 'integer' })
  toStage!: number;

  @Column({ type: 'bigint', transformer: epochMs })
  at!: Date;

  @Column({ type: 'varchar', length: 30 })
  cause!: ChangeCause;

  @Column({ name: 'supervisor_enabled', type: 'boolean' })
  supervisorEnabled!: boolean;

  @Column({ name: 'call_port_limit', type: 'integer', nullable: true })
  callPortLimit!: number | null;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: epochMs })
  recordedAt!: Date;

  /** Who caused the change by hand (a manual override); null otherwise. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  actor!: string | null;

  /** Why (an override's reason). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note!: string | null;
}
