import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';

const flag: ValueTransformer = {
  to: (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0),
  from: (value: unknown) => Number(value) === 1,
};

/** What a server is for: development files may not be used on a production server. */
export const ServerEnvironment = {
  PRODUCTION: 'PRODUCTION',
  DEVELOPMENT: 'DEVELOPMENT',
  TEST: 'TEST',
} as const;
export type ServerEnvironment = (typeof ServerEnvironment)[keyof typeof ServerEnvironment];
registerEnumType(ServerEnvironment, {
  name: 'ServerEnvironment',
  description: 'PRODUCTION servers refuse development activation files (DEVELOPMENT_* licence types)',
  valuesConfig: {
    PRODUCTION: { description: 'A production server' },
    DEVELOPMENT: { description: 'A development server' },
    TEST: { description: 'A test server' },
  },
});

/** The name a machine is known by for uniqueness: CIC machine names are Windows host names, compared without case. */
export function machineKeyOf(name: string): string {
  return name.trim().toLowerCase();
}

/** A CIC server registered to an account and install site. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A CIC server, registered to an account and install site' })
@Entity({ name: 'server' })
@Index('ux_server_account_machine', ['accountId', 'machineKey'], { unique: true })
export class Server {
  @Field(() => ID, { description: "The server's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The account the server belongs to' })
  @Index('ix_server_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field(() => ID, { description: 'The install site the server runs at' })
  @Column({ name: 'install_site_id', type: 'varchar', length: 36 })
  installSiteId!: string;

  @Field({ description: 'The CIC machine name: a licence file loads only on the machine it names' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The name trimmed and lower-cased: unique within the account (a unique index, so concurrent registrations cannot both pass). */
  @Column({ name: 'machine_key', type: 'varchar', length: 200, default: '' })
  machineKey!: string;

  @Field(() => ServerEnvironment, {
    description:
      'PRODUCTION (the default), DEVELOPMENT or TEST: a development file loads only on a non-production server',
  })
  @Column({ type: 'varchar', length: 20, default: ServerEnvironment.PRODUCTION })
  environment!: ServerEnvironment;

  @Field(() => ID, { nullable: true, description: 'The switchover partner, if any' })
  @Column({ name: 'switchover_partner_id', type: 'varchar', length: 36, nullable: true })
  switchoverPartnerId!: string | null;

  /**
   * The active/standby unit the server belongs to: its own id for a single server, the id of the
   * member registered first for a switchover pair. A pair has one set of pools and one user and
   * station configuration, kept under this id, so the file's quantities count once for both.
   */
  @Field(() => ID, {
    description:
      'The switchover unit: this server’s id, or for a pair the id of the member registered first (pools, users and stations are the unit’s)',
  })
  @Index('ix_server_unit')
  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId!: string;

  @Field({
    description: 'True for the standby member of a switchover pair: it refuses logons (SERVER_STANDBY)',
  })
  @Column({ type: 'integer', default: 0, transformer: flag })
  standby!: boolean;

  @Field(() => Date, { description: 'When the server was registered' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  /** The current machine credential's id (its token's subject names it); older tokens are revoked. */
  @Column({ name: 'credential_id', type: 'varchar', length: 36, nullable: true })
  credentialId!: string | null;

  /** SHA-256 of the issued token: the token itself is never stored. */
  @Column({ name: 'credential_hash', type: 'varchar', length: 64, nullable: true })
  credentialHash!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the current machine credential was issued' })
  @Column({ name: 'credential_issued_at', type: 'bigint', nullable: true, transformer: epochMs })
  credentialIssuedAt!: Date | null;

  @Column({ name: 'license_file_id', type: 'varchar', length: 128, nullable: true })
  licenseFileId!: string | null;

  @Column({ name: 'license_model', type: 'varchar', length: 20, nullable: true })
  licenseModel!: 'PERPETUAL' | 'SUBSCRIPTION' | null;

  @Column({ name: 'license_type', type: 'varchar', length: 40, nullable: true })
  licenseType!: string | null;

  /** Every key of the loaded file with its quantity (features included). */
  @Column({ name: 'license_keys', type: 'text', nullable: true, transformer: jsonText })
  licenseKeys!: Record<string, number> | null;

  /** The revision of the loaded file (1 for files signed before revisions existed). */
  @Column({ name: 'license_revision', type: 'integer', nullable: true })
  licenseRevision!: number | null;

  @Column({ name: 'license_loaded_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseLoadedAt!: Date | null;

  @Column({ name: 'license_expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseExpiresAt!: Date | null;

  /** When the expiry scheduler ended the loaded file (null while it runs); a new file clears it. */
  @Column({ name: 'license_expired_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseExpiredAt!: Date | null;

  @Column({ name: 'license_withdrawn_at', type: 'bigint', nullable: true, transformer: epochMs })
  licenseWithdrawnAt!: Date | null;

  @Field(() => Int, { description: 'Virtual cloud enforcement stage (1-6) as last reported' })
  @Column({ name: 'enforcement_stage', type: 'integer', default: 1 })
  enforcementStage!: number;

  @Column({ name: 'supervisor_disabled', type: 'integer', default: 0, transformer: flag })
  supervisorDisabled!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Call ports allowed by enforcement (stages 5 and 6); null = not limited',
  })
  @Column({ name: 'call_port_limit', type: 'integer', nullable: true })
  callPortLimit!: number | null;

  @Column({ name: 'enforcement_at', type: 'bigint', nullable: true, transformer: epochMs })
  enforcementAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last heartbeat received (renews the session leases)' })
  @Column({ name: 'last_heartbeat_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastHeartbeatAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last reported start (or switchover)' })
  @Column({ name: 'started_at', type: 'bigint', nullable: true, transformer: epochMs })
  startedAt!: Date | null;
}

/** The columns a live-statistics payload carries, so subscribers need no database read per event. */
export function serverSnapshot(server: Server): Record<string, unknown> {
  return {
    id: server.id,
    accountId: server.accountId,
    installSiteId: server.installSiteId,
    name: server.name,
    machineKey: server.machineKey,
    environment: server.environment,
    switchoverPartnerId: server.switchoverPartnerId,
    unitId: server.unitId,
    standby: server.standby,
    createdAt: server.createdAt.toISOString(),
    credentialIssuedAt: server.credentialIssuedAt?.toISOString() ?? null,
    licenseFileId: server.licenseFileId,
    licenseModel: server.licenseModel,
    licenseType: server.licenseType,
    licenseKeys: server.licenseKeys,
    licenseRevision: server.licenseRevision,
    licenseLoadedAt: server.licenseLoadedAt?.toISOString() ?? null,
    licenseExpiresAt: server.licenseExpiresAt?.toISOString() ?? null,
    licenseWithdrawnAt: server.licenseWithdrawnAt?.toISOString() ?? null,
    licenseExpiredAt: server.licenseExpiredAt?.toISOString() ?? null,
    enforcementStage: server.enforcementStage,
    supervisorDisabled: server.supervisorDisabled,
    callPortLimit: server.callPortLimit,
    lastHeartbeatAt: server.lastHeartbeatAt?.toISOString() ?? null,
    startedAt: server.startedAt?.toISOString() ?? null,
  };
}

export function serverFromSnapshot(snapshot: Record<string, unknown>): Server {
  const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);
  const server = Object.assign(new Server(), snapshot);
  server.createdAt = date(snapshot['createdAt']) ?? new Date(0);
  server.credentialIssuedAt = date(snapshot['credentialIssuedAt']);
  server.licenseLoadedAt = date(snapshot['licenseLoadedAt']);
  server.licenseExpiresAt = date(snapshot['licenseExpiresAt']);
  server.licenseWithdrawnAt = date(snapshot['licenseWithdrawnAt']);
  server.licenseExpiredAt = date(snapshot['licenseExpiredAt']);
  server.lastHeartbeatAt = date(snapshot['lastHeartbeatAt']);
  server.startedAt = date(snapshot['startedAt']);
  server.credentialId = null;
  server.credentialHash = null;
  // A message from a process older than switchover units names no unit: the server is its own.
  server.unitId = typeof snapshot['unitId'] === 'string' ? snapshot['unitId'] : server.id;
  server.standby = snapshot['standby'] === true;
  return server;
}
