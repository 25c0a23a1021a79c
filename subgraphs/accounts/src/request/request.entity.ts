import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { LongText, epochMs, jsonText } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { UniqueColumn } from '../unique-column.js';
import {
  DeploymentType,
  ImplementationType,
  RequestCategory,
  RequestFileType,
  RequestStatus,
  RequestType,
} from './request-rules.js';

registerEnumType(RequestType, {
  name: 'ActivationFileRequestType',
  description: 'A question, or a request for a file',
  valuesConfig: {
    QUESTION: { description: 'A question to the licensing team' },
    ACTIVATION_FILE_REQUEST: { description: 'A request for an activation file the portal cannot generate' },
  },
});
registerEnumType(RequestCategory, {
  name: 'ActivationFileCategory',
  description: 'Genesys, third-party, or pay-per-use/hosted',
  valuesConfig: {
    GENESYS: { description: 'A question or request about Genesys licences' },
    THIRD_PARTY: { description: 'About third-party licences bundled with the product' },
    PAY_PER_USE_HOSTED: { description: 'About a pay-per-use hosted deployment' },
  },
});
registerEnumType(RequestFileType, {
  name: 'ActivationFileType',
  description: 'What kind of file is requested',
  valuesConfig: {
    NEW_DEPLOYMENT: { description: 'A file for a new deployment' },
    ADD_ON: { description: 'Adding licences to an existing deployment' },
    UPGRADE: { description: 'Moving to a newer product version' },
    MIGRATION: { description: 'Moving from another product or licence model' },
    REALLOCATION: { description: 'Moving licences between servers or sites' },
    EVALUATION: { description: 'An evaluation file' },
    TRIAL: { description: 'A trial file' },
    TEMPORARY: { description: 'A temporary file (for example during a hardware change)' },
    SUBSCRIPTION: { description: 'A subscription file' },
    MIXED_ESTATE: { description: 'A file for an account with perpetual and subscription orders' },
    OTHER: { description: 'Anything else, explained in the description' },
  },
});
registerEnumType(DeploymentType, {
  description: 'What a deployment is used for',
  name: 'DeploymentType',
  valuesConfig: {
    PRODUCTION: { description: 'Production' },
    LAB: { description: 'A lab' },
    TEST: { description: 'Testing' },
    DISASTER_RECOVERY_COLD_STANDBY: { description: 'Disaster recovery, cold standby' },
    DISASTER_RECOVERY_HOT_STANDBY: { description: 'Disaster recovery, hot standby' },
  },
});
registerEnumType(ImplementationType, {
  description: 'What kind of implementation a requested file is for',
  name: 'ImplementationType',
  valuesConfig: {
    ADD_ON: { description: 'Adding to an existing deployment' },
    MIGRATION: { description: 'A migration' },
    NEW_DEPLOYMENT: { description: 'A new deployment' },
    REALLOCATION: { description: 'Moving licences between servers or sites' },
    TEMPORARY: { description: 'A temporary file' },
    UPGRADE: { description: 'An upgrade to a newer version' },
  },
});
registerEnumType(RequestStatus, {
  name: 'ActivationFileRequestStatus',
  description: 'SUBMITTED and INFORMATION_REQUESTED are open; ANSWERED and FULFILLED are closed',
  valuesConfig: {
    SUBMITTED: { description: 'Submitted, waiting for the licensing team' },
    INFORMATION_REQUESTED: { description: "The licensing team waits for the requester's reply" },
    ANSWERED: { description: 'A question was answered' },
    FULFILLED: { description: 'The activation file was delivered; the request is closed' },
  },
});

/** A request to the licensing team (the Genesys Activation File Request Tool). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An activation file request (AFR) or licensing question to the licensing team' })
@Entity({ name: 'activation_file_request' })
@UniqueColumn('activation_file_request', 'request_number', 'number')
@Index('ix_afr_account', ['accountId', 'createdAt'])
export class ActivationFileRequest {
  @Field(() => ID, { description: "The request's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: 'The AFR number, assigned on submit (AFR-000001)' })
  @Column({ name: 'request_number', type: 'varchar', length: 20 })
  number!: string;

  @Field(() => RequestStatus, { description: 'Where the request stands' })
  @Column({ type: 'varchar', length: 30 })
  status!: RequestStatus;

  @Field({ description: 'Who submitted the request' })
  @Column({ name: 'submitted_by', type: 'varchar', length: 200 })
  submittedBy!: string;

  @Field(() => ID, { description: 'The end-user account the GARN names' })
  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: "The requester's first name" })
  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Field({ description: "The requester's last name" })
  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  @Field({ description: "The end user's account name as the requester gave it" })
  @Column({ name: 'end_user_account', type: 'varchar', length: 200 })
  endUserAccount!: string;

  @Field({ description: 'The sold-to account name as the requester gave it' })
  @Column({ name: 'sold_to_account', type: 'varchar', length: 200 })
  soldToAccount!: string;

  @Field({ description: 'The Genesys Account Reference Number of the account concerned' })
  @Column({ type: 'varchar', length: 40 })
  garn!: string;

  @Field(() => RequestType, { description: 'A question, or a request for an activation file' })
  @Column({ name: 'request_type', type: 'varchar', length: 30 })
  requestType!: RequestType;

  @Field(() => RequestCategory, { description: 'Which licences the request is about', nullable: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  category!: RequestCategory | null;

  @Field(() => RequestFileType, { description: 'The kind of activation file asked for', nullable: true })
  @Column({ name: 'file_type', type: 'varchar', length: 30, nullable: true })
  fileType!: RequestFileType | null;

  @Field({ description: "The request's subject line" })
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Field({ description: "What is asked, in the requester's words" })
  @Column({ type: 'text' })
  description!: string;

  @Field({ description: 'True when the requester marked it urgent' })
  @Column({ type: 'boolean', default: false })
  urgent!: boolean;

  @Field(() => Date, { description: 'When the requester needs an answer', nullable: true })
  @Column({ name: 'date_needed', type: 'bigint', nullable: true, transformer: epochMs })
  dateNeeded!: Date | null;

  @Field(() => String, { description: 'Why by that date', nullable: true })
  @Column({ name: 'date_reason', type: 'varchar', length: 500, nullable: true })
  dateReason!: string | null;

  @Field({ description: "The requester's work e-mail address" })
  @Column({ name: 'corporate_email', type: 'varchar', length: 254 })
  corporateEmail!: string;

  @Field(() => [String], { description: 'More e-mail addresses to copy on the answers' })
  @Column({ name: 'additional_recipients', type: 'text', transformer: jsonText })
  additionalRecipients!: string[];

  @Field({ description: "The requester's work telephone number" })
  @Column({ name: 'work_phone', type: 'varchar', length: 40 })
  workPhone!: string;

  @Field({ description: 'The company the requester works for' })
  @Column({ type: 'varchar', length: 200 })
  employer!: string;

  @Field(() => String, { description: 'The host id of the primary server the file is for', nullable: true })
  @Column({ name: 'primary_host_id', type: 'varchar', length: 256, nullable: true })
  primaryHostId!: string | null;

  @Field(() => String, { description: 'The host id of the backup (switchover) server', nullable: true })
  @Column({ name: 'backup_host_id', type: 'varchar', length: 256, nullable: true })
  backupHostId!: string | null;

  @Field(() => DeploymentType, { description: 'What the deployment is used for', nullable: true })
  @Column({ name: 'deployment_type', type: 'varchar', length: 30, nullable: true })
  deploymentType!: DeploymentType | null;

  @Field(() => ImplementationType, {
    description: 'What kind of implementation the file is for',
    nullable: true,
  })
  @Column({ name: 'implementation_type', type: 'varchar', length: 30, nullable: true })
  implementationType!: ImplementationType | null;

  @Field(() => String, { nullable: true, description: 'SO# or PO#' })
  @Column({ name: 'so_po_number', type: 'varchar', length: 60, nullable: true })
  soPoNumber!: string | null;

  @Field(() => String, {
    description: 'For third-party licences: the kind of file asked for',
    nullable: true,
  })
  @Column({ name: 'third_party_file_type', type: 'varchar', length: 100, nullable: true })
  thirdPartyFileType!: string | null;

  @Field(() => ID, { nullable: true, description: 'The file the licensing team generated to fulfil it' })
  @Column({ name: 'activation_file_id', type: 'varchar', length: 36, nullable: true })
  activationFileId!: string | null;

  @Field(() => Date, { description: 'When the request was submitted' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the request last changed' })
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;

  @Field(() => Date, { description: 'When the request was fulfilled (null while open)', nullable: true })
  @Column({ name: 'closed_at', type: 'bigint', nullable: true, transformer: epochMs })
  closedAt!: Date | null;
}

export const RequestMessageKind = {
  ANSWER: 'ANSWER',
  INFORMATION_REQUEST: 'INFORMATION_REQUEST',
  REPLY: 'REPLY',
  FULFILMENT: 'FULFILMENT',
} as const;
export type RequestMessageKind = (typeof RequestMessageKind)[keyof typeof RequestMessageKind];
registerEnumType(RequestMessageKind, {
  description: "What a message of a request's conversation is",
  name: 'ActivationFileRequestMessageKind',
  valuesConfig: {
    ANSWER: { description: 'The licensing team answers a question' },
    INFORMATION_REQUEST: { description: 'The licensing team asks the requester for more information' },
    REPLY: { description: 'The requester replies to a request for information' },
    FULFILMENT: { description: 'The licensing team delivers the activation file' },
  },
});

@ObjectType({ description: 'A message in the conversation between the requester and the licensing team' })
@Entity({ name: 'afr_message' })
@UniqueColumn('afr_message', 'id', 'id')
export class ActivationFileRequestMessage {
  /** Write order (instants can tie). */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq?: number;

  @Field(() => ID, { description: "The message's identifier" })
  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_afr_message_request')
  @ForeignKey(() => ActivationFileRequest)
  @Column({ name: 'request_id', type: 'varchar', length: 36 })
  requestId!: string;

  @Field(() => RequestMessageKind, { description: 'What the message is in the conversation' })
  @Column({ type: 'varchar', length: 30 })
  kind!: RequestMessageKind;

  @Field({ description: 'Who wrote the message' })
  @Column({ type: 'varchar', length: 200 })
  author!: string;

  @Field({ description: 'The message text' })
  @Column({ type: 'text' })
  body!: string;

  @Field(() => Date, { description: 'When the message was written' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}

@ObjectType({ description: 'A file attached to a request (base64 content)' })
@Entity({ name: 'afr_attachment' })
@UniqueColumn('afr_attachment', 'id', 'id')
export class ActivationFileRequestAttachment {
  /** Write order (instants can tie). */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq?: number;

  @Field(() => ID, { description: "The attachment's identifier" })
  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The request the file is attached to' })
  @Index('ix_afr_attachment_request')
  @ForeignKey(() => ActivationFileRequest)
  @Column({ name: 'request_id', type: 'varchar', length: 36 })
  requestId!: string;

  @Field({ description: "The attached file's name" })
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Field({ description: "The attached file's media type" })
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Field(() => Int, { description: "The attached file's size in bytes" })
  @Column({ name: 'size_bytes', type: 'integer', default: 0 })
  sizeBytes!: number;

  @Field({ description: 'Base64' })
  @LongText()
  @Column({ type: 'text' })
  content!: string;

  @Field({ description: 'Who attached the file' })
  @Column({ name: 'uploaded_by', type: 'varchar', length: 200 })
  uploadedBy!: string;

  @Field(() => Date, { description: 'When the file was attached' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
