import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Server } from '../account/server.types.js';
import { UploadModeEnum } from '../enums.js';
import { BillingPeriod } from '../period/billing-period.types.js';
import { UploadState } from './upload-status.js';
import { type UploadMode } from './usage-file-state.entity.js';

@ObjectType({ description: 'A usage file: one per server per UTC day, and another after each restart' })
export class UsageFile {
  @Field(() => ID, { description: "The usage file's identifier" })
  id!: string;

  @Field({ description: 'The name the server writes the file under' })
  fileName!: string;

  @Field(() => Server, { description: 'The server that writes the file' })
  server!: Server;

  @Field({ description: 'The UTC day, YYYY-MM-DD' })
  day!: string;

  @Field(() => Int, { description: "1 for the day's first file, one more after each restart" })
  sequence!: number;

  @Field(() => Date, { description: 'The first instant the file covers' })
  start!: Date;

  @Field(() => Date, { description: 'Exclusive' })
  end!: Date;

  @Field({ description: 'True once the file can no longer grow (its day ended or the server restarted)' })
  complete!: boolean;

  @Field(() => UploadModeEnum, { description: 'How this file is to be uploaded (from the licence in force)' })
  mode!: 'AUTOMATED' | 'MANUAL';

  @Field({ description: 'True once the file has been uploaded' })
  uploaded!: boolean;

  @Field(() => Date, { description: 'When the file was uploaded (null until then)', nullable: true })
  uploadedAt!: Date | null;

  @Field(() => UploadModeEnum, {
    description: 'How the file reached billing (null until uploaded)',
    nullable: true,
  })
  uploadMode!: UploadMode | null;
}

@ObjectType({ description: 'The outcome of a manual usage-file upload' })
export class UsageFileUpload {
  @Field(() => ID, { description: "The usage file's identifier" })
  id!: string;

  @Field({ description: 'The name the file was written under (from its authenticated header)' })
  fileName!: string;

  @Field(() => Server, { description: 'The server that wrote the file' })
  server!: Server;

  @Field({ description: 'The UTC day the file covers, YYYY-MM-DD' })
  day!: string;

  @Field(() => Int, { description: "1 for the day's first file, one more after each restart" })
  sequence!: number;

  @Field(() => Int, { description: 'Records in the file' })
  records!: number;

  @Field(() => Int, { description: 'Records that were new to billing (0 for a repeated upload)' })
  ingestedRecords!: number;

  @Field({ description: 'True when this exact file had been uploaded before: nothing changed' })
  duplicate!: boolean;

  @Field(() => Date, { description: 'When the file was first uploaded' })
  uploadedAt!: Date;
}

@ObjectType({ description: "Where an account's usage uploads for a billing period stand" })
export class UsageUploadStatus {
  @Field(() => BillingPeriod, { description: 'The billing period' })
  period!: BillingPeriod;

  @Field(() => UploadState, { description: 'Where the uploads stand' })
  state!: UploadState;

  @Field({ description: 'Late or missing uploads after the deadline (the 4th)' })
  flagged!: boolean;

  @Field(() => Int, { description: 'Usage files expected for the period' })
  files!: number;

  @Field(() => Int, { description: 'Files uploaded' })
  uploadedFiles!: number;

  @Field(() => Int, { description: 'Files uploaded after the deadline' })
  lateFiles!: number;

  @Field(() => Int, { description: 'Files not uploaded by the deadline' })
  missingFiles!: number;

  @Field(() => Int, { description: 'Files not yet uploaded, deadline not passed' })
  pendingFiles!: number;
}
