import { createServer as createAccounts } from '@lic/accounts';
import { createServer as createAllocation } from '@lic/allocation';
import { type StatementCounter, type SubgraphHandle } from '@lic/shared';
// The testing client signs as the gateway does: this scenario calls two subgraphs directly.
import { graphqlData, testEnvironment, tokenFor } from '@lic/testing';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';

type SubgraphKey = 'accounts' | 'allocation';

interface Seeded {
  accountIds: string[];
  /** One server per account; users and stations are all on the first. */
  serverIds: string[];
  userIds: string[];
  stationIds: string[];
}

/** One list operation as a subgraph receives it (from a client, or from the gateway's entity fetch). */
interface ListCase {
  name: string;
  subgraph: SubgraphKey;
  query: string;
  variables(seeded: Seeded, rows: number): Record<string, unknown>;
  /** The rows the answer carries, to prove the operation really returned `rows` of them. */
  rowsIn(data: Record<string, unknown>): number;
}

const ACCOUNT_FIELDS = 'id name garn kind createdAt';
const SERVER_FIELDS = 'id name accountId installSiteId createdAt account { id }';
const USER_FIELDS =
  'id name allocationMethod licenses server { id name } station { id } loggedOn activeSessions { id } warnings';
const STATION_FIELDS = 'id name kind server { id name } warnings';

const entities = (data: Record<string, unknown>) =>
  (data['_entities'] as Array<Record<string, unknown> | null>) ?? [];
const representations = (typename: string, ids: readonly string[]) =>
  ids.map((id) => ({ __typename: typename, id }));

const CASES: ListCase[] = [
  {
    name: '`accounts` (accounts subgraph)',
    subgraph: 'accounts',
    query: `query { accounts { ${ACCOUNT_FIELDS} } }`,
    variables: () => ({}),
    rowsIn: (data) => (data['accounts'] as unknown[]).length,
  },
  {
    name: 'Account references (accounts subgraph `_entities`)',
    subgraph: 'accounts',
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { ${ACCOUNT_FIELDS} } } }`,
    variables: (seeded, rows) => ({ r: representations('Account', seeded.accountIds.slice(0, rows)) }),
    rowsIn: (data) => entities(data).filter((e) => e !== null).length,
  },
  {
    name: '`Account.servers` for many accounts (allocation subgraph `_entities`)',
    subgraph: 'allocation',
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id servers { ${SERVER_FIELDS} } } } }`,
    variables: (seeded, rows) => ({ r: representations('Account', seeded.accountIds.slice(0, rows)) }),
    rowsIn: (data) =>
      entities(data).reduce((n, e) => n + ((e?.['servers'] as unknown[] | undefined)?.length ?? 0), 0),
  },
  {
    name: 'Server references (allocation subgraph `_entities`)',
    subgraph: 'allocation',
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Server { ${SERVER_FIELDS} } } }`,
    variables: (seeded, rows) => ({ r: representations('Server', seeded.serverIds.slice(0, rows)) }),
    rowsIn: (data) => entities(data).filter((e) => e !== null).length,
  },
  {
    name: '`cicUsers(serverId)` (allocation subgraph)',
    subgraph: 'allocation',
    query: `query ($s: ID!) { cicUsers(serverId: $s) { ${USER_FIELDS} } }`,
    variables: (seeded) => ({ s: seeded.serverIds[0] }),
    rowsIn: (data) => (data['cicUsers'] as unknown[]).length,
  },
  {
    name: '`stations(serverId)` (allocation subgraph)',
    subgraph: 'allocation',
    query: `query ($s: ID!) { stations(serverId: $s) { ${STATION_FIELDS} } }`,
    variables: (seeded) => ({ s: seeded.serverIds[0] }),
    rowsIn: (data) => (data['stations'] as unknown[]).length,
  },
];

/** Scenario 5: SQL statements per list operation must not grow with the rows it returns. */
export const statementCountsScenario: Scenario = {
  name: 'statement-counts',
  description:
    'SQL statements per list operation at 10 and at 1,000 rows (250 in a quick run; the N+1 guard): the accounts and allocation ' +
    'subgraphs started in-process with their own `createServer` on a private MariaDB database prefix, rows ' +
    'seeded through GraphQL mutations, statements counted with the runtime StatementCounter ' +
    '(`db.statements.measure`) around each request. The counts at both sizes must be equal.',
  run: runStatementCounts,
};

async function runStatementCounts(context: ScenarioContext): Promise<ScenarioResult> {
  // Quick runs (the test) stop at 250 rows: enough to expose a per-row statement, a fifth of the seeding.
  const sizes = [10, context.quick ? 250 : 1000] as const;
  const repetitions = context.quick ? 2 : 5;
  const env = testEnvironment({
    database: 'mariadb',
    // Background timers would send statements while a request is measured: push them out of the way.
    env: { OUTBOX_POLL_MS: '3600000', SESSION_SWEEP_SECONDS: '3600', ENFORCEMENT_TICK_SECONDS: '3600' },
  });
  const handles: Partial<Record<SubgraphKey, SubgraphHandle>> = {};
  try {
    context.progress('starting the accounts and allocation subgraphs on MariaDB', 0);
    const accounts = (handles.accounts = await createAccounts(env.config));
    const allocation = (handles.allocation = await createAllocation(env.config));
    const token = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
    const counters: Record<SubgraphKey, StatementCounter> = {
      accounts: accounts.database.statements,
      allocation: allocation.database.statements,
    };

    const seeded: Seeded = { accountIds: [], serverIds: [], userIds: [], stationIds: [] };
    const counts = new Map<string, number[]>();
    const notes: string[] = [];
    const totalSteps = sizes.length * (1 + CASES.length);
    let stepsDone = 0;
    for (const rows of sizes) {
      context.progress(
        `seeding ${rows.toLocaleString('en-US')} accounts and servers`,
        stepsDone / totalSteps,
      );
      await seed(accounts.url, allocation.url, token, seeded, rows);
      stepsDone += 1;
      for (const listCase of CASES) {
        context.progress(`${listCase.name} at ${rows.toLocaleString('en-US')} rows`, stepsDone / totalSteps);
        stepsDone += 1;
        const measured = await countStatements(
          counters[listCase.subgraph],
          handles[listCase.subgraph]!.url,
          token,
          listCase,
          seeded,
          rows,
          repetitions,
        );
        counts.set(`${listCase.name}@${rows}`, measured);
        if (Math.min(...measured) !== Math.max(...measured)) {
          notes.push(
            `${listCase.name} at ${rows.toLocaleString('en-US')} rows: counts varied between repetitions (${measured.join(', ')}): background work was counted too; the lowest is reported.`,
          );
        }
      }
    }
    context.progress('done', 1);

    const figures: Figure[] = [];
    let growing = 0;
    let measuredCases = 0;
    for (const listCase of CASES) {
      const small = counts.get(`${listCase.name}@${sizes[0]}`);
      const large = counts.get(`${listCase.name}@${sizes[1]}`);
      if (!small || !large) continue;
      measuredCases += 1;
      const [a, b] = [Math.min(...small), Math.min(...large)];
      if (a !== b) growing += 1;
      figures.push(
        { name: `${listCase.name}: statements at ${sizes[0]} rows`, value: a, unit: 'statements' },
        {
          name: `${listCase.name}: statements at ${sizes[1].toLocaleString('en-US')} rows`,
          value: b,
          unit: 'statements',
          target: `= ${a} (as at ${sizes[0]} rows)`,
          met: a === b,
        },
      );
    }
    if (measuredCases > 0) {
      figures.push({
        name: `list operations whose statement count grows with rows (of ${measuredCases} measured)`,
        value: growing,
        unit: 'operations',
        target: '0',
        met: growing === 0,
      });
    }
    notes.push(
      `Each count is the lowest of ${repetitions} requests (each sent once the subgraph had been idle for 300 ms, after one unmeasured warm-up request): other work can only add statements. Each answer was checked to carry exactly the seeded rows.`,
      'The `_entities` operations are what the gateway sends for `accounts { servers { … } }` and for Server references from other subgraphs; they exercise the per-request DataLoaders and `__resolveReference`.',
    );
    return { scenario: statementCountsScenario.name, figures, notes };
  } finally {
    await handles.allocation?.close().catch(() => undefined);
    await handles.accounts?.close().catch(() => undefined);
    await env.cleanup();
  }
}

async function countStatements(
  counter: StatementCounter,
  url: string,
  token: string,
  listCase: ListCase,
  seeded: Seeded,
  rows: number,
  repetitions: number,
): Promise<number[]> {
  const variables = listCase.variables(seeded, rows);
  const request = () => graphqlData<Record<string, unknown>>(url, listCase.query, variables, token);
  const returned = listCase.rowsIn(await request());
  if (returned !== rows) {
    throw new Error(
      `${listCase.name} returned ${returned} rows where ${rows} were seeded: the count would mean nothing`,
    );
  }
  const counts: number[] = [];
  for (let i = 0; i < repetitions; i += 1) {
    await quiet(counter);
    const { statements } = await counter.measure(request);
    counts.push(statements);
  }
  return counts;
}

/**
 * Waits until the subgraph has sent no statement for a while: the outbox relay, kicked by every
 * seeding mutation, may still be publishing, and the counter counts everything the DataSource sends.
 */
async function quiet(counter: StatementCounter, idleMs = 300, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = counter.count;
  let idleSince = Date.now();
  while (Date.now() - idleSince < idleMs) {
    if (Date.now() > deadline)
      throw new Error(`the subgraph kept sending statements for ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
    if (counter.count !== last) {
      last = counter.count;
      idleSince = Date.now();
    }
  }
}

/**
 * Grows the data to `rows` accounts each with one server, and `rows` users and stations on the first
 * server, through the subgraphs' own mutations.
 */
async function seed(
  accountsUrl: string,
  allocationUrl: string,
  token: string,
  seeded: Seeded,
  rows: number,
): Promise<void> {
  const from = seeded.accountIds.length;
  const indexes = Array.from({ length: rows - from }, (_, i) => from + i);
  const accountIds = await inParallel(indexes, 16, async (i) => {
    const data = await graphqlData<{ createAccount: { id: string } }>(
      accountsUrl,
      'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      {
        input: { name: `Bench account ${String(i).padStart(5, '0')}`, garn: `BENCH-${i}`, kind: 'CUSTOMER' },
      },
      token,
    );
    return data.createAccount.id;
  });
  seeded.accountIds.push(...accountIds);
  const serverIds = await inParallel(accountIds, 16, async (accountId) => {
    const data = await graphqlData<{ registerServer: { id: string } }>(
      allocationUrl,
      'mutation ($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
      { input: { accountId, installSiteId: accountId, name: `cic-${accountId.slice(0, 8)}` } },
      token,
    );
    return data.registerServer.id;
  });
  seeded.serverIds.push(...serverIds);
  const serverId = seeded.serverIds[0]!;
  const userIds = await inParallel(indexes, 16, async (i) => {
    const data = await graphqlData<{ createCicUser: { id: string } }>(
      allocationUrl,
      'mutation ($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
      { input: { serverId, name: `user-${i}`, allocationMethod: 'CONCURRENT', licenses: [] } },
      token,
    );
    return data.createCicUser.id;
  });
  seeded.userIds.push(...userIds);
  const stationIds = await inParallel(indexes, 16, async (i) => {
    const data = await graphqlData<{ createStation: { id: string } }>(
      allocationUrl,
      'mutation ($input: CreateStationInput!) { createStation(input: $input) { id } }',
      { input: { serverId, name: `station-${i}`, kind: 'WORKSTATION', licenses: [] } },
      token,
    );
    return data.createStation.id;
  });
  seeded.stationIds.push(...stationIds);
}

/** Maps with at most `limit` calls in flight, keeping the order of `items`. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
