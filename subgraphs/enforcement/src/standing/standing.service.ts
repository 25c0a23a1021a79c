import { randomUUID } from 'node:crypto';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import {
  type AccountCreatedPayload,
  type ActivationFileDeactivatedPayload,
  type ActivationFileUpdatedPayload,
  type Clock,
  type Principal,
  DomainError,
  ErrorCode,
  badInput,
  notFound,
  requireRole,
  requiredText,
} from '@lic/shared';
import { type StandingFacts } from '../rules/standing.js';
import { EnforcementServer } from '../status/enforcement-server.entity.js';
import { AccountHoldRow, KnownAccount, LicenseFileFacts } from './standing.entity.js';

export const MAX_NOTE_LENGTH = 500;

/** A reason typed by a person: trimmed, 1 to 500 characters, one line of plain text (the shared text rules). */
export function noteOf(value: string, field: string): string {
  return requiredText(value, field, field, { max: MAX_NOTE_LENGTH });
}

/**
 * The facts behind good standing that do not live on the server row: what accounts said of each
 * activation file (current revision, deactivation) and the holds licensing administrators put on
 * accounts. Event consumers here are idempotent: a replay leaves the same state.
 */
export class StandingService {
  constructor(
    private readonly dataSource: DataSource,
    readonly clock: Clock,
  ) {}

  /** accounts.activation-file-updated: the file's current revision (never moves back). */
  async onActivationFileUpdated(
    manager: EntityManager,
    payload: ActivationFileUpdatedPayload,
  ): Promise<void> {
    const found = await manager.findOneBy(LicenseFileFacts, { fileId: payload.fileId });
    if (!found) {
      await manager.insert(LicenseFileFacts, {
        fileId: payload.fileId,
        accountId: payload.accountId,
        currentRevision: payload.revision,
        deactivatedAt: null,
      });
    } else if (found.currentRevision === null || found.currentRevision < payload.revision) {
      await manager.update(
        LicenseFileFacts,
        { fileId: payload.fileId },
        { currentRevision: payload.revision },
      );
    }
  }

  /** accounts.activation-file-deactivated: the file is no longer active (the earliest report stands). */
  async onActivationFileDeactivated(
    manager: EntityManager,
    payload: ActivationFileDeactivatedPayload,
  ): Promise<void> {
    const at = new Date(payload.deactivatedAt);
    const found = await manager.findOneBy(LicenseFileFacts, { fileId: payload.fileId });
    if (!found) {
      await manager.insert(LicenseFileFacts, {
        fileId: payload.fileId,
        accountId: payload.accountId,
        currentRevision: null,
        deactivatedAt: at,
      });
    } else if (found.deactivatedAt === null || at < found.deactivatedAt) {
      await manager.update(LicenseFileFacts, { fileId: payload.fileId }, { deactivatedAt: at });
    }
  }

  /** accounts.account-created: an account a hold may name before any of its servers is known. */
  async onAccountCreated(manager: EntityManager, payload: AccountCreatedPayload): Promise<void> {
    if (await manager.existsBy(KnownAccount, { accountId: payload.accountId })) return;
    await manager.insert(KnownAccount, { accountId: payload.accountId, knownAt: this.clock.now() });
  }

  /** The facts for one server, read in the caller's transaction (the server row claimed). */
  async factsFor(manager: EntityManager, row: EnforcementServer): Promise<StandingFacts> {
    const [file] = row.licenseFileId ? await this.filesOf(manager, [row.licenseFileId]) : [];
    const [hold] = await this.holdsInForce(manager, [row.accountId]);
    return standingFacts(row, file ?? null, hold ?? null);
  }

  async filesOf(manager: EntityManager | undefined, fileIds: readonly string[]): Promise<LicenseFileFacts[]> {
    if (fileIds.length === 0) return [];
    return (manager ?? this.dataSource.manager).findBy(LicenseFileFacts, { fileId: In([...fileIds]) });
  }

  async holdsInForce(
    manager: EntityManager | undefined,
    accountIds: readonly string[],
  ): Promise<AccountHoldRow[]> {
    if (accountIds.length === 0) return [];
    return (manager ?? this.dataSource.manager).findBy(AccountHoldRow, {
      openAccountId: In([...accountIds]),
    });
  }

  /** Every hold of an account, newest first (held and lifted). */
  async holdHistory(accountId: string): Promise<AccountHoldRow[]> {
    return this.dataSource.getRepository(AccountHoldRow).find({
      where: { accountId },
      order: { placedAt: 'DESC', id: 'DESC' },
    });
  }

  /** LICENSING_ADMIN puts an account on hold, with a reason: its servers get no good standing. */
  async placeHold(
    principal: Principal | undefined,
    accountId: string,
    reason: string,
  ): Promise<AccountHoldRow> {
    const p = requireRole(principal, 'LICENSING_ADMIN');
    const note = noteOf(reason, 'reason');
    await this.requireKnownAccount(accountId);
    const row: AccountHoldRow = Object.assign(new AccountHoldRow(), {
      id: randomUUID(),
      accountId,
      openAccountId: accountId,
      reason: note,
      placedBy: p.sub,
      placedAt: this.clock.now(),
      liftedBy: null,
      liftedAt: null,
      liftNote: null,
    });
    try {
      await this.dataSource.getRepository(AccountHoldRow).insert(row);
    } catch (error) {
      // The unique index on open_account_id: another hold is already in force.
      if (await this.dataSource.getRepository(AccountHoldRow).existsBy({ openAccountId: accountId }))
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `Account ${accountId} is already on hold`, {
          field: 'accountId',
        });
      throw error;
    }
    return row;
  }

  /** LICENSING_ADMIN lifts the hold in force, recording who, when and (optionally) why. */
  async liftHold(
    principal: Principal | undefined,
    accountId: string,
    note: string | null,
  ): Promise<AccountHoldRow> {
    const p = requireRole(principal, 'LICENSING_ADMIN');
    const liftNote = note === null ? null : noteOf(note, 'note');
    const repo = this.dataSource.getRepository(AccountHoldRow);
    const now = this.clock.now();
    const held = await repo.findOneBy({ openAccountId: accountId });
    if (!held) throw badInput(`Account ${accountId} is not on hold`, 'accountId');
    // Conditional: of two lifts at once, one records itself.
    const done = await repo.update(
      { id: held.id, openAccountId: accountId, liftedAt: IsNull() },
      { openAccountId: null, liftedBy: p.sub, liftedAt: now, liftNote },
    );
    if (!done.affected) throw badInput(`Account ${accountId} is not on hold`, 'accountId');
    return Object.assign(held, { openAccountId: null, liftedBy: p.sub, liftedAt: now, liftNote });
  }

  private async requireKnownAccount(accountId: string): Promise<void> {
    const m = this.dataSource.manager;
    if (await m.existsBy(KnownAccount, { accountId })) return;
    if (await m.existsBy(EnforcementServer, { accountId })) return;
    throw notFound('Account', accountId);
  }
}

/** The verdict's facts from the server row, its file's record and its account's hold. */
export function standingFacts(
  row: EnforcementServer,
  file: LicenseFileFacts | null,
  hold: AccountHoldRow | null,
): StandingFacts {
  return {
    loaded: row.licenseFileId
      ? {
          fileId: row.licenseFileId,
          revision: row.licenseRevision,
          expiresAt: row.licenseExpiresAt,
          licenseModel: row.licenseModel,
        }
      : null,
    file: file ? { currentRevision: file.currentRevision, deactivatedAt: file.deactivatedAt } : null,
    hold: hold ? { reason: hold.reason } : null,
  };
}
