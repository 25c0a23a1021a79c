import { createHash } from 'node:crypto';
import { Topics, generateSigningKeyPair } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const TRACKER = 'I3_ACCESS_TRACKER';
const LOAD = `mutation($id: ID!, $content: String!) {
  loadLicenseFile(serverId: $id, content: $content) { id license { fileId licenseModel keys { key quantity } } }
}`;
const CAP = `mutation($account: ID!, $key: String!, $cap: Int) { setAccountLicenseCap(accountId: $account, key: $key, cap: $cap) { key cap } }`;

describeEachDatabase('licence files and pools', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it('loads a signed file: one pool per key with its total, at once, and a license-file-loaded event', async () => {
    const server = await h.registerServer('CIC-Primary');
    const content = h.licenseFile(server, {
      [`${CLIENT}_CONCURRENT`]: 25,
      [CLIENT]: 5,
      I3_LICENSE_BASIC_STATION: 30,
      I3_FEATURE_SU_ALLOWED: 1,
    });
    const data = await h.gql<{ loadLicenseFile: { license: { licenseModel: string; keys: unknown[] } } }>(
      LOAD,
      { id: server.id, content },
    );
    expect(data.loadLicenseFile.license.licenseModel).toBe('PERPETUAL');
    expect(data.loadLicenseFile.license.keys).toContainEqual({ key: 'I3_FEATURE_SU_ALLOWED', quantity: 1 });

    const client = await h.statistic(server, CLIENT);
    expect(client).toMatchObject({
      assignableAllowed: 5,
      concurrentAllowed: 25,
      available: 30,
      capped: true,
      note: null,
    });
    expect((await h.statistic(server, 'I3_LICENSE_BASIC_STATION')).assignableAllowed).toBe(30);
    // Features license the server, they are not pools.
    expect((await h.statistics(server)).map((s) => s.key)).not.toContain('I3_FEATURE_SU_ALLOWED');

    const events = (await h.events(Topics.LicenseFileLoaded)).filter(
      (e) => e.payload['serverId'] === server.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      accountId: server.accountId,
      licenseModel: 'PERPETUAL',
      keys: {
        [CLIENT]: 5,
        [`${CLIENT}_CONCURRENT`]: 25,
        I3_LICENSE_BASIC_STATION: 30,
        I3_FEATURE_SU_ALLOWED: 1,
      },
      rampDate: null,
      callPorts: 0,
      // Enforcement judges good standing on the revision and expiry the server runs.
      revision: 1,
      expiresAt: expect.any(String),
    });
  });

  it('refuses a tampered file, a file signed by another key and an expired file, and the old pools stay', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 10 });
    const tampered = h
      .licenseFile(server, { [`${CLIENT}_CONCURRENT`]: 20 })
      .replace(`${CLIENT}_CONCURRENT 20`, `${CLIENT}_CONCURRENT 99`);
    expect((await h.code(LOAD, { id: server.id, content: tampered })).code).toBe('INVALID_LICENSE_FILE');

    const foreign = h.licenseFile(
      server,
      { [`${CLIENT}_CONCURRENT`]: 20 },
      {},
      generateSigningKeyPair().privateKeyPem,
    );
    expect((await h.code(LOAD, { id: server.id, content: foreign })).code).toBe('INVALID_LICENSE_FILE');

    expect((await h.code(LOAD, { id: server.id, content: 'I3LIC 1\nnot a licence file\n' })).code).toBe(
      'INVALID_LICENSE_FILE',
    );

    const expired = h.licenseFile(
      server,
      { [`${CLIENT}_CONCURRENT`]: 20 },
      { generatedAt: new Date('2023-01-01T00:00:00.000Z'), expiresAt: new Date('2024-01-01T00:00:00.000Z') },
    );
    expect((await h.code(LOAD, { id: server.id, content: expired })).code).toBe('LICENSE_FILE_EXPIRED');

    expect(await h.statistic(server, CLIENT)).toMatchObject({ concurrentAllowed: 10 });
    const loaded = (await h.events(Topics.LicenseFileLoaded)).filter(
      (e) => e.payload['serverId'] === server.id,
    );
    expect(loaded).toHaveLength(1);
  });

  it('loads only on the machine the file names, of the file’s account and site', async () => {
    const server = await h.registerServer('cic-east');
    const forOther = h.licenseFile({ ...server, name: 'cic-west' }, { [CLIENT]: 1 });
    expect((await h.code(LOAD, { id: server.id, content: forOther })).code).toBe('INVALID_LICENSE_FILE');
    const otherAccount = h.licenseFile({ ...server, accountId: 'someone-else' }, { [CLIENT]: 1 });
    expect((await h.code(LOAD, { id: server.id, content: otherAccount })).code).toBe('INVALID_LICENSE_FILE');
    const otherSite = h.licenseFile({ ...server, installSiteId: 'another-site' }, { [CLIENT]: 1 });
    expect((await h.code(LOAD, { id: server.id, content: otherSite })).code).toBe('INVALID_LICENSE_FILE');
    // Machine names compare as Windows host names do: without regard to case.
    await h.gql(LOAD, {
      id: server.id,
      content: h.licenseFile({ ...server, name: 'CIC-EAST' }, { [CLIENT]: 1 }),
    });
    expect((await h.statistic(server, CLIENT)).assignableAllowed).toBe(1);
  });

  it('applies a switchover file to both servers of the pair, loaded on either', async () => {
    const primary = await h.registerServer('cic-a');
    const backup = await h.registerServer('cic-b', {
      accountId: primary.accountId,
      installSiteId: primary.installSiteId,
      switchoverPartnerId: primary.id,
    });
    const content = h.licenseFile(
      primary,
      { [`${CLIENT}_CONCURRENT`]: 40 },
      { switchover: { hostId: '00-15-5D-01-02-04', machineName: 'cic-b', serverItem: 'Basic Server' } },
    );
    await h.gql(LOAD, { id: backup.id, content });
    expect((await h.statistic(primary, CLIENT)).concurrentAllowed).toBe(40);
    expect((await h.statistic(backup, CLIENT)).concurrentAllowed).toBe(40);
    const events = (await h.events(Topics.LicenseFileLoaded)).filter(
      (e) => e.payload['serverId'] === primary.id || e.payload['serverId'] === backup.id,
    );
    expect(events.map((e) => e.payload['serverId']).sort()).toEqual([primary.id, backup.id].sort());

    // A switchover file naming a machine that is not the partner is refused.
    const wrongPartner = h.licenseFile(
      primary,
      { [CLIENT]: 1 },
      { switchover: { hostId: '00-15-5D-01-02-05', machineName: 'cic-z', serverItem: 'Basic Server' } },
    );
    expect((await h.code(LOAD, { id: primary.id, content: wrongPartner })).code).toBe('INVALID_LICENSE_FILE');
  });

  it('loading a smaller file: holders keep their licences, nobody new gets one until the pool is under its total', async () => {
    const server = await h.serverWith({ [`${TRACKER}_CONCURRENT`]: 5, [`${CLIENT}_CONCURRENT`]: 10 });
    const station = await h.createStation(server, []);
    const users = [];
    for (let i = 0; i < 6; i += 1) users.push(await h.createUser(server, [CLIENT, TRACKER]));
    for (const userId of users.slice(0, 5)) await h.logon(server, { userId, stationId: station });
    await h.load(server, { [`${TRACKER}_CONCURRENT`]: 3, [`${CLIENT}_CONCURRENT`]: 10 });

    const lowered = await h.statistic(server, TRACKER);
    expect(lowered).toMatchObject({ concurrentAllowed: 3, concurrentInUse: 5, available: 0 });
    expect(lowered.note).toContain('exceeds');

    expect((await h.logon(server, { userId: users[5]!, stationId: station })).denied).toEqual([
      `${TRACKER}_CONCURRENT`,
    ]);
    for (const userId of users.slice(0, 3)) await h.logoff(server, { userId });
    expect((await h.statistic(server, TRACKER)).concurrentInUse).toBe(2);
    const retry = await h.logon(server, {
      userId: users[5]!,
      stationId: station,
      application: 'Interaction Desktop',
    });
    expect(retry.acquired).toEqual([`${TRACKER}_CONCURRENT`]);
    expect(await h.statistic(server, TRACKER)).toMatchObject({ concurrentInUse: 3, note: null });
  });

  it('PERPETUAL caps every pool; SUBSCRIPTION pools are uncapped unless the account sets its own cap', async () => {
    const perpetual = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 2 });
    await h.gql(CAP, { account: perpetual.accountId, key: `${CLIENT}_CONCURRENT`, cap: 10 });
    expect((await h.statistic(perpetual, CLIENT)).concurrentAllowed).toBe(2);

    const subscription = await h.serverWith(
      { [`${CLIENT}_CONCURRENT`]: 2 },
      { licenseModel: 'SUBSCRIPTION' },
    );
    const station = await h.createStation(subscription, []);
    const users = [];
    for (let i = 0; i < 4; i += 1) users.push(await h.createUser(subscription, [CLIENT]));
    for (const userId of users.slice(0, 3)) await h.logon(subscription, { userId, stationId: station });
    expect(await h.statistic(subscription, CLIENT)).toMatchObject({
      concurrentAllowed: null,
      concurrentInUse: 3,
      available: null,
      capped: false,
      peakInUse: 3,
    });
    expect((await h.statistic(subscription, CLIENT)).note).toContain('uncapped');

    // The account caps its own bill: from now on the pool behaves like a perpetual one.
    const capped = await h.gql<{ setAccountLicenseCap: { key: string; cap: number } }>(CAP, {
      account: subscription.accountId,
      key: `${CLIENT}_CONCURRENT`,
      cap: 3,
    });
    expect(capped.setAccountLicenseCap).toEqual({ key: `${CLIENT}_CONCURRENT`, cap: 3 });
    expect(await h.statistic(subscription, CLIENT)).toMatchObject({
      concurrentAllowed: 3,
      available: 0,
      capped: true,
    });
    const refused = await h.code(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      {
        input: {
          serverId: subscription.id,
          userId: users[3],
          stationId: station,
          application: 'Interaction Connect',
        },
      },
      await h.machine(subscription.id),
    );
    expect(refused.code).toBe('CLIENT_ACCESS_UNAVAILABLE');

    await h.gql(CAP, { account: subscription.accountId, key: `${CLIENT}_CONCURRENT`, cap: null });
    expect(await h.statistic(subscription, CLIENT)).toMatchObject({ concurrentAllowed: null, capped: false });
    const caps = await h.gql<{ accountLicenseCaps: unknown[] }>(
      `query($a: ID!) { accountLicenseCaps(accountId: $a) { key } }`,
      {
        a: subscription.accountId,
      },
    );
    expect(caps.accountLicenseCaps).toEqual([]);

    // Only the account (or the licensing team) sets its caps.
    const stranger = await h.token(['CUSTOMER_ADMIN'], { accountId: 'another-account' });
    expect((await h.code(CAP, { account: subscription.accountId, key: CLIENT, cap: 1 }, stranger)).code).toBe(
      'FORBIDDEN',
    );
    expect((await h.code(CAP, { account: subscription.accountId, key: 'I3_FEATURE_SIP', cap: 1 })).code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('withdraws the pools of a deactivated activation file: holders keep, nothing new, and it never loads again', async () => {
    const server = await h.registerServer();
    const content = h.licenseFile(
      server,
      { [`${CLIENT}_CONCURRENT`]: 5 },
      { fileId: `af-withdrawn-${database}` },
    );
    await h.gql(LOAD, { id: server.id, content });
    const station = await h.createStation(server, []);
    const first = await h.createUser(server, [CLIENT]);
    const second = await h.createUser(server, [CLIENT]);
    await h.logon(server, { userId: first, stationId: station });

    await h.publish(Topics.ActivationFileDeactivated, {
      fileId: `af-withdrawn-${database}`,
      accountId: server.accountId,
      deactivatedAt: h.clock.now().toISOString(),
    });
    await eventually(async () => (await h.statistic(server, CLIENT)).concurrentAllowed === 0);
    expect(await h.statistic(server, CLIENT)).toMatchObject({ concurrentInUse: 1, available: 0 });
    const refused = await h.code(
      `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`,
      {
        input: {
          serverId: server.id,
          userId: second,
          stationId: station,
          application: 'Interaction Connect',
        },
      },
      await h.machine(server.id),
    );
    expect(refused.code).toBe('CLIENT_ACCESS_UNAVAILABLE');
    const license = await h.gql<{ server: { license: { withdrawnAt: string | null } } }>(
      `query($id: ID!) { server(id: $id) { license { withdrawnAt } } }`,
      { id: server.id },
    );
    expect(license.server.license.withdrawnAt).not.toBeNull();
    expect((await h.code(LOAD, { id: server.id, content })).code).toBe('INVALID_LICENSE_FILE');
  });

  it('issues a machine credential per server: role SERVER for that server only, stored as a hash, replaced by a new one', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const other = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const station = await h.createStation(server, []);
    const userId = await h.createUser(server, [CLIENT]);
    const ISSUE = `mutation($id: ID!) { issueServerCredential(serverId: $id) { serverId token issuedAt } }`;
    const issued = await h.gql<{ issueServerCredential: { token: string } }>(ISSUE, { id: server.id });
    const token = issued.issueServerCredential.token;

    const LOGON = `mutation($input: LogonInput!) { logon(input: $input) { acquired } }`;
    const input = { serverId: server.id, userId, stationId: station, application: 'Interaction Connect' };
    const ok = await h.gql<{ logon: { acquired: string[] } }>(LOGON, { input }, token);
    expect(ok.logon.acquired).toEqual([`${CLIENT}_CONCURRENT`]);
    expect(
      (await h.code(`mutation($id: ID!) { heartbeat(serverId: $id) }`, { id: other.id }, token)).code,
    ).toBe('FORBIDDEN');
    const supervisor = await h.token(['SUPERVISOR'], { accountId: server.accountId });
    expect((await h.code(ISSUE, { id: server.id }, supervisor)).code).toBe('FORBIDDEN');

    const rows = await h.main.db.read((m) =>
      m.query('SELECT credential_hash FROM server WHERE id = ?', [server.id]),
    );
    const stored = (rows as Array<{ credential_hash: string }>)[0]!.credential_hash;
    expect(stored).toBe(createHash('sha256').update(token).digest('hex'));
    expect(stored).not.toContain(token);

    const renewed = await h.gql<{ issueServerCredential: { token: string } }>(ISSUE, { id: server.id });
    expect(
      (await h.code(`mutation($id: ID!) { heartbeat(serverId: $id) }`, { id: server.id }, token)).code,
    ).toBe('UNAUTHENTICATED');
    expect(
      await h.gql(
        `mutation($id: ID!) { heartbeat(serverId: $id) }`,
        { id: server.id },
        renewed.issueServerCredential.token,
      ),
    ).toEqual({ heartbeat: true });
    // Enforcement (which takes the server's own check-ins) hears which credential is in force.
    const issuedEvents = (await h.events(Topics.ServerCredentialIssued)).filter(
      (e) => e.payload['serverId'] === server.id,
    );
    expect(issuedEvents).toHaveLength(2);
    const current = issuedEvents[1]!.payload['credentialId'] as string;
    expect(
      JSON.parse(Buffer.from(renewed.issueServerCredential.token.split('.')[1]!, 'base64url').toString()),
    ).toMatchObject({ sub: `server-credential:${current}` });
  });
});
