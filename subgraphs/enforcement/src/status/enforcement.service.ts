import { In, MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import {
  type Clock,
  type LicenseFileLoadedPayload,
  type Logger,
  type ServerCredentialIssuedPayload,
  type ServerRegisteredPayload,
  VIRTUAL_CLOUD_KEY,
} from '@lic/shared';
import { StageChangeRow } from '../history/stage-change.entity.js';
import { EnforcementServer } from './enforcement-server.entity.js';
import { type StageWriter } from './stage-writer.js';

/** A server's record before any licence is loaded: known, never enforced. */
const blankServer = (serverId: string, accountId: string): EnforcementServer =>
  Object.assign(new EnforcementServer(), {
    serverId,
    accountId,
    applicable: false,
    rampDate: null,
    graceDays: 7,
    lastGoodCheckIn: null,
    licensedCallPorts: 0,
    stage: 1,
    stageSince: null,
    nextStageAt: null,
    changeSeq: 0,
    licenseFileId: null,
    licenseLoadedAt: null,
    licenseRevision: null,
    licenseExpiresAt: null,
    licenseModel: null,
    standingWarningAt: null,
    credentialId: null,
    credentialIssuedAt: null,
    version: 0,
  });

/** Servers and their licence terms (from allocation's events), and the reads over them. */
export class EnforcementService {
  constructor(
    private readonly dataSource: DataSource,
    readonly clock: Clock,
    private readonly writer: StageWriter,
    private readonly logger?: Logger,
  ) {}

  async byIds(ids: readonly string[]): Promise<EnforcementServer[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(EnforcementServer).findBy({ serverId: In([...ids]) });
  }

  /** Every recorded stage change of these servers, oldest first. */
  async historyOf(serverIds: readonly string[]): Promise<StageChangeRow[]> {
    if (serverIds.length === 0) return [];
    return this.dataSource
      .getRepository(StageChangeRow)
      .find({ where: { serverId: In([...serverIds]) }, order: { serverId: 'ASC', seq: 'ASC' } });
  }

  /**
   * Stage changes recorded at or after `since` (of one server, of one account, or of all), in the
   * order recorded: what a resumed subscription replays.
   */
  async changesRecordedSince(
    filter: { serverId?: string | null | undefined; accountId?: string | null | undefined },
    since: Date,
  ): Promise<StageChangeRow[]> {
    return this.dataSource.getRepository(StageChangeRow).find({
      where: {
        recordedAt: MoreThanOrEqual(since),
        ...(filter.serverId ? { serverId: filter.serverId } : {}),
        ...(filter.accountId ? { accountId: filter.accountId } : {}),
      },
      order: { recordedAt: 'ASC', serverId: 'ASC', seq: 'ASC' },
      take: 10_000,
    });
  }

  /** Events can arrive in any order across topics: whichever names a server first creates it. */
  async ensureServer(manager: EntityManager, serverId: string, accountId: string): Promise<void> {
    if (await manager.existsBy(EnforcementServer, { serverId })) return;
    await manager.insert(EnforcementServer, blankServer(serverId, accountId));
  }

  /** Applies `allocation.server-registered`: enforcement learns the server and its tenant. */
  async onServerRegistered(
    manager: EntityManager,
    payload: Pick<ServerRegisteredPayload, 'serverId' | 'accountId'>,
  ): Promise<void> {
    await this.ensureServer(manager, payload.serverId, payload.accountId);
  }

  /**
   * Applies `allocation.server-credential-issued`: the credential in force is the latest issued
   * (a replay, or an older issue delivered late, changes nothing). It touches no stage.
   */
  async onServerCredentialIssued(
    manager: EntityManager,
    payload: ServerCredentialIssuedPayload,
  ): Promise<void> {
    await this.ensureServer(manager, payload.serverId, payload.accountId);
    const issuedAt = new Date(payload.issuedAt);
    const row = await manager.findOneByOrFail(EnforcementServer, { serverId: payload.serverId });
    if (row.credentialIssuedAt && issuedAt <= row.credentialIssuedAt) return;
    await manager.update(
      EnforcementServer,
      { serverId: payload.serverId },
      { credentialId: payload.credentialId, credentialIssuedAt: issuedAt },
    );
  }

  /**
   * Applies `allocation.license-file-loaded`: the licence decides whether the server is enforced
   * (I3_FEATURE_VIRTUAL_CLOUD), from when (ramp date), how fast (grace period) and the call ports
   * stage 5 limits. A load older than the one in force (delivered late) changes nothing.
   */
  async onLicenseFileLoaded(manager: EntityManager, payload: LicenseFileLoadedPayload): Promise<void> {
    await this.ensureServer(manager, payload.serverId, payload.accountId);
    const loadedAt = new Date(payload.loadedAt);
    const virtualCloud = (payload.keys[VIRTUAL_CLOUD_KEY] ?? 0) > 0;
    const terms =
      payload.rampDate !== null && payload.graceDays !== null
        ? { rampDate: new Date(payload.rampDate), graceDays: payload.graceDays }
        : null;
    if (virtualCloud && !terms) {
      this.logger?.error(
        { serverId: payload.serverId, fileId: payload.fileId },
        'virtual-cloud licence without ramp date or grace period: not enforced',
      );
    }
    await this.writer.write(manager, payload.serverId, {
      cause: 'LICENSE_LOADED',
      mutate: (row) => {
        if (row.licenseLoadedAt && loadedAt < row.licenseLoadedAt) return;
        row.applicable = virtualCloud && terms !== null;
        row.rampDate = terms?.rampDate ?? null;
        row.graceDays = terms?.graceDays ?? row.graceDays;
        row.licensedCallPorts = payload.callPorts;
        row.licenseFileId = payload.fileId;
        row.licenseLoadedAt = loadedAt;
        row.licenseRevision = payload.revision ?? null;
        row.licenseExpiresAt = payload.expiresAt ? new Date(payload.expiresAt) : null;
        row.licenseModel = payload.licenseModel;
      },
    });
  }
}
