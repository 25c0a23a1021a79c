import { randomBytes } from 'node:crypto';
import { describeEachDatabase } from '@lic/testing';
import {
  type BillingHarness,
  EventFactory,
  LICENSES,
  LOCAL_LICENSE,
  SESSIONS_QUERY,
  type ServerRef,
  type SessionsResult,
  UPLOAD_LICENSE,
  billingHarness,
  newServer,
} from '../../test/harness.js';
import { decryptUsageFile, encryptUsageFile } from './usage-file-crypto.js';
import { decodeRecords } from './usage-records.js';
import { resolveUsageFileKey } from './usage-file-key.js';

const FILES = `query($s: ID!, $from: DateTime, $to: DateTime) {
  usageFiles(serverId: $s, from: $from, to: $to) {
    id fileName day sequence start end complete mode uploaded uploadedAt uploadMode records content server { id }
  }
}`;
const UPLOAD = `mutation($s: ID!, $n: String!, $c: String!) {
  uploadUsageFile(serverId: $s, fileName: $n, content: $c) {
    fileName day sequence records ingestedRecords duplicate uploadedAt server { id }
  }
}`;
const STATUS = `query($r: [_Any!]!, $p: DateTime) {
  _entities(representations: $r) {
    ... on Account { usageUploadStatus(periodStart: $p) { state flagged files uploadedFiles lateFiles missingFiles pendingFiles period { start uploadDeadline } } }
  }
}`;
const MAY_RANGE = { from: '2020-05-01T00:00:00.000Z', to: '2020-05-28T00:00:00.000Z' };

interface FileView {
  id: string;
  fileName: string;
  day: string;
  sequence: number;
  start: string;
  end: string;
  complete: boolean;
  mode: string;
  uploaded: boolean;
  uploadedAt: string | null;
  uploadMode: string | null;
  records: number;
  content: string;
}

describeEachDatabase('usage files', (database) => {
  let h: BillingHarness;
  beforeAll(async () => {
    h = await billingHarness({ database });
    h.clock.set('2020-05-06T00:00:00.000Z');
  });
  afterAll(async () => {
    await h.close();
  });

  const filesOf = async (serverId: string, harness = h) =>
    (await harness.data<{ usageFiles: FileView[] }>(FILES, { s: serverId, ...MAY_RANGE })).usageFiles;
  const sessionsOf = async (serverId: string, harness = h) =>
    (await harness.data<SessionsResult>(SESSIONS_QUERY, { serverId, ...MAY_RANGE })).usageSessions;

  async function serverWithUsage(
    license: Record<string, number> = UPLOAD_LICENSE,
  ): Promise<{ server: ServerRef; f: EventFactory }> {
    const server = newServer();
    const f = new EventFactory();
    await h.publish([
      f.serverRegistered(server, 'CIC Primary'),
      f.licenseLoaded(server, license, '2020-05-01T00:00:00.000Z'),
      ...f.session(server, 'sam', '2020-05-04T08:00:00Z', '2020-05-04T17:00:00Z', LICENSES.sam),
      ...f.session(server, 'tina', '2020-05-05T09:00:00Z', '2020-05-05T11:00:00Z', LICENSES.tina),
      f.serverStarted(server, '2020-05-05T12:00:00Z'),
      ...f.session(server, 'jane', '2020-05-05T13:00:00Z', '2020-05-05T14:00:00Z', LICENSES.jane),
    ]);
    return { server, f };
  }

  it('keeps one file per server per day and starts another when the server restarts', async () => {
    const { server } = await serverWithUsage();
    const files = await filesOf(server.serverId);
    expect(
      files.map((f) => [f.fileName, f.day, f.sequence, f.start, f.end, f.records, f.complete, f.mode]),
    ).toEqual([
      [
        'CIC-Primary_20200504_001.usg',
        '2020-05-04',
        1,
        '2020-05-04T00:00:00.000Z',
        '2020-05-05T00:00:00.000Z',
        2,
        true,
        'AUTOMATED',
      ],
      [
        'CIC-Primary_20200505_001.usg',
        '2020-05-05',
        1,
        '2020-05-05T00:00:00.000Z',
        '2020-05-05T12:00:00.000Z',
        2,
        true,
        'AUTOMATED',
      ],
      [
        'CIC-Primary_20200505_002.usg',
        '2020-05-05',
        2,
        '2020-05-05T12:00:00.000Z',
        '2020-05-06T00:00:00.000Z',
        2,
        true,
        'AUTOMATED',
      ],
    ]);
  });

  it('seals each file so that it opens only with the key and holds the logons and logoffs of its span', async () => {
    const { server } = await serverWithUsage();
    const [first] = await filesOf(server.serverId);
    const { meta, plaintext } = decryptUsageFile(
      first!.content,
      resolveUsageFileKey(h.env.config),
      server.serverId,
    );
    expect(meta).toEqual({
      serverId: server.serverId,
      fileName: first!.fileName,
      day: '2020-05-04',
      sequence: 1,
    });
    expect(
      decodeRecords(plaintext).map((r) => [r.type, r.userId, r.occurredAt.toISOString(), r.licenses]),
    ).toEqual([
      ['logon', 'sam', '2020-05-04T08:00:00.000Z', LICENSES.sam],
      ['logoff', 'sam', '2020-05-04T17:00:00.000Z', LICENSES.sam],
    ]);
    expect(() => decryptUsageFile(first!.content, randomBytes(32).toString('hex'))).toThrow(/different key/);
  });

  describe('manual upload', () => {
    let other: BillingHarness;
    let server: ServerRef;
    let files: FileView[];
    beforeAll(async () => {
      ({ server } = await serverWithUsage(LOCAL_LICENSE));
      files = await filesOf(server.serverId);
      // Another installation sharing the key knows the server and its licence but none of its usage.
      // envVars keeps the harness's long event retention: with the clock moved back, a startup
      // prune at the initial clock would otherwise delete the inbox rows `publish` counts.
      other = await billingHarness({
        database,
        envVars: { USAGE_FILE_KEY: resolveUsageFileKey(h.env.config) },
      });
      other.clock.set('2020-05-06T00:00:00.000Z');
      const f = new EventFactory();
      await other.publish([
        f.serverRegistered(server, 'CIC Primary'),
        f.licenseLoaded(server, LOCAL_LICENSE, '2020-05-01T00:00:00.000Z'),
      ]);
    });
    afterAll(async () => {
      await other.close();
    });
    const upload = (
      harness: BillingHarness,
      file: FileView,
      content = file.content,
      token?: string,
      serverId = server.serverId,
    ) =>
      harness.query<{ uploadUsageFile: Record<string, unknown> }>(
        UPLOAD,
        { s: serverId, n: file.fileName, c: content },
        token,
      );

    it('refuses a tampered file, a file sealed with another key and a file of another server, ingesting nothing', async () => {
      const file = files[1]!;
      const lines = file.content.split('\n');
      const body = lines.findIndex((l, i) => i > 7 && l.length > 20);
      const flipped = lines[body]!.startsWith('A')
        ? `B${lines[body]!.slice(1)}`
        : `A${lines[body]!.slice(1)}`;
      const tampered = [...lines.slice(0, body), flipped, ...lines.slice(body + 1)].join('\n');
      const foreign = encryptUsageFile('', randomBytes(32).toString('hex'), {
        serverId: server.serverId,
        day: file.day,
        sequence: 1,
      });
      const otherServer = newServer();
      await other.publish([new EventFactory().serverRegistered(otherServer, 'Elsewhere')]);
      for (const [content, serverId, reason] of [
        [tampered, server.serverId, 'CORRUPTED'],
        [foreign, server.serverId, 'FOREIGN_KEY'],
        [file.content.slice(0, file.content.length / 2), server.serverId, 'TRUNCATED'],
        ['hello', server.serverId, 'NOT_A_USAGE_FILE'],
        [file.content, otherServer.serverId, 'WRONG_SERVER'],
      ] as const) {
        const result = await upload(other, file, content, undefined, serverId);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      }
      expect(await sessionsOf(server.serverId, other)).toEqual([]);
      expect((await filesOf(server.serverId, other)).length).toBe(0);
    });

    it('ingests a file once: the usage appears, the file is marked uploaded, a repeat changes nothing', async () => {
      const file = files[0]!;
      const first = await upload(other, file);
      expect(first.errors).toBeUndefined();
      expect(first.data?.uploadUsageFile).toMatchObject({
        fileName: file.fileName,
        day: '2020-05-04',
        sequence: 1,
        records: 2,
        ingestedRecords: 2,
        duplicate: false,
        server: { id: server.serverId },
      });
      expect(await sessionsOf(server.serverId, other)).toEqual(
        (await sessionsOf(server.serverId)).filter((s) => s.start.startsWith('2020-05-04')),
      );
      const [uploaded] = await filesOf(server.serverId, other);
      expect(uploaded).toMatchObject({
        fileName: file.fileName,
        uploaded: true,
        uploadMode: 'MANUAL',
        records: 2,
      });

      other.clock.set('2020-05-07T00:00:00.000Z');
      const again = await upload(other, file);
      expect(again.data?.uploadUsageFile).toMatchObject({
        ingestedRecords: 0,
        duplicate: true,
        uploadedAt: first.data?.uploadUsageFile['uploadedAt'],
      });
      // Downloaded a second time the file is sealed anew, but it is still the same file.
      const redownloaded = (await filesOf(server.serverId))[0]!;
      expect(redownloaded.content).not.toBe(file.content);
      expect((await upload(other, redownloaded)).data?.uploadUsageFile).toMatchObject({
        duplicate: true,
        ingestedRecords: 0,
      });
      expect(await sessionsOf(server.serverId, other)).toHaveLength(1);
    });

    it('lets the server itself and its customer upload, not a supervisor or another server', async () => {
      const file = files[2]!;
      const supervisor = await other.token(['SUPERVISOR'], { accountId: server.accountId });
      const stranger = await other.token(['SERVER'], { serverId: 'another' });
      expect((await upload(other, file, file.content, supervisor)).errors?.[0]?.extensions?.['code']).toBe(
        'FORBIDDEN',
      );
      expect((await upload(other, file, file.content, stranger)).errors?.[0]?.extensions?.['code']).toBe(
        'FORBIDDEN',
      );
      const machine = await other.token(['SERVER'], { serverId: server.serverId });
      expect((await upload(other, file, file.content, machine)).data?.uploadUsageFile).toMatchObject({
        ingestedRecords: 2,
      });
      const customer = await other.token(['CUSTOMER_ADMIN'], { accountId: server.accountId });
      expect(
        (await upload(other, files[1]!, files[1]!.content, customer)).data?.uploadUsageFile,
      ).toMatchObject({
        ingestedRecords: 2,
      });
      expect((await sessionsOf(server.serverId, other)).map((s) => s.user.id)).toEqual([
        'sam',
        'tina',
        'jane',
      ]);
    });
  });

  describe('upload deadline', () => {
    const status = async (accountId: string, periodStart?: string) =>
      (
        await h.data<{ _entities: Array<{ usageUploadStatus: Record<string, unknown> }> }>(STATUS, {
          r: [{ __typename: 'Account', id: accountId }],
          p: periodStart,
        })
      )._entities[0]!.usageUploadStatus;

    it('marks automated files uploaded daily, and flags missing manual uploads after the 4th', async () => {
      h.clock.set('2020-05-06T00:00:00.000Z');
      const automated = await serverWithUsage(UPLOAD_LICENSE);
      const manual = await serverWithUsage(LOCAL_LICENSE);

      h.clock.set('2020-05-06T00:30:00.000Z');
      expect(await h.billing.scheduler.runOnce()).toBeGreaterThanOrEqual(3);
      const marked = await filesOf(automated.server.serverId);
      expect(marked.map((f) => [f.uploaded, f.uploadMode, f.uploadedAt])).toEqual(
        Array(3).fill([true, 'AUTOMATED', '2020-05-06T00:30:00.000Z']),
      );
      expect((await filesOf(manual.server.serverId)).every((f) => !f.uploaded)).toBe(true);

      // June 1st: the April 28 – May 27 period has ended; uploads are due by June 4.
      h.clock.set('2020-06-01T00:00:00.000Z');
      expect(await status(automated.server.accountId)).toMatchObject({
        state: 'ON_TIME',
        flagged: false,
        files: 3,
        uploadedFiles: 3,
        period: { start: '2020-04-28T00:00:00.000Z', uploadDeadline: '2020-06-04T00:00:00.000Z' },
      });
      expect(await status(manual.server.accountId)).toMatchObject({
        state: 'PENDING',
        flagged: false,
        pendingFiles: 3,
      });
      h.clock.set('2020-06-04T23:59:59.000Z');
      expect(await status(manual.server.accountId)).toMatchObject({ state: 'PENDING', flagged: false });
      h.clock.set('2020-06-05T00:00:00.000Z');
      expect(await status(manual.server.accountId)).toMatchObject({
        state: 'MISSING',
        flagged: true,
        missingFiles: 3,
      });

      // Uploaded late: flagged LATE rather than MISSING.
      h.clock.set('2020-06-06T10:00:00.000Z');
      for (const file of await filesOf(manual.server.serverId)) {
        const result = await h.query(UPLOAD, {
          s: manual.server.serverId,
          n: file.fileName,
          c: file.content,
        });
        expect(result.errors).toBeUndefined();
      }
      expect(await status(manual.server.accountId, '2020-04-28T00:00:00.000Z')).toMatchObject({
        state: 'LATE',
        flagged: true,
        lateFiles: 3,
        uploadedFiles: 3,
      });
      // The next period has no usage yet.
      expect(await status(manual.server.accountId, '2020-05-28T00:00:00.000Z')).toMatchObject({
        state: 'NO_USAGE',
        flagged: false,
      });
    });
  });
});
