import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, ConnectionType, PageArguments, type PageBounds } from '@lic/shared';
import { Account } from '../account/account.entity.js';
import { ActivationFile } from '../activation-file/activation-file.entity.js';
import { GenerateActivationFileInput } from '../activation-file/activation-file.inputs.js';
import { type Context } from '../context.js';
import {
  ActivationFileRequest,
  ActivationFileRequestAttachment,
  ActivationFileRequestMessage,
} from './request.entity.js';
import { RequestStatus } from './request-rules.js';
import { ActivationFileRequestAttachmentInput, ActivationFileRequestInput } from './request.inputs.js';
import { ActivationFileRequestService } from './request.service.js';

export const ActivationFileRequestConnection = ConnectionType(
  ActivationFileRequest,
  'ActivationFileRequest',
  'activation file request',
);

@Resolver(() => ActivationFileRequest)
export class ActivationFileRequestResolver {
  constructor(
    private readonly service: ActivationFileRequestService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => ActivationFileRequest, {
    description: 'One activation file request, or null when it does not exist or the caller may not see it',
    nullable: true,
  })
  async activationFileRequest(
    @Arg('id', () => ID, { description: 'The request' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest | null> {
    return this.service.visible(ctx.tenant, await ctx.loaders.request.load(id));
  }

  @Query(() => ActivationFileRequestConnection, {
    description: 'A page of requests, newest first; the licensing team sees every request',
  })
  activationFileRequestsConnection(
    @Arg('accountId', () => ID, { description: 'Only requests about this account', nullable: true })
    accountId: string | null,
    @Arg('status', () => RequestStatus, { description: 'Only requests in this status', nullable: true })
    status: RequestStatus | null,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<ActivationFileRequest>> {
    return this.service.page(ctx.tenant, { accountId, status }, page, this.pageBounds);
  }

  @Query(() => [ActivationFileRequest], {
    description: 'Newest first; the licensing team sees every request',
    deprecationReason: 'Use activationFileRequestsConnection; removed after one release',
  })
  activationFileRequests(
    @Arg('accountId', () => ID, { description: 'Only requests about this account', nullable: true })
    accountId: string | null,
    @Arg('status', () => RequestStatus, { description: 'Only requests in this status', nullable: true })
    status: RequestStatus | null,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest[]> {
    return this.service.list(ctx.tenant, { accountId, status });
  }

  @Mutation(() => ActivationFileRequest, {
    description: 'Submit a question or file request: it gets its AFR number',
  })
  submitActivationFileRequest(
    @Arg('input', { description: 'The request form' }) input: ActivationFileRequestInput,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest> {
    return this.service.submit(ctx.tenant, input);
  }

  @Mutation(() => ActivationFileRequestAttachment, {
    description: 'Attaches a file to an open activation file request',
  })
  addActivationFileRequestAttachment(
    @Arg('input', { description: 'The request and the file' }) input: ActivationFileRequestAttachmentInput,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequestAttachment> {
    return this.service.addAttachment(ctx.tenant, input);
  }

  @Mutation(() => ActivationFileRequest, { description: 'Licensing team: answer and close' })
  answerActivationFileRequest(
    @Arg('id', () => ID, { description: 'The request to answer' }) id: string,
    @Arg('answer', { description: 'The answer to the question' }) answer: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest> {
    return this.service.answer(ctx.tenant, id, answer);
  }

  @Mutation(() => ActivationFileRequest, {
    description: 'Licensing team: ask the requester for more information',
  })
  askActivationFileRequestInformation(
    @Arg('id', () => ID, { description: 'The request to ask about' }) id: string,
    @Arg('message', { description: 'What the licensing team needs to know' }) message: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest> {
    return this.service.askForInformation(ctx.tenant, id, message);
  }

  @Mutation(() => ActivationFileRequest, {
    description: 'Requester: give the information asked for (reopens the request)',
  })
  replyToActivationFileRequest(
    @Arg('id', () => ID, { description: 'The request to reply to' }) id: string,
    @Arg('message', { description: "The requester's reply" }) message: string,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest> {
    return this.service.reply(ctx.tenant, id, message);
  }

  @Mutation(() => ActivationFileRequest, {
    description: 'Licensing team: generate the requested file and close the request',
  })
  async fulfillActivationFileRequest(
    @Arg('id', () => ID, { description: 'The request to fulfil' }) id: string,
    @Arg('file', { description: 'The activation file to generate for the request' })
    file: GenerateActivationFileInput,
    @Arg('message', () => String, { description: 'A note to the requester', nullable: true })
    message: string | null,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequest> {
    return (await this.service.fulfill(ctx.tenant, id, file, message)).request;
  }

  @FieldResolver(() => Account, { description: 'The account the request was matched to', nullable: true })
  async account(@Root() request: ActivationFileRequest, @Ctx() ctx: Context): Promise<Account | null> {
    return (await ctx.tenant.canAccess(request.accountId))
      ? ctx.loaders.account.load(request.accountId)
      : null;
  }

  @FieldResolver(() => ActivationFile, { nullable: true, description: 'The file that fulfilled it' })
  async activationFile(
    @Root() request: ActivationFileRequest,
    @Ctx() ctx: Context,
  ): Promise<ActivationFile | null> {
    if (!request.activationFileId) return null;
    const file = await ctx.loaders.file.load(request.activationFileId);
    return file && (await ctx.tenant.canAccess(file.accountId)) ? file : null;
  }

  @FieldResolver(() => [ActivationFileRequestMessage], {
    description: 'Answers, questions and replies, oldest first',
  })
  messages(
    @Root() request: ActivationFileRequest,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequestMessage[]> {
    return ctx.loaders.messagesByRequest.load(request.id);
  }

  @FieldResolver(() => [ActivationFileRequestAttachment], { description: 'Files attached to the request' })
  attachments(
    @Root() request: ActivationFileRequest,
    @Ctx() ctx: Context,
  ): Promise<ActivationFileRequestAttachment[]> {
    return ctx.loaders.attachmentsByRequest.load(request.id);
  }
}
