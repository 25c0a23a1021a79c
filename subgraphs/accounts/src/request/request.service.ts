import { randomUUID } from 'node:crypto';
import { In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  type Clock,
  type Connection,
  DomainError,
  ErrorCode,
  type PageArgs,
  type PageBounds,
  type SqlOrder,
  badInput,
  forbidden,
  notFound,
  pageFromQuery,
  parseForm,
  parseInput,
  type Database,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { Account } from '../account/account.entity.js';
import { type ActivationFile } from '../activation-file/activation-file.entity.js';
import { type ActivationFileService } from '../activation-file/activation-file.service.js';
import { type FileSpecification } from '../activation-file/planner.js';
import { formatNumber, nextNumber } from '../sequence.js';
import {
  ActivationFileRequest,
  ActivationFileRequestAttachment,
  ActivationFileRequestMessage,
  RequestMessageKind,
} from './request.entity.js';
import { OPEN_STATUSES, RequestStatus, RequestType } from './request-rules.js';
import {
  type ActivationFileRequestSubmission,
  type AttachmentUpload,
  attachmentSchema,
  requestFormSchema,
} from './request.inputs.js';

export interface RequestFilter {
  accountId?: string | null | undefined;
  status?: RequestStatus | null | undefined;
}

export { MAX_ATTACHMENT_BYTES } from './request.inputs.js';

/** Requests newest first; cursors of `activationFileRequestsConnection`. */
export const REQUEST_ORDER: SqlOrder<ActivationFileRequest> = {
  list: 'activationFileRequests',
  direction: 'DESC',
  key: (r) => r.createdAt.getTime(),
  id: (r) => r.id,
  keyColumn: 'r.created_at',
  idColumn: 'r.id',
};

export class ActivationFileRequestService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly files: ActivationFileService,
  ) {}

  async byIds(ids: readonly string[]): Promise<ActivationFileRequest[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource.getRepository(ActivationFileRequest).findBy({ id: In([...ids]) });
  }

  async messagesByRequestIds(ids: readonly string[]): Promise<ActivationFileRequestMessage[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource
      .getRepository(ActivationFileRequestMessage)
      .find({ where: { requestId: In([...ids]) }, order: { seq: 'ASC' } });
  }

  async attachmentsByRequestIds(ids: readonly string[]): Promise<ActivationFileRequestAttachment[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource
      .getRepository(ActivationFileRequestAttachment)
      .find({ where: { requestId: In([...ids]) }, order: { seq: 'ASC' } });
  }

  /** The licensing team, whoever submitted it, and whoever may see its account. */
  async canSee(scope: TenantScope, request: ActivationFileRequest): Promise<boolean> {
    return (
      scope.isAdmin || request.submittedBy === scope.caller.sub || (await scope.canAccess(request.accountId))
    );
  }

  async visible(
    scope: TenantScope,
    request: ActivationFileRequest | null,
  ): Promise<ActivationFileRequest | null> {
    if (!request) return null;
    if (!(await this.canSee(scope, request))) throw forbidden('This request belongs to another tenant');
    return request;
  }

  async require(scope: TenantScope, id: string): Promise<ActivationFileRequest> {
    const request = await this.database.dataSource.getRepository(ActivationFileRequest).findOneBy({ id });
    if (!request) throw notFound('Activation file request', id);
    if (!(await this.canSee(scope, request))) throw forbidden('This request belongs to another tenant');
    return request;
  }

  async list(scope: TenantScope, filter: RequestFilter = {}): Promise<ActivationFileRequest[]> {
    const qb = await this.filtered(scope, filter);
    return qb.orderBy('r.created_at', 'DESC').addOrderBy('r.request_number', 'DESC').getMany();
  }

  /** One page of `list` (newest first), keyset on (created_at, id). */
  async page(
    scope: TenantScope,
    filter: RequestFilter,
    args: PageArgs,
    bounds?: PageBounds,
  ): Promise<Connection<ActivationFileRequest>> {
    return pageFromQuery(await this.filtered(scope, filter), args, REQUEST_ORDER, bounds);
  }

  private async filtered(
    scope: TenantScope,
    filter: RequestFilter,
  ): Promise<SelectQueryBuilder<ActivationFileRequest>> {
    const p = scope.caller;
    const qb = this.database.dataSource.getRepository(ActivationFileRequest).createQueryBuilder('r');
    if (filter.accountId) {
      await scope.assertAccess(filter.accountId);
      qb.where('r.account_id = :accountId', { accountId: filter.accountId });
    } else {
      const visible = await scope.visibleAccountIds();
      if (visible !== 'all') {
        qb.where(
          visible.length > 0
            ? '(r.account_id IN (:...visible) OR r.submitted_by = :sub)'
            : 'r.submitted_by = :sub',
          {
            visible,
            sub: p.sub,
          },
        );
      }
    }
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    return qb;
  }

  /** Step 1 of the tool: every field checked (each problem names its field), then an AFR number. */
  async submit(scope: TenantScope, input: ActivationFileRequestSubmission): Promise<ActivationFileRequest> {
    const principal = scope.requireRole('LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR');
    const now = this.clock.now();
    const value = parseForm(requestFormSchema(now), input);
    const account = await this.database.dataSource.getRepository(Account).findOneBy({ garn: value.garn });
    if (!account || !(await scope.canAccess(account.id))) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `No account you may act for has the GARN ${value.garn}`,
        {
          field: 'garn',
          problems: [{ field: 'garn', message: `No account you may act for has the GARN ${value.garn}` }],
        },
      );
    }
    return this.database.transaction(async (manager) => {
      const number = formatNumber('AFR', await nextNumber(manager, 'activation_file_request'));
      const request: ActivationFileRequest = {
        id: randomUUID(),
        number,
        status: RequestStatus.SUBMITTED,
        submittedBy: principal.sub,
        accountId: account.id,
        ...value,
        activationFileId: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      await manager.insert(ActivationFileRequest, request);
      return request;
    });
  }

  /** Step 2: attachments, while the request is open. */
  async addAttachment(
    scope: TenantScope,
    upload: AttachmentUpload,
  ): Promise<ActivationFileRequestAttachment> {
    const request = await this.require(scope, upload.requestId);
    this.assertOpen(request);
    const {
      fileName,
      contentType,
      contentBase64: { content, sizeBytes },
    } = parseInput(attachmentSchema, upload);
    const now = this.clock.now();
    const attachment: ActivationFileRequestAttachment = {
      id: randomUUID(),
      requestId: request.id,
      fileName,
      contentType,
      sizeBytes,
      content,
      uploadedBy: scope.caller.sub,
      createdAt: now,
    };
    await this.database.transaction(async (manager) => {
      await manager.insert(ActivationFileRequestAttachment, attachment);
      await manager.update(ActivationFileRequest, { id: request.id }, { updatedAt: now });
    });
    return attachment;
  }

  /** The licensing team answers (a question, or a request it will not fulfil): the request closes. */
  async answer(scope: TenantScope, id: string, answer: string): Promise<ActivationFileRequest> {
    scope.requireRole('LICENSING_ADMIN');
    const request = await this.require(scope, id);
    this.assertOpen(request);
    const body = this.messageText(answer, 'answer');
    return this.transition(
      request,
      OPEN_STATUSES,
      RequestStatus.ANSWERED,
      RequestMessageKind.ANSWER,
      scope.caller.sub,
      body,
    );
  }

  /** The licensing team needs more details: the requester replies and the request is open again. */
  async askForInformation(scope: TenantScope, id: string, message: string): Promise<ActivationFileRequest> {
    scope.requireRole('LICENSING_ADMIN');
    const request = await this.require(scope, id);
    if (request.status !== RequestStatus.SUBMITTED) {
      throw badInput(
        `${request.number} is ${request.status}: information can be asked only of a submitted request`,
        'id',
      );
    }
    const body = this.messageText(message, 'message');
    return this.transition(
      request,
      [RequestStatus.SUBMITTED],
      RequestStatus.INFORMATION_REQUESTED,
      RequestMessageKind.INFORMATION_REQUEST,
      scope.caller.sub,
      body,
    );
  }

  async reply(scope: TenantScope, id: string, message: string): Promise<ActivationFileRequest> {
    const request = await this.require(scope, id);
    if (request.status !== RequestStatus.INFORMATION_REQUESTED) {
      throw badInput(`${request.number} is ${request.status}: nobody asked for information`, 'id');
    }
    const body = this.messageText(message, 'message');
    return this.transition(
      request,
      [RequestStatus.INFORMATION_REQUESTED],
      RequestStatus.SUBMITTED,
      RequestMessageKind.REPLY,
      scope.caller.sub,
      body,
    );
  }

  /** The licensing team generates the file (subscription, mixed estate, bundles) and closes the request. */
  async fulfill(
    scope: TenantScope,
    id: string,
    file: FileSpecification,
    message?: string | null,
  ): Promise<{ request: ActivationFileRequest; file: ActivationFile }> {
    scope.requireRole('LICENSING_ADMIN');
    const request = await this.require(scope, id);
    if (request.requestType !== RequestType.ACTIVATION_FILE_REQUEST) {
      throw badInput(`${request.number} is a question: answer it instead`, 'id');
    }
    this.assertOpen(request);
    const body = message?.trim()
      ? this.messageText(message, 'message')
      : `Activation file generated for ${request.number}`;
    const author = scope.caller.sub;
    const generated = await this.files.generate(scope, file, {
      requestId: request.id,
      accountId: request.accountId,
      within: async (manager, created) => {
        await this.move(manager, request, OPEN_STATUSES, RequestStatus.FULFILLED, {
          activationFileId: created.id,
        });
        await this.addMessage(manager, request.id, RequestMessageKind.FULFILMENT, author, body);
      },
    });
    const updated = await this.database.dataSource
      .getRepository(ActivationFileRequest)
      .findOneByOrFail({ id });
    return { request: updated, file: generated };
  }

  private assertOpen(request: ActivationFileRequest): void {
    if (!OPEN_STATUSES.includes(request.status))
      throw badInput(`${request.number} is closed (${request.status})`, 'id');
  }

  private messageText(text: string, field: string): string {
    const body = text.trim();
    if (body === '') throw badInput('The message must not be empty', field);
    if (body.length > 10_000) throw badInput('The message must be at most 10000 characters', field);
    return body;
  }

  private async transition(
    request: ActivationFileRequest,
    from: readonly RequestStatus[],
    to: RequestStatus,
    kind: RequestMessageKind,
    author: string,
    body: string,
  ): Promise<ActivationFileRequest> {
    await this.database.transaction(async (manager) => {
      await this.move(manager, request, from, to, {});
      await this.addMessage(manager, request.id, kind, author, body);
    });
    return this.database.dataSource.getRepository(ActivationFileRequest).findOneByOrFail({ id: request.id });
  }

  /** A conditional status change: two people acting on one request at once cannot both succeed. */
  private async move(
    manager: EntityManager,
    request: ActivationFileRequest,
    from: readonly RequestStatus[],
    to: RequestStatus,
    extra: Partial<ActivationFileRequest>,
  ): Promise<void> {
    const now = this.clock.now();
    const closing = !OPEN_STATUSES.includes(to);
    const result = await manager
      .createQueryBuilder()
      .update(ActivationFileRequest)
      .set({ ...extra, status: to, updatedAt: now, ...(closing ? { closedAt: now } : {}) })
      .where('id = :id AND status IN (:...from)', { id: request.id, from: [...from] })
      .execute();
    if (result.affected !== 1) throw badInput(`${request.number} changed meanwhile: reload it`, 'id');
  }

  private async addMessage(
    manager: EntityManager,
    requestId: string,
    kind: RequestMessageKind,
    author: string,
    body: string,
  ) {
    await manager.insert(ActivationFileRequestMessage, {
      id: randomUUID(),
      requestId,
      kind,
      author,
      body,
      createdAt: this.clock.now(),
    });
  }
}
