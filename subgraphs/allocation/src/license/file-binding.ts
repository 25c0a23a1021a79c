import { type EntityManager } from 'typeorm';
import { DomainError, ErrorCode, type LicenseFileContent, revisionOf, execute, select } from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Server, ServerEnvironment } from '../server/server.entity.js';

/** CIC machine names are Windows host names: compared without regard to case. */
export const sameMachine = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether the file names the machine, as its primary or its switchover machine. */
export function namesMachine(file: LicenseFileContent, name: string): boolean {
  return (
    sameMachine(file.machine.machineName, name) ||
    (file.switchover !== undefined && sameMachine(file.switchover.machineName, name))
  );
}

export function isDevelopmentLicenseType(type: string): boolean {
  return type.startsWith('DEVELOPMENT_');
}

/**
 * Development files may not be used on a production server: the reason a load is refused, or
 * undefined when the file may load on a server of this environment.
 */
export function environmentProblem(licenseType: string, environment: ServerEnvironment): string | undefined {
  if (isDevelopmentLicenseType(licenseType) && environment === ServerEnvironment.PRODUCTION) {
    return `a development file (${licenseType}) may not be used on a production server: register the server as DEVELOPMENT or TEST`;
  }
  return undefined;
}

/**
 * One file, one server (or one switchover pair), and only its current revision. The file's row in
 * license_file_revision is locked first by every load of the file and by every update of it, so
 * two loads of one file on two servers, or a load racing an update, run one after the other.
 */
export class FileBindings {
  constructor(private readonly db: Db) {}

  /**
   * Locks the file's row (creating it), then refuses a revision older than the current one known
   * (LICENSE_FILE_SUPERSEDED, even if it loaded before) and records a newer one as current.
   */
  async claimRevision(m: EntityManager, file: LicenseFileContent, at: Date): Promise<void> {
    const revision = revisionOf(file);
    const current = await this.lock(m, file.fileId, file.accountId, revision, at);
    if (revision < current) {
      throw new DomainError(
        ErrorCode.LICENSE_FILE_SUPERSEDED,
        `Activation file ${file.fileId} revision ${revision} was superseded by revision ${current}: load the current revision`,
        { fileId: file.fileId, revision, currentRevision: current },
      );
    }
    if (revision > current) await this.raise(m, file.fileId, revision, at);
  }

  /** Records a revision announced by the accounts subgraph; returns the current one afterwards. */
  async recordRevision(
    m: EntityManager,
    fileId: string,
    accountId: string,
    revision: number,
    at: Date,
  ): Promise<number> {
    const current = await this.lock(m, fileId, accountId, revision, at);
    if (revision <= current) return current;
    await this.raise(m, fileId, revision, at);
    return revision;
  }

  /** Refuses the load while the file is live (loaded, not withdrawn) on a server outside `unit`. */
  async assertNotLiveElsewhere(
    m: EntityManager,
    fileId: string,
    server: Pick<Server, 'id' | 'name' | 'switchoverPartnerId'>,
  ): Promise<void> {
    const unit = [server.id, server.switchoverPartnerId].filter((id): id is string => id !== null);
    const live = await select<{ id: string; name: string }>(
      m,
      `SELECT id, name FROM server WHERE license_file_id = ? AND license_withdrawn_at IS NULL
         AND license_keys IS NOT NULL AND id NOT IN (${unit.map(() => '?').join(', ')}) ORDER BY id`,
      [fileId, ...unit],
    );
    const other = live[0];
    if (other) {
      throw new DomainError(
        ErrorCode.LICENSE_FILE_IN_USE,
        `Activation file ${fileId} is in use on server ${other.name}: a file is live on one server (or one switchover pair) only`,
        { fileId, serverId: other.id },
      );
    }
  }

  private async lock(
    m: EntityManager,
    fileId: string,
    accountId: string,
    revision: number,
    at: Date,
  ): Promise<number> {
    await execute(
      m,
      `${this.db.insertIgnore} license_file_revision (file_id, account_id, revision, updated_at) VALUES (?, ?, ?, ?)`,
      [fileId, accountId, revision, at.getTime()],
    );
    const rows = await select<{ revision: unknown }>(
      m,
      `SELECT revision FROM license_file_revision WHERE file_id = ?${this.db.forUpdate}`,
      [fileId],
    );
    return Number(rows[0]?.revision ?? revision);
  }

  private async raise(m: EntityManager, fileId: string, revision: number, at: Date): Promise<void> {
    await execute(
      m,
      'UPDATE license_file_revision SET revision = ?, updated_at = ? WHERE file_id = ? AND revision < ?',
      [revision, at.getTime(), fileId, revision],
    );
  }
}
