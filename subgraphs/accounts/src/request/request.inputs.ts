import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, textSchema } from '@lic/shared';
import {
  DeploymentType,
  ImplementationType,
  RequestCategory,
  RequestFileType,
  RequestType,
  checkSubmission,
} from './request-rules.js';

@InputType({
  description: 'Step 1 of the Activation File Request Tool; the type-specific fields only for file requests',
})
export class ActivationFileRequestInput {
  @Field({ description: "The requester's first name" })
  firstName!: string;

  @Field({ description: "The requester's last name" })
  lastName!: string;

  @Field({ description: 'End-user account (name)' })
  endUserAccount!: string;

  @Field({ description: 'Sold-to account (name): partner or direct customer invoiced' })
  soldToAccount!: string;

  @Field({ description: 'End-user GARN: must be an account the caller may act for' })
  garn!: string;

  @Field(() => RequestType, { description: 'A question, or a request for an activation file' })
  requestType!: RequestType;

  @Field(() => RequestCategory, { nullable: true, description: 'File requests only (required there)' })
  category?: RequestCategory | null;

  @Field(() => RequestFileType, { nullable: true, description: 'File requests only (required there)' })
  fileType?: RequestFileType | null;

  @Field({ description: "The request's subject line" })
  subject!: string;

  @Field({ description: "What is asked, in the requester's words" })
  description!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'File requests only' })
  urgent?: boolean | null;

  @Field(() => Date, { description: 'When an answer is needed', nullable: true })
  dateNeeded?: Date | null;

  @Field(() => String, { nullable: true, description: 'Required with dateNeeded' })
  dateReason?: string | null;

  @Field({ description: 'A corporate address (free-mail domains are refused)' })
  corporateEmail!: string;

  @Field({ description: 'The same address again' })
  confirmCorporateEmail!: string;

  @Field(() => [String], { description: 'More e-mail addresses to copy on the answers', nullable: true })
  additionalRecipients?: string[] | null;

  @Field({ description: "The requester's work telephone number" })
  workPhone!: string;

  @Field({ description: 'The company the requester works for' })
  employer!: string;

  @Field(() => String, { nullable: true, description: 'Primary MAC ID or host ID (GENESYS: required)' })
  primaryHostId?: string | null;

  @Field(() => String, { nullable: true, description: 'Backup (switchover) MAC ID or host ID' })
  backupHostId?: string | null;

  @Field(() => DeploymentType, { nullable: true, description: 'GENESYS and PAY_PER_USE_HOSTED: required' })
  deploymentType?: DeploymentType | null;

  @Field(() => ImplementationType, { nullable: true, description: 'GENESYS: required' })
  implementationType?: ImplementationType | null;

  @Field(() => String, { nullable: true, description: 'SO# or PO# (PAY_PER_USE_HOSTED: required)' })
  soPoNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'THIRD_PARTY: required (e.g. Nuance, Zoom)' })
  thirdPartyFileType?: string | null;
}

/**
 * The request form's shape. Its rules are checkSubmission's (request-rules.ts): they report every
 * problem of the form at once, in the form's order, with rules across fields and one against the
 * clock (a date needed must not have passed), so the schema runs them on the shaped input and
 * turns each problem into an issue at its field (parse it with parseForm).
 */
const requestFormShape = z.object({
  firstName: z.string(),
  lastName: z.string(),
  endUserAccount: z.string(),
  soldToAccount: z.string(),
  garn: z.string(),
  requestType: z.enum(RequestType),
  category: z.enum(RequestCategory).nullish(),
  fileType: z.enum(RequestFileType).nullish(),
  subject: z.string(),
  description: z.string(),
  urgent: z.boolean().nullish(),
  dateNeeded: z.date().nullish(),
  dateReason: z.string().nullish(),
  corporateEmail: z.string(),
  confirmCorporateEmail: z.string(),
  additionalRecipients: z.array(z.string()).nullish(),
  workPhone: z.string(),
  employer: z.string(),
  primaryHostId: z.string().nullish(),
  backupHostId: z.string().nullish(),
  deploymentType: z.enum(DeploymentType).nullish(),
  implementationType: z.enum(ImplementationType).nullish(),
  soPoNumber: z.string().nullish(),
  thirdPartyFileType: z.string().nullish(),
});
export type ActivationFileRequestSubmission = z.input<typeof requestFormShape>;

/** The request form checked at `now`: parses to the normalised submission. */
export function requestFormSchema(now: Date) {
  return requestFormShape.transform((input, ctx) => {
    const { problems, value } = checkSubmission(input, now);
    for (const problem of problems) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.field.split('.') });
    }
    return value;
  });
}

/** Attachments travel inside a GraphQL request, which the subgraph caps at MAX_REQUEST_BYTES. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A media type whose top-level type is one IANA registers (application/pdf, image/png, ...). */
const CONTENT_TYPE =
  /^(application|audio|font|image|message|model|multipart|text|video)\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i;
/** Control characters are the shared text validation's; a file name also has no path in it. */
const PATH_SEPARATOR = /[/\\]/;

/**
 * Every rule of an attachment that needs no database: a file name without a path, a media type
 * (application/octet-stream when none), standard base64 content (white space dropped) of at most
 * MAX_ATTACHMENT_BYTES. The content parses to itself and its size in bytes.
 */
export const attachmentSchema = z.object({
  requestId: z.string(),
  fileName: textSchema('The file name', 255).refine((name) => !PATH_SEPARATOR.test(name), {
    error: 'The file name must not contain path separators',
  }),
  contentType: z
    .string()
    .nullish()
    .transform((type) => (type ?? '').trim() || 'application/octet-stream')
    .refine((type) => CONTENT_TYPE.test(type), {
      error:
        'The content type must be a media type such as "application/pdf" (application, audio, font, image, message, model, multipart, text or video)',
    }),
  contentBase64: z
    .string()
    .transform((raw) => raw.replace(/\s+/g, ''))
    .refine((content) => content.length > 0 && BASE64.test(content), {
      error: 'The content must be standard base64',
    })
    .transform((content, ctx) => {
      const sizeBytes = Buffer.from(content, 'base64').length;
      if (sizeBytes > MAX_ATTACHMENT_BYTES) {
        ctx.addIssue({
          code: 'custom',
          message: `An attachment is at most ${MAX_ATTACHMENT_BYTES} bytes (this one has ${sizeBytes})`,
        });
        return z.NEVER;
      }
      return { content, sizeBytes };
    }),
});
export type AttachmentUpload = z.input<typeof attachmentSchema>;

@InputType({ description: 'Step 2: an attachment, base64-encoded' })
export class ActivationFileRequestAttachmentInput {
  @Field(() => ID, { description: 'The request to attach the file to' })
  requestId!: string;

  @Field({ description: "The file's name" })
  fileName!: string;

  @Field(() => String, { description: "The file's media type", nullable: true })
  contentType?: string | null;

  @Field({ description: "The file's content, base64-encoded" })
  contentBase64!: string;
}

inputClassMatches<ActivationFileRequestAttachmentInput, typeof attachmentSchema>(true);

inputClassMatches<ActivationFileRequestInput, typeof requestFormShape>(true);
