import { generateSigningKeyPair } from '@lic/shared';
import {
  type TestEnvironment,
  eventually,
  graphqlData,
  graphqlRequest,
  testEnvironment,
  tokenFor,
  wsClient,
} from '@lic/testing';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';

interface Entry {
  id: string;
  accountId: string | null;
  occurredAt: string;
  subject: string | null;
  roles: string[];
  credentialKind: string | null;
  credentialId: string | null;
  operation: string | null;
  field: string;
  service: string;
  targetIds: string[];
  change: string;
  outcome: 'SUCCEEDED' | 'REFUSED';
  errorCode: string | null;
  requestId: string | null;
  clientAddress: string | null;
}

interface Page {
  auditLog: {
    edges: Array<{ cursor: string; node: Entry }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const AUDIT_LOG = `query($accountId: ID!, $filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(accountId: $accountId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id accountId occurredAt subject roles credentialKind credentialId operation field
      service targetIds change outcome errorCode requestId clientAddress } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** POSTs to the gateway as a client would, with its own headers (x-request-id). */
async function post(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  requestId: string | null;
  body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
}> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    body: (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> },
  };
}

/**
 * The audit log end to end through the gateway, on MariaDB (its append-only triggers): the demo
 * seed's mutations and a few more, one of each kind, each recorded with who, what, the targets,
 * when and from where; refusals too; tenant-scoped reading; the CSV export.
 */
describe('audit log through the gateway', () => {
  const keys = generateSigningKeyPair();
  let env: TestEnvironment;
  let stack: Stack;
  let url: string;
  let admin: string;
  let acme: { id: string; name: string };
  let initech: { id: string; name: string };
  let acmeServerId: string;

  beforeAll(async () => {
    env = testEnvironment({
      database: 'mariadb',
      env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
    });
    stack = await startStack(env.config);
    url = stack.gatewayUrl;
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true, sub: 'lic-admin' });
    const seeded = await seedDemoData(url, admin);
    const byName = (name: string) => seeded.accounts.find((a) => a.name.startsWith(name))!;
    acme = byName('Acme');
    initech = byName('Initech');
    acmeServerId = seeded.servers.find((s) => s.accountId === acme.id)!.id;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  const entries = async (accountId: string, filter: Record<string, unknown> = {}, token = admin) =>
    (await graphqlData<Page>(url, AUDIT_LOG, { accountId, filter, first: 200 }, token)).auditLog.edges.map(
      (e) => e.node,
    );

  it('records each kind of mutation: who, what, targets, the change, when and from where', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const requestId = `audit-e2e-${Date.now()}`;
    const mutations: Array<[string, string, Record<string, unknown>]> = [
      [
        'placeAccountOnHold',
        'mutation($id: ID!) { placeAccountOnHold(accountId: $id, reason: "unpaid invoice") { accountId } }',
        { id: acme.id },
      ],
      [
        'liftAccountHold',
        'mutation($id: ID!) { liftAccountHold(accountId: $id, note: "paid") { accountId } }',
        { id: acme.id },
      ],
      [
        'setAccountLicenseCap',
        'mutation($id: ID!) { setAccountLicenseCap(accountId: $id, key: "I3_ACCESS_CLIENT", cap: 5) { key } }',
        { id: acme.id },
      ],
      [
        'setBillingBasis',
        'mutation($id: ID!) { setBillingBasis(accountId: $id, basis: NAMED) { id } }',
        { id: acme.id },
      ],
    ];
    for (const [field, query, variables] of mutations) {
      const res = await post(url, admin, query, variables, { 'x-request-id': `${requestId}-${field}` });
      expect({ field, errors: res.body.errors }).toEqual({ field, errors: undefined });
      // The client's request id comes back as it was sent.
      expect(res.requestId).toBe(`${requestId}-${field}`);
    }

    // One row per kind the issue names, from the demo seed (licences, orders, files, servers, users,
    // stations) and the mutations above (standing, licence caps, billing basis).
    const table: Array<{ kind: string; field: string; service: string }> = [
      { kind: 'account', field: 'createAccount', service: 'accounts' },
      { kind: 'install site', field: 'createInstallSite', service: 'accounts' },
      { kind: 'order', field: 'createSalesOrder', service: 'accounts' },
      { kind: 'activation file', field: 'generateActivationFile', service: 'accounts' },
      { kind: 'server', field: 'registerServer', service: 'allocation' },
      { kind: 'licence file loaded', field: 'loadLicenseFile', service: 'allocation' },
      { kind: 'user', field: 'createCicUser', service: 'allocation' },
      { kind: 'station', field: 'createStation', service: 'allocation' },
      { kind: 'licence cap', field: 'setAccountLicenseCap', service: 'allocation' },
      { kind: 'standing: hold', field: 'placeAccountOnHold', service: 'enforcement' },
      { kind: 'standing: lift', field: 'liftAccountHold', service: 'enforcement' },
      { kind: 'billing basis', field: 'setBillingBasis', service: 'billing' },
    ];
    const missing = async () => {
      const found = await entries(acme.id);
      return table.filter((row) => !found.some((e) => e.field === row.field)).map((row) => row.field);
    };
    await eventually(async () => ((await missing()).length === 0 ? true : undefined), 20_000).catch(
      () => undefined,
    );
    expect(await missing()).toEqual([]);
    const all = await entries(acme.id);
    for (const row of table) {
      const entry = all.find((e) => e.field === row.field);
      expect({ kind: row.kind, entry }).toMatchObject({
        kind: row.kind,
        entry: {
          accountId: acme.id,
          service: row.service,
          outcome: 'SUCCEEDED',
          errorCode: null,
          subject: 'lic-admin',
          roles: ['LICENSING_ADMIN'],
          credentialKind: 'token',
          credentialId: 'lic-admin',
          clientAddress: '127.0.0.1',
        },
      });
      expect(entry!.requestId).toEqual(expect.any(String));
      expect(entry!.targetIds.length).toBeGreaterThan(0);
    }
    const hold = all.find((e) => e.field === 'placeAccountOnHold')!;
    expect(hold.requestId).toBe(`${requestId}-placeAccountOnHold`);
    expect(hold.targetIds).toContain(acme.id);
    expect(JSON.parse(hold.change)).toEqual({ accountId: acme.id, reason: 'unpaid invoice' });
    expect(Date.parse(hold.occurredAt)).toBeGreaterThanOrEqual(Date.parse(since));
    // An activation file's content is not copied into the log: its length stands in for it.
    const load = all.find((e) => e.field === 'loadLicenseFile')!;
    expect(JSON.parse(load.change)).toMatchObject({ content: expect.stringMatching(/^\[\d+ characters\]$/) });
    // Filters: by operation, by target id, by time.
    expect((await entries(acme.id, { operation: 'liftAccountHold' })).map((e) => e.field)).toEqual([
      'liftAccountHold',
    ]);
    expect((await entries(acme.id, { targetId: acmeServerId })).length).toBeGreaterThan(0);
    expect(await entries(acme.id, { from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  }, 120_000);

  it('records API key and webhook mutations without their secrets', async () => {
    const acmeAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: acme.id,
      sub: 'acme-admin',
    });
    const created = await post(
      url,
      acmeAdmin,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
      { input: { accountId: acme.id, name: 'Audit e2e', roles: ['CUSTOMER_ADMIN'] } },
    );
    expect(created.body.errors).toBeUndefined();
    const { secret, apiKey } = (
      created.body.data as { createApiKey: { secret: string; apiKey: { id: string } } }
    ).createApiKey;
    const revoked = await post(url, acmeAdmin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', {
      id: apiKey.id,
    });
    expect(revoked.body.errors).toBeUndefined();
    const hook = await post(
      url,
      acmeAdmin,
      `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { input: { accountId: acme.id, url: 'https://8.8.8.8/audit-e2e', eventTypes: ['SERVER_REGISTERED'] } },
    );
    expect(hook.body.errors).toBeUndefined();
    const hookSecret = (hook.body.data as { createWebhookEndpoint: { secret: string } }).createWebhookEndpoint
      .secret;

    const fields = ['createApiKey', 'revokeApiKey', 'createWebhookEndpoint'];
    const recorded = async () => {
      const found = await entries(acme.id, { subject: 'acme-admin' });
      return fields.every((field) => found.some((e) => e.field === field)) ? found : undefined;
    };
    const found = (await eventually(recorded, 20_000).catch(() => undefined)) ?? (await entries(acme.id));
    for (const field of fields)
      expect({ field, entry: found.find((e) => e.field === field) }).toMatchObject({
        field,
        entry: { outcome: 'SUCCEEDED', subject: 'acme-admin', credentialKind: 'token', accountId: acme.id },
      });
    expect(found.find((e) => e.field === 'revokeApiKey')!.targetIds).toContain(apiKey.id);
    // The secrets a caller got back are nowhere in the log.
    const text = JSON.stringify(found);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(hookSecret);
  }, 60_000);

  it('gives every request an id: the client’s when well formed, else a new one', async () => {
    const query = '{ billingPeriod { start } }';
    const none = await post(url, admin, query, {});
    expect(none.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const malformed = await post(url, admin, query, {}, { 'x-request-id': 'not allowed; spaces' });
    expect(malformed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const own = await post(url, admin, query, {}, { 'x-request-id': 'partner-job:42' });
    expect(own.requestId).toBe('partner-job:42');
  });

  it('records a mutation sent over graphql-ws with its own request id and the client address', async () => {
    const client = wsClient(url, admin, null);
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          {
            query: 'mutation($id: ID!) { setBillingBasis(accountId: $id, basis: CONCURRENT) { id } }',
            variables: { id: initech.id },
          },
          { next: () => undefined, error: reject, complete: resolve },
        );
      });
    } finally {
      await client.dispose();
    }
    const entry = await eventually(
      async () => (await entries(initech.id, { operation: 'setBillingBasis' }))[0],
      20_000,
    );
    expect(entry).toMatchObject({ outcome: 'SUCCEEDED', service: 'billing', clientAddress: '127.0.0.1' });
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records refused attempts with their code, in the caller’s own log', async () => {
    const intruder = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: initech.id,
      sub: 'initech-admin',
      certified: true,
    });
    const res = await post(
      url,
      intruder,
      'mutation($id: ID!) { placeAccountOnHold(accountId: $id, reason: "mischief") { accountId } }',
      { id: acme.id },
      { 'x-request-id': 'refused-attempt-1' },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const refused = await eventually(async () => {
      const found = (await entries(initech.id, {}, intruder)).find(
        (e) => e.requestId === 'refused-attempt-1',
      );
      return found;
    }, 20_000);
    expect(refused).toMatchObject({
      field: 'placeAccountOnHold',
      outcome: 'REFUSED',
      errorCode: 'FORBIDDEN',
      subject: 'initech-admin',
      accountId: initech.id,
    });
    // Acme's log does not learn who tried.
    expect((await entries(acme.id)).some((e) => e.requestId === 'refused-attempt-1')).toBe(false);
  }, 60_000);

  it('is tenant-scoped: an account reads its own log only; supervisors and servers read none', async () => {
    const initechAdmin = await tokenFor(stack.config, {
      roles: ['CUSTOMER_ADMIN'],
      accountId: initech.id,
      sub: 'initech-admin',
    });
    const foreign = await graphqlRequest(url, AUDIT_LOG, { accountId: acme.id }, initechAdmin);
    expect(foreign.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const own = await entries(initech.id, {}, initechAdmin);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.accountId === initech.id)).toBe(true);
    const supervisor = await tokenFor(stack.config, { roles: ['SUPERVISOR'], accountId: initech.id });
    const bySupervisor = await graphqlRequest(url, AUDIT_LOG, { accountId: initech.id }, supervisor);
    expect(bySupervisor.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('pages newest first with stable cursors', async () => {
    const first = await graphqlData<Page>(url, AUDIT_LOG, { accountId: acme.id, first: 2 }, admin);
    expect(first.auditLog.edges).toHaveLength(2);
    expect(first.auditLog.pageInfo.hasNextPage).toBe(true);
    const next = await graphqlData<Page>(
      url,
      AUDIT_LOG,
      { accountId: acme.id, first: 2, after: first.auditLog.pageInfo.endCursor },
      admin,
    );
    const all = await entries(acme.id);
    expect([...first.auditLog.edges, ...next.auditLog.edges].map((e) => e.node.id)).toEqual(
      all.slice(0, 4).map((e) => e.id),
    );
    const bad = await graphqlRequest(url, AUDIT_LOG, { accountId: acme.id, after: 'not-a-cursor' }, admin);
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('exports CSV: header, one row per entry, quoting, and no formula runs in a spreadsheet', async () => {
    const reason = 'unpaid, see "invoice 7"';
    // A subject a spreadsheet would run as a formula.
    const prankster = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], sub: '@SUM(1+1)' });
    await graphqlData(
      url,
      'mutation($id: ID!, $reason: String!) { placeAccountOnHold(accountId: $id, reason: $reason) { accountId } }',
      { id: acme.id, reason },
      prankster,
    );
    await graphqlData(
      url,
      'mutation($id: ID!) { liftAccountHold(accountId: $id) { accountId } }',
      { id: acme.id },
      admin,
    );
    const filter = { operation: 'placeAccountOnHold', subject: '@SUM(1+1)' };
    const entry = await eventually(async () => (await entries(acme.id, filter))[0], 20_000);
    const { auditLogCsv: csv } = await graphqlData<{ auditLogCsv: string }>(
      url,
      'query($id: ID!, $f: AuditLogFilter) { auditLogCsv(accountId: $id, filter: $f) }',
      { id: acme.id, f: filter },
      admin,
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'occurredAt,outcome,errorCode,field,operation,service,subject,roles,credentialKind,credentialId,targetIds,requestId,clientAddress,change',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines[1]).toBe(
      [
        entry.occurredAt,
        'SUCCEEDED',
        '',
        'placeAccountOnHold',
        entry.operation ?? '',
        'enforcement',
        "'@SUM(1+1)",
        'LICENSING_ADMIN',
        'token',
        "'@SUM(1+1)",
        entry.targetIds.join(' '),
        entry.requestId,
        '127.0.0.1',
        // JSON with quotes and a comma: quoted, quotes doubled.
        `"${entry.change.replaceAll('"', '""')}"`,
      ].join(','),
    );
    expect(JSON.parse(entry.change)).toEqual({ accountId: acme.id, reason });
  }, 60_000);
});
