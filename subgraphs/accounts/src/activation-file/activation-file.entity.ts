import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import {
  type LicenseKeyQuantity as KeyQuantity,
  type LicenseModel,
  type LicenseType,
  LongText,
  epochMs,
  jsonText,
} from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { LicenseKeyQuantity } from '../granted-key.types.js';
import { InstallSite } from '../install-site/install-site.entity.js';
import { LicenseModelEnum, LicenseTypeEnum } from '../licensing-types.js';

/** A generated, signed activation file: what a CIC server (and its switchover partner) loads. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A signed activation file (the `.I3Lic` a CIC server loads)' })
@Entity({ name: 'activation_file' })
@Index('ix_activation_file_account', ['accountId', 'generatedAt'])
export class ActivationFile {
  @Field(() => ID, { description: "The activation file's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => Int, {
    description:
      'The revision signed into the content: 1 when generated, one more on every update. Only the current revision loads',
  })
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  @Field(() => ID, { description: 'The account the file licenses' })
  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field(() => ID, { description: 'The install site whose server loads the file' })
  @Index('ix_activation_file_site')
  @ForeignKey(() => InstallSite)
  @Column({ name: 'install_site_id', type: 'varchar', length: 36 })
  installSiteId!: string;

  @Field(() => LicenseModelEnum, { description: 'PERPETUAL or SUBSCRIPTION' })
  @Column({ name: 'license_model', type: 'varchar', length: 20 })
  licenseModel!: LicenseModel;

  @Field(() => LicenseTypeEnum, { description: 'Production, development, trial or evaluation' })
  @Column({ name: 'license_type', type: 'varchar', length: 40 })
  licenseType!: LicenseType;

  @Field({ description: 'The product line, e.g. "PureConnect CIC"' })
  @Column({ type: 'varchar', length: 256 })
  product!: string;

  @Field({ description: 'The product version the file is for, e.g. "2020 R2"' })
  @Column({ name: 'product_version', type: 'varchar', length: 40 })
  productVersion!: string;

  @Field(() => Date, { description: 'When this revision of the file was generated' })
  @Column({ name: 'generated_at', type: 'bigint', transformer: epochMs })
  generatedAt!: Date;

  @Field({ description: 'Who generated it (token subject)' })
  @Column({ name: 'generated_by', type: 'varchar', length: 200 })
  generatedBy!: string;

  @Field(() => Date, { description: 'When the file stops licensing anything (null: never)' })
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs })
  expiresAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Multi-Site Administration: re-register by this instant',
  })
  @Column({ name: 're_register_by', type: 'bigint', nullable: true, transformer: epochMs })
  reRegisterBy!: Date | null;

  @Column({ name: 'host_id', type: 'varchar', length: 256 })
  hostId!: string;

  @Field({ description: 'The machine it is for (also the download name)' })
  @Column({ name: 'machine_name', type: 'varchar', length: 256 })
  machineName!: string;

  @Column({ name: 'system_type', type: 'varchar', length: 256 })
  systemType!: string;

  @Column({ name: 'mail_connector', type: 'varchar', length: 256, nullable: true })
  mailConnector!: string | null;

  @Column({ name: 'server_item', type: 'varchar', length: 40 })
  serverItem!: string;

  @Column({ name: 'switchover_host_id', type: 'varchar', length: 256, nullable: true })
  switchoverHostId!: string | null;

  @Column({ name: 'switchover_name', type: 'varchar', length: 256, nullable: true })
  switchoverName!: string | null;

  @Column({ name: 'switchover_system_type', type: 'varchar', length: 256, nullable: true })
  switchoverSystemType!: string | null;

  @Column({ name: 'switchover_server_item', type: 'varchar', length: 40, nullable: true })
  switchoverServerItem!: string | null;

  @Field({ description: 'The switchover machine is to be provided later (by updating the file)' })
  @Column({ name: 'provide_switchover_later', type: 'boolean', default: false })
  provideSwitchoverLater!: boolean;

  @Column({ name: 'ramp_date', type: 'bigint', nullable: true, transformer: epochMs })
  rampDate!: Date | null;

  @Column({ name: 'grace_period_days', type: 'integer', nullable: true })
  gracePeriodDays!: number | null;

  @Field(() => [LicenseKeyQuantity], {
    description: 'Every key of the file with its quantity, sorted by key',
  })
  @Column({ name: 'license_keys', type: 'text', transformer: jsonText })
  keys!: KeyQuantity[];

  @Field({ description: 'The signed text a server loads (see shared/src/licensing/FORMAT.md)' })
  @LongText()
  @Column({ type: 'text' })
  content!: string;

  @Field({ description: '<machine name>.I3Lic' })
  @Column({ name: 'file_name', type: 'varchar', length: 300 })
  fileName!: string;

  @Field({ description: 'False once the file was deactivated or replaced' })
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The nearest expiry warning (30, 7 or 1 days) announced for this file; null before the first. */
  @Column({ name: 'expiry_warned_days', type: 'integer', nullable: true })
  expiryWarnedDays?: number | null;

  @Field(() => Int, { description: 'How many times the file has been downloaded' })
  @Column({ name: 'download_count', type: 'integer', default: 0 })
  downloadCount!: number;

  @Field(() => Date, { description: 'When the file was last downloaded', nullable: true })
  @Column({ name: 'last_downloaded_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastDownloadedAt!: Date | null;

  @Field(() => Date, { description: 'When the file was last changed' })
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;

  @Field(() => String, { description: 'Who last changed the file', nullable: true })
  @Column({ name: 'updated_by', type: 'varchar', length: 200, nullable: true })
  updatedBy!: string | null;

  @Field(() => Date, { description: 'When the file was deactivated (null while active)', nullable: true })
  @Column({ name: 'deactivated_at', type: 'bigint', nullable: true, transformer: epochMs })
  deactivatedAt!: Date | null;

  @Field(() => String, { description: 'Who deactivated the file', nullable: true })
  @Column({ name: 'deactivated_by', type: 'varchar', length: 200, nullable: true })
  deactivatedBy!: string | null;

  @Field(() => String, { description: 'Why the file was deactivated', nullable: true })
  @Column({ name: 'deactivation_reason', type: 'varchar', length: 500, nullable: true })
  deactivationReason!: string | null;

  @Field(() => ID, { nullable: true, description: 'The activation file request this file fulfilled' })
  @Column({ name: 'request_id', type: 'varchar', length: 36, nullable: true })
  requestId!: string | null;
}

export const FileItemRole = {
  ITEM: 'ITEM',
  ADD_ON: 'ADD_ON',
  SERVER: 'SERVER',
  SWITCHOVER_SERVER: 'SWITCHOVER_SERVER',
  DEVELOPMENT_ALLOWANCE: 'DEVELOPMENT_ALLOWANCE',
} as const;
export type FileItemRole = (typeof FileItemRole)[keyof typeof FileItemRole];
registerEnumType(FileItemRole, {
  name: 'ActivationFileItemRole',
  description:
    'How a part figures in a file (DEVELOPMENT_ALLOWANCE: the server item granting a non-ordered development file)',
  valuesConfig: {
    ITEM: { description: 'An access, feature or session part chosen with a quantity' },
    ADD_ON: { description: 'An add-on item' },
    SERVER: { description: 'The server item the file is for' },
    SWITCHOVER_SERVER: { description: 'The switchover server item' },
    DEVELOPMENT_ALLOWANCE: { description: 'What a development file grants without being ordered' },
  },
});

/** What a file took from (or, when not `taken`, merely names of) the account's ordered items. */
@ObjectType({ description: 'A part in an activation file and the quantities it took from the order' })
@Entity({ name: 'activation_file_item' })
export class ActivationFileItem {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_activation_file_item_file')
  @ForeignKey(() => ActivationFile)
  @Column({ name: 'file_id', type: 'varchar', length: 36 })
  fileId!: string;

  @Field(() => FileItemRole, {
    description:
      'What the item is in the file: an item, an add-on, the server, the switchover server or a development allowance',
  })
  @Column({ name: 'item_role', type: 'varchar', length: 30 })
  role!: FileItemRole;

  @Field({ description: 'The part the item grants' })
  @Column({ name: 'part_number', type: 'varchar', length: 40 })
  partNumber!: string;

  @Column({ name: 'license_model', type: 'varchar', length: 20 })
  licenseModel!: LicenseModel;

  @Field(() => Int, { description: 'Units granted as assignable licences' })
  @Column({ name: 'assigned_quantity', type: 'integer', default: 0 })
  assignedQuantity!: number;

  @Field(() => Int, { description: 'Units granted as pooled (concurrent) licences' })
  @Column({ name: 'pooled_quantity', type: 'integer', default: 0 })
  pooledQuantity!: number;

  @Field({ description: 'Whether the quantities came out of the ordered items (and return on deactivation)' })
  @Column({ type: 'boolean', default: false })
  taken!: boolean;
}

@ObjectType({ description: 'The machine an activation file is locked to' })
export class LicensedMachine {
  @Field({ description: 'Empty for a virtual-cloud subscription server (2020 R2 or later)' })
  hostId!: string;

  @Field({ description: "The machine's name" })
  machineName!: string;

  @Field(() => String, { description: "The machine's operating system type", nullable: true })
  systemType!: string | null;

  @Field(() => String, { description: 'The mail connector the server uses', nullable: true })
  mailConnector!: string | null;

  @Field({ description: 'Part number of the server item' })
  serverItem!: string;
}

@ObjectType({ description: 'Virtual-cloud enforcement terms carried by the file' })
export class VirtualCloudTerms {
  @Field(() => Date, { description: 'No enforcement before this date' })
  rampDate!: Date;

  @Field(() => Int, { description: 'Days per enforcement stage' })
  gracePeriodDays!: number;
}

@ObjectType({ description: 'A download: save `content` as `fileName`' })
export class ActivationFileDownload {
  @Field(() => ID, { description: 'The activation file downloaded' })
  id!: string;

  @Field({ description: 'The name to save the file under' })
  fileName!: string;

  @Field({ description: "The file's media type" })
  contentType!: string;

  @Field({ description: 'The signed licence text the server loads' })
  content!: string;

  @Field(() => Int, { description: 'How many times the file has been downloaded, this time included' })
  downloadCount!: number;
}
