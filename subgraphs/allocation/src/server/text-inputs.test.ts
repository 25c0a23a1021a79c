import { randomUUID } from 'node:crypto';
import { Topics } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { Harness } from '../../test/harness.js';

/**
 * Issue 15, hole 8: "CIC user and station names accept NUL, CR/LF, bidi overrides and lone
 * surrogates (install-site names refuse them); caps on unknown licence keys ... unknown media
 * types ... are stored". Every name goes through the platform's one text validation; what is
 * refused leaves nothing behind.
 */
const BAD_NAMES: Array<[string, string]> = [
  ['a NUL', 'agent\u0000one'],
  ['CR/LF', 'agent\r\none'],
  ['a tab', 'agent\tone'],
  ['a bidi override', 'invoice\u202Efdp.exe'],
  ['a bidi isolate', 'agent\u2066one\u2069'],
  ['a lone high surrogate', 'agent\uD800one'],
  ['a lone low surrogate', 'agent\uDC00one'],
  ['a C1 control', 'agent\u0085one'],
  ['a line separator', 'agent\u2028one'],
  ['201 characters', 'x'.repeat(201)],
  ['only spaces', '   '],
];

const CREATE_USER = `mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id name queuedMediaTypes chosenMediaTypes } }`;
const CREATE_STATION = `mutation($input: CreateStationInput!) { createStation(input: $input) { id } }`;
const REGISTER = `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }`;
const USERS = `query($id: ID!) { cicUsers(serverId: $id) { id } stations(serverId: $id) { id } }`;
const CAP = `mutation($a: ID!, $k: String!, $c: Int) { setAccountLicenseCap(accountId: $a, key: $k, cap: $c) { key cap } }`;
const CAPS = `query($a: ID!) { accountLicenseCaps(accountId: $a) { key cap } }`;

describeEachDatabase('text inputs of allocation', (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(async () => {
    await h?.close();
  });

  test.each(BAD_NAMES)(
    'a user, station or server name with %s is BAD_USER_INPUT and stores nothing',
    async (_label, name) => {
      const server = await h.serverWith({ I3_ACCESS_CLIENT: 5, I3_LICENSE_BASIC_STATION: 5 });
      const user = await h.code(CREATE_USER, {
        input: { serverId: server.id, name, allocationMethod: 'CONCURRENT', licenses: [] },
      });
      expect(user).toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: expect.objectContaining({ field: 'name' }),
      });
      const station = await h.code(CREATE_STATION, {
        input: { serverId: server.id, name, kind: 'WORKSTATION', licenses: [] },
      });
      expect(station).toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: expect.objectContaining({ field: 'name' }),
      });
      expect(await h.gql(USERS, { id: server.id })).toEqual({ cicUsers: [], stations: [] });

      const registered = await h.code(REGISTER, {
        input: { accountId: server.accountId, installSiteId: server.installSiteId, name },
      });
      // (type-graphql's input validation may refuse first: still BAD_USER_INPUT)
      expect(registered.code).toBe('BAD_USER_INPUT');
      const [{ n }] = (await h.main.db.dataSource.query(
        'SELECT COUNT(*) AS n FROM server WHERE account_id = ?',
        [server.accountId],
      )) as Array<{ n: unknown }>;
      expect(Number(n)).toBe(1);
    },
  );

  it('names keep letters of every script, accents and emoji (a surrogate pair is one character)', async () => {
    const server = await h.serverWith({ I3_ACCESS_CLIENT: 5 });
    for (const name of ['Zoë Ångström', 'محمد', '山田太郎', 'agent 🎧', `${'é'.repeat(199)}🎧`]) {
      const { createCicUser } = await h.gql<{ createCicUser: { name: string } }>(CREATE_USER, {
        input: { serverId: server.id, name, allocationMethod: 'CONCURRENT', licenses: [] },
      });
      expect(createCicUser.name).toBe(name);
    }
  });

  it('unknown interaction (media) types are refused; known ones are stored in their canonical spelling', async () => {
    const server = await h.serverWith({ I3_ACCESS_CLIENT: 5 });
    const refused = await h.code(CREATE_USER, {
      input: {
        serverId: server.id,
        name: 'telepath',
        allocationMethod: 'CONCURRENT',
        licenses: [],
        queuedMediaTypes: ['Call', 'Telepathy'],
      },
    });
    expect(refused).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: expect.objectContaining({ field: 'queuedMediaTypes' }),
    });
    expect(await h.gql(USERS, { id: server.id })).toEqual({ cicUsers: [], stations: [] });

    const { createCicUser } = await h.gql<{ createCicUser: { queuedMediaTypes: string[] } }>(CREATE_USER, {
      input: {
        serverId: server.id,
        name: 'agent',
        allocationMethod: 'CONCURRENT',
        licenses: [],
        queuedMediaTypes: ['call', 'Work Item', 'EMAIL', 'Call'],
      },
    });
    expect(createCicUser.queuedMediaTypes).toEqual(['Call', 'WorkItem', 'Email']);
  });

  it('a cap on a licence key no file of the account holds is refused and not stored', async () => {
    const server = await h.serverWith({ I3_ACCESS_CLIENT: 5 }, { licenseModel: 'SUBSCRIPTION' });
    for (const key of ['I3_ACCESS_DOES_NOT_EXIST', 'I3_ACCESS_RECORDER']) {
      expect(await h.code(CAP, { a: server.accountId, k: key, c: 3 })).toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: expect.objectContaining({ field: 'key' }),
      });
    }
    expect(await h.gql(CAPS, { a: server.accountId })).toEqual({ accountLicenseCaps: [] });
    expect(await h.gql(CAP, { a: server.accountId, k: 'I3_ACCESS_CLIENT', c: 3 })).toEqual({
      setAccountLicenseCap: { key: 'I3_ACCESS_CLIENT', cap: 3 },
    });
  });
});

/**
 * Issue 15, hole 8: "registerServer accepts another tenant's install site". Allocation does not own
 * install sites; what it knows for certain is where other accounts' servers stand, so a site in use
 * by another account is refused (the same answer to every caller).
 */
describeEachDatabase("registerServer and another account's install site", (database) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a site where another account has a server, and stores nothing', async () => {
    const theirs = await h.registerServer();
    const mine = `acc-${theirs.id.slice(0, 8)}`;
    const customer = await h.token(['CUSTOMER_ADMIN'], { accountId: mine });
    const failure = await h.code(
      REGISTER,
      { input: { accountId: mine, installSiteId: theirs.installSiteId, name: 'squatter' } },
      customer,
    );
    expect(failure).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: expect.objectContaining({ field: 'installSiteId' }),
    });
    const [{ n }] = (await h.main.db.dataSource.query(
      'SELECT COUNT(*) AS n FROM server WHERE account_id = ?',
      [mine],
    )) as Array<{ n: unknown }>;
    expect(Number(n)).toBe(0);
    // The owner registers more servers at its own site.
    await h.registerServer(undefined, { accountId: theirs.accountId, installSiteId: theirs.installSiteId });
  });

  it("learns sites from the accounts subgraph: a deactivated site or another account's is refused", async () => {
    const site = randomUUID();
    const owner = randomUUID();
    const other = randomUUID();
    const register = (accountId: string, name: string) =>
      h.code(REGISTER, { input: { accountId, installSiteId: site, name } });
    // Events arrive on the bus in the background: wait until allocation applied each.
    const applied = (active: boolean) =>
      eventually(async () => {
        const [row] = (await h.main.db.dataSource.query('SELECT active FROM install_site WHERE id = ?', [
          site,
        ])) as Array<{ active: unknown }>;
        return row !== undefined && Number(row.active) === (active ? 1 : 0);
      });
    await h.publish(Topics.InstallSiteChanged, { installSiteId: site, accountId: owner, active: true });
    await applied(true);
    // Another account, though no server stands there yet.
    expect(await register(other, 'squatter')).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: expect.objectContaining({ field: 'installSiteId' }),
    });
    await h.registerServer('first', { accountId: owner, installSiteId: site });

    await h.publish(Topics.InstallSiteChanged, { installSiteId: site, accountId: owner, active: false });
    await applied(false);
    expect(await register(owner, 'second')).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: expect.objectContaining({ field: 'installSiteId' }),
    });
    await h.publish(Topics.InstallSiteChanged, { installSiteId: site, accountId: owner, active: true });
    await applied(true);
    await h.registerServer('second', { accountId: owner, installSiteId: site });
    const [{ n }] = (await h.main.db.dataSource.query(
      'SELECT COUNT(*) AS n FROM server WHERE install_site_id = ?',
      [site],
    )) as Array<{ n: unknown }>;
    expect(Number(n)).toBe(2);
  });
});
