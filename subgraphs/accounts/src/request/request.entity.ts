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
});
registerEnumType(RequestCategory, {
  name: 'ActivationFileCategory',
  description: 'Genesys, third-party, or pay-per-use/hosted',
});
registerEnumType(RequestFileType, {
  name: 'ActivationFileType',
  description: 'What kind of file is requested',
});
registerEnumType(DeploymentType, { name: 'DeploymentType' });
registerEnumType(ImplementationType, { name: 'ImplementationType' });
registerEnumType(RequestStatus, {
  name: 'ActivationFileRequestStatus',
  description: 'SUBMITTED and INFORMATION_REQUESTED are open; ANSWERED and FULFILLED are closed',
});

/** A request to the licensing team (the Genesys Activation File Request Tool). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An activation file request (AFR) or licensing question to the licensing team' })
@Entity({ name: 'activation_file_request' })
@UniqueColumn('activation_file_request', 'request_number', 'number')
@Index('ix_afr_account', ['accountId', 'createdAt'])
export class ActivationFileRequest {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: 'The AFR number, assigned on submit (AFR-000001)' })
  @Column({ name: 'request_number', type: 'varchar', length: 20 })
  number!: string;

  @Field(() => RequestStatus)
  @Column({ type: 'varchar', length: 30 })
  status!: RequestStatus;

  @Field()
  @Column({ name: 'submitted_by', type: 'varchar', length: 200 })
  submittedBy!: string;

  @Field(() => ID, { description: 'The end-user account the GARN names' })
  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field()
  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Field()
  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  @Field()
  @Column({ name: 'end_user_account', type: 'varchar', length: 200 })
  endUserAccount!: string;

  @Field()
  @Column({ name: 'sold_to_account', type: 'varchar', length: 200 })
  soldToAccount!: string;

  @Field()
  @Column({ type: 'varchar', length: 40 })
  garn!: string;

  @Field(() => RequestType)
  @Column({ name: 'request_type', type: 'varchar', length: 30 })
  requestType!: RequestType;

  @Field(() => RequestCategory, { nullable: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  category!: RequestCategory | null;

  @Field(() => RequestFileType, { nullable: true })
  @Column({ name: 'file_type', type: 'varchar', length: 30, nullable: true })
  fileType!: RequestFileType | null;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Field()
  @Column({ type: 'text' })
  description!: string;

  @Field()
  @Column({ type: 'boolean', default: false })
  urgent!: boolean;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'date_needed', type: 'bigint', nullable: true, transformer: epochMs })
  dateNeeded!: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'date_reason', type: 'varchar', length: 500, nullable: true })
  dateReason!: string | null;

  @Field()
  @Column({ name: 'corporate_email', type: 'varchar', length: 254 })
  corporateEmail!: string;

  @Field(() => [String])
  @Column({ name: 'additional_recipients', type: 'text', transformer: jsonText })
  additionalRecipients!: string[];

  @Field()
  @Column({ name: 'work_phone', type: 'varchar', length: 40 })
  workPhone!: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  employer!: string;

  @Field(() => String, { nullable: true })
  @Column({ name: 'primary_host_id', type: 'varchar', length: 256, nullable: true })
  primaryHostId!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'backup_host_id', type: 'varchar', length: 256, nullable: true })
  backupHostId!: string | null;

  @Field(() => DeploymentType, { nullable: true })
  @Column({ name: 'deployment_type', type: 'varchar', length: 30, nullable: true })
  deploymentType!: DeploymentType | null;

  @Field(() => ImplementationType, { nullable: true })
  @Column({ name: 'implementation_type', type: 'varchar', length: 30, nullable: true })
  implementationType!: ImplementationType | null;

  @Field(() => String, { nullable: true, description: 'SO# or PO#' })
  @Column({ name: 'so_po_number', type: 'varchar', length: 60, nullable: true })
  soPoNumber!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'third_party_file_type', type: 'varchar', length: 100, nullable: true })
  thirdPartyFileType!: string | null;

  @Field(() => ID, { nullable: true, description: 'The file the licensing team generated to fulfil it' })
  @Column({ name: 'activation_file_id', type: 'varchar', length: 36, nullable: true })
  activationFileId!: string | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
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
registerEnumType(RequestMessageKind, { name: 'ActivationFileRequestMessageKind' });

@ObjectType({ description: 'A message in the conversation between the requester and the licensing team' })
@Entity({ name: 'afr_message' })
@UniqueColumn('afr_message', 'id', 'id')
export class ActivationFileRequestMessage {
  /** Write order (instants can tie). */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq?: number;

  @Field(() => ID)
  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Index('ix_afr_message_request')
  @ForeignKey(() => ActivationFileRequest)
  @Column({ name: 'request_id', type: 'varchar', length: 36 })
  requestId!: string;

  @Field(() => RequestMessageKind)
  @Column({ type: 'varchar', length: 30 })
  kind!: RequestMessageKind;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  author!: string;

  @Field()
  @Column({ type: 'text' })
  body!: string;

  @Field(() => Date)
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

  @Field(() => ID)
  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID)
  @Index('ix_afr_attachment_request')
  @ForeignKey(() => ActivationFileRequest)
  @Column({ name: 'request_id', type: 'varchar', length: 36 })
  requestId!: string;

  @Field()
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Field()
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Field(() => Int)
  @Column({ name: 'size_bytes', type: 'integer', default: 0 })
  sizeBytes!: number;

  @Field({ description: 'Base64' })
  @LongText()
  @Column({ type: 'text' })
  content!: string;

  @Field()
  @Column({ name: 'uploaded_by', type: 'varchar', length: 200 })
  uploadedBy!: string;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
