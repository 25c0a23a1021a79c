import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphqlData, graphqlRequest, testEnvironment, tokenFor } from '@lic/testing';
import { promisify } from 'node:util';
import { ROOT, freePort, startProcess, type RunningProcess } from './helpers.js';

interface Page {
  edges: Array<{ cursor: string; node: Record<string, unknown> }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

interface ServersPage {
  account: { serversConnection: { edges: Array<{ node: { id: string } }>; pageInfo: Page['pageInfo'] } };
}

/** One connection of the table: how to ask for a page, the deprecated list it replaces, a node's identity. */
interface Row {
  field: string;
  /** Arguments besides first/after, as GraphQL text, and the node selection. */
  args: string;
  node: string;
  list: string;
  identity: (node: Record<string, unknown>) => string;
  /** The seeded account holds at least this many (so paging by 1 crosses pages). */
  atLeast: number;
}

/**
 * Every connection, paged end to end through the gateway of the embedded platform (demo data on
 * SQLite): one item per page until the list ends, compared with the deprecated list field;
 * stable while rows are inserted between pages; tenant-scoped; bounds and cursors checked.
 */
describe('pagination through the gateway (Relay connections)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-e2e-pages-'));
  let platform: RunningProcess | undefined;
  let url: string;
  let admin: string;
  let acme: { id: string; serverId: string };
  let initech: { id: string; serverId: string };

  const ask = <T>(query: string, variables: Record<string, unknown> = {}, token = admin) =>
    graphqlData<T>(url, query, variables, token);

  beforeAll(async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: String(ports[0]),
      ACCOUNTS_PORT: String(ports[1]),
      ALLOCATION_PORT: String(ports[2]),
      BILLING_PORT: String(ports[3]),
      ENFORCEMENT_PORT: String(ports[4]),
    };
    platform = await startProcess(['scripts/dist/start.js'], env, /Development token[^\n]*\n\S+\n/, 120_000);
    url = /GraphQL \(HTTP and graphql-ws\): (\S+)/.exec(platform.output())![1]!;
    admin = await tokenFor(testEnvironment().config, { roles: ['LICENSING_ADMIN'], certified: true });
    const data = await ask<{ accounts: Array<{ id: string; name: string; servers: Array<{ id: string }> }> }>(
      '{ accounts { id name servers { id } } }',
    );
    const byName = (name: string) => {
      const account = data.accounts.find((a) => a.name === name)!;
      return { id: account.id, serverId: account.servers[0]!.id };
    };
    acme = byName('Acme Contact Centre');
    initech = byName('Initech');
    // Two questions to the licensing team (activation file requests).
    for (const subject of ['first question', 'second question']) {
      await ask(
        'mutation($input: ActivationFileRequestInput!) { submitActivationFileRequest(input: $input) { id } }',
        {
          input: {
            firstName: 'Pat',
            lastName: 'Partner',
            endUserAccount: 'Acme Contact Centre',
            soldToAccount: 'Acme Contact Centre',
            garn: 'GARN-100001',
            requestType: 'QUESTION',
            subject,
            description: 'How do pages work?',
            corporateEmail: 'pat@partner.example',
            confirmCorporateEmail: 'pat@partner.example',
            workPhone: '+44 20 7946 0001',
            employer: 'Partner Ltd',
          },
        },
      );
    }
    // A few agents log on (sessions, and usage where the licence tracks it).
    const machine = await tokenFor(testEnvironment().config, { roles: ['SERVER'], serverId: acme.serverId });
    const { cicUsers, stations } = await ask<{
      cicUsers: Array<{ id: string; name: string }>;
      stations: Array<{ id: string; name: string }>;
    }>(
      `{ cicUsers(serverId: "${acme.serverId}") { id name } stations(serverId: "${acme.serverId}") { id name } }`,
    );
    const agents = cicUsers.filter((u) => u.name.startsWith('agent-'));
    for (const [i, station] of stations.slice(0, 4).entries()) {
      // Refused logons are fine too: each is a denial.
      await graphqlRequest(
        url,
        'mutation($input: LogonInput!) { logon(input: $input) { acquired } }',
        {
          input: {
            serverId: acme.serverId,
            userId: agents[i]!.id,
            stationId: station.id,
            application: 'Interaction Desktop',
          },
        },
        machine,
      );
    }
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = (): Row[] => {
    const server = `serverId: "${acme.serverId}"`;
    const range = 'from: "2020-01-01T00:00:00.000Z", to: "2030-01-01T00:00:00.000Z"';
    const id = (n: Record<string, unknown>) => String(n['id']);
    return [
      {
        field: 'accountsConnection',
        args: '',
        node: 'id',
        list: 'accounts { id }',
        identity: id,
        atLeast: 2,
      },
      {
        field: 'activationFilesConnection',
        args: `accountId: "${acme.id}"`,
        node: 'id',
        list: `activationFiles(accountId: "${acme.id}") { id }`,
        identity: id,
        atLeast: 1,
      },
      {
        field: 'activationFileRequestsConnection',
        args: '',
        node: 'id',
        list: 'activationFileRequests { id }',
        identity: id,
        atLeast: 2,
      },
      {
        field: 'cicUsersConnection',
        args: server,
        node: 'id',
        list: `cicUsers(${server}) { id }`,
        identity: id,
        atLeast: 2,
      },
      {
        field: 'stationsConnection',
        args: server,
        node: 'id',
        list: `stations(${server}) { id }`,
        identity: id,
        atLeast: 2,
      },
      {
        field: 'sessionsConnection',
        args: `${server}, activeOnly: false`,
        node: 'id',
        list: `sessions(${server}, activeOnly: false) { id }`,
        identity: id,
        atLeast: 4,
      },
      {
        field: 'licenseDenialsConnection',
        args: server,
        node: 'id',
        list: `licenseDenials(${server}) { id }`,
        identity: id,
        atLeast: 0,
      },
      {
        field: 'usageSessionsConnection',
        args: `${server}, ${range}`,
        node: 'start user { id }',
        list: `usageSessions(${server}, ${range}) { start user { id } }`,
        identity: (n) => `${String(n['start'])}|${String((n['user'] as { id: string }).id)}`,
        atLeast: 4,
      },
      {
        field: 'usageFilesConnection',
        args: server,
        node: 'id',
        list: `usageFiles(${server}) { id }`,
        identity: id,
        atLeast: 1,
      },
      {
        field: 'enforcementHistoryConnection',
        args: server,
        node: 'from to at',
        list: `enforcementHistory(${server}) { from to at }`,
        identity: (n) => `${String(n['at'])}|${String(n['from'])}|${String(n['to'])}`,
        atLeast: 0,
      },
    ];
  };

  const pageQuery = (row: Row) =>
    `query($first: Int, $after: String) { page: ${row.field}(${row.args}${row.args ? ', ' : ''}first: $first, after: $after) {
      edges { cursor node { ${row.node} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  async function pageThrough(
    row: Row,
    first: number,
    token = admin,
    between: () => Promise<void> = async () => undefined,
  ): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 500; guard += 1) {
      const { page }: { page: Page } = await ask<{ page: Page }>(pageQuery(row), { first, after }, token);
      expect(page.edges.length).toBeLessThanOrEqual(first);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      seen.push(...page.edges.map((e) => row.identity(e.node)));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
      await between();
    }
    throw new Error(`${row.field}: never reached the last page`);
  }

  it('pages every connection one item at a time to exactly the items of the list field it replaces', async () => {
    for (const row of rows()) {
      const paged = await pageThrough(row, 1);
      const listName = row.list.split(/[({ ]/)[0]!;
      const listed = (await ask<Record<string, Array<Record<string, unknown>>>>(`{ ${row.list} }`))[
        listName
      ]!;
      expect({ field: row.field, items: [...paged].sort() }).toEqual({
        field: row.field,
        items: listed.map(row.identity).sort(),
      });
      expect({ field: row.field, unique: new Set(paged).size === paged.length }).toEqual({
        field: row.field,
        unique: true,
      });
      expect({ field: row.field, enough: paged.length >= row.atLeast }).toEqual({
        field: row.field,
        enough: true,
      });
    }
  });

  it('Account.serversConnection pages an account’s servers', async () => {
    const query = `query($id: ID!, $after: String) { account(id: $id) { serversConnection(first: 1, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { account }: ServersPage = await ask<ServersPage>(query, { id: acme.id, after });
      seen.push(...account.serversConnection.edges.map((e) => e.node.id));
      if (!account.serversConnection.pageInfo.hasNextPage) break;
      after = account.serversConnection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(2);
    expect(seen).toContain(acme.serverId);

    // A server's users and stations, nested: the same items as the root connections.
    for (const [nested, root] of [
      ['usersConnection', 'cicUsersConnection'],
      ['stationsConnection', 'stationsConnection'],
    ] as const) {
      const { server } = await ask<{ server: Record<string, { edges: Array<{ node: { id: string } }> }> }>(
        `query($id: ID!) { server(id: $id) { ${nested}(first: 200) { edges { node { id } } } } }`,
        { id: acme.serverId },
      );
      const row = rows().find((r) => r.field === root)!;
      expect(server[nested]!.edges.map((e) => e.node.id)).toEqual(await pageThrough(row, 200));
    }
  });

  it('stays stable while users are inserted between pages: no original skipped, none repeated', async () => {
    const users = rows().find((r) => r.field === 'cicUsersConnection')!;
    const before = (
      await ask<{ cicUsers: Array<{ id: string }> }>(`{ cicUsers(serverId: "${acme.serverId}") { id } }`)
    ).cicUsers.map((u) => u.id);
    let n = 0;
    const seen = await pageThrough(users, 7, admin, async () => {
      n += 1;
      await ask('mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }', {
        input: { serverId: acme.serverId, name: `paging-${n}`, allocationMethod: 'CONCURRENT', licenses: [] },
      });
    });
    expect(n).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });

  it("keeps each tenant to its own rows: another account's never appear, a foreign cursor gives nothing of it", async () => {
    const initechAdmin = await tokenFor(testEnvironment().config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: initech.id,
      sub: 'initech-admin',
    });
    const accountsRow = rows()[0]!;
    expect(await pageThrough(accountsRow, 1, initechAdmin)).toEqual([initech.id]);
    // Acme's cursor, handed to Initech's admin: Initech's own list, from that place on.
    const { page } = await ask<{ page: Page }>(pageQuery(accountsRow), { first: 1 });
    const foreign = await graphqlRequest<{ page: Page }>(
      url,
      pageQuery(accountsRow),
      { first: 200, after: page.pageInfo.endCursor },
      initechAdmin,
    );
    for (const edge of foreign.data?.page.edges ?? []) expect(edge.node['id']).toBe(initech.id);
    const files = await graphqlRequest(
      url,
      `{ activationFilesConnection(accountId: "${acme.id}", first: 5) { edges { node { id } } } }`,
      {},
      initechAdmin,
    );
    expect(files.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it("the README's example client (examples/page-activation-files.ts, built) lists the account's files page by page", async () => {
    const { activationFiles } = await ask<{ activationFiles: Array<{ id: string }> }>(
      `{ activationFiles(accountId: "${acme.id}") { id } }`,
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['examples/dist/page-activation-files.js'],
      {
        cwd: ROOT,
        env: { ...process.env, LIC_URL: url, LIC_TOKEN: admin, LIC_ACCOUNT: acme.id, LIC_PAGE_SIZE: '1' },
      },
    );
    const printed = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[1]);
    expect(printed).toEqual(activationFiles.map((f) => f.id));
    // The README shows the example's code as it is in the file.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /## Paging through lists[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const source = readFileSync(join(ROOT, 'examples/page-activation-files.ts'), 'utf8');
    for (const block of shown.split('\n\n')) expect(source).toContain(block.trim());
  });

  it('refuses a page size out of bounds and a cursor that is malformed or of another list', async () => {
    const accountsRow = rows()[0]!;
    for (const first of [0, -3, 201]) {
      const answer = await graphqlRequest(url, pageQuery(accountsRow), { first }, admin);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(answer.errors?.[0]?.message).toMatch(/first must be between 1 and 200/);
    }
    const malformed = await graphqlRequest(url, pageQuery(accountsRow), { after: 'not-a-cursor' }, admin);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
    });
    const users = rows().find((r) => r.field === 'cicUsersConnection')!;
    const { page } = await ask<{ page: Page }>(pageQuery(users), { first: 1 });
    const crossed = await graphqlRequest(
      url,
      pageQuery(accountsRow),
      { after: page.pageInfo.endCursor },
      admin,
    );
    expect(crossed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
    });
  });
});
