import { describeEachDatabase, graphqlRequest, unsignedGraphqlRequest } from '@lic/testing';
import { type Harness, accountWithOrder, startAccounts } from '../../test/harness.js';

/**
 * Issue 15, hole 1, on the accounts subgraph reached directly (not through the gateway): "With no
 * token, `_entities` on the accounts subgraph returns another tenant's sales-order lines ...
 * Subgraphs also serve `_service` and introspection anonymously and apply no depth/alias limits
 * (300 aliases ran directly; the gateway stops at 30)." The rule (docs/architecture.md, trust
 * boundaries): a subgraph answers only the gateway, which signs each request it sends.
 */
describeEachDatabase('accounts answers only the gateway', (database) => {
  let h: Harness;
  let orderId: string;
  let accountId: string;

  beforeAll(async () => {
    h = await startAccounts(database);
    const customer = await accountWithOrder(h, {
      name: 'Customer B',
      garn: 'GARN-B',
      lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 }],
    });
    orderId = customer.orderId!;
    accountId = customer.accountId;
  });
  afterAll(() => h.close());

  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on SalesOrder { orderNumber lines { partNumber assignedQuantity } } } }`;

  it("refuses `_entities` without the gateway's signature: no token, no sales-order lines", async () => {
    const result = await unsignedGraphqlRequest(h.server.url, ENTITIES, {
      r: [{ __typename: 'SalesOrder', id: orderId }],
    });
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result)).not.toMatch(/SW-001|SO-\d/);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'gateway.signature.missing',
    });
  });

  it('refuses `_service` and introspection without the signature', async () => {
    for (const query of ['{ _service { sdl } }', '{ __schema { types { name } } }']) {
      const result = await unsignedGraphqlRequest(h.server.url, query);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses 300 aliases even signed, by its own limit (QUERY_TOO_COMPLEX, as the gateway)', async () => {
    const query = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: accounts { id }`).join(' ')} }`;
    const unsigned = await unsignedGraphqlRequest(h.server.url, query, {}, h.admin);
    expect(unsigned.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const signed = await graphqlRequest(h.server.url, query, {}, h.admin);
    expect(signed.data ?? null).toBeNull();
    expect(signed.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', aliases: 300 });
  });

  it('answers requests signed as the gateway signs them, the caller still checked', async () => {
    const { data } = await graphqlRequest<{ salesOrder: unknown }>(
      h.server.url,
      'query($id: ID!) { salesOrder(id: $id) { lines { partNumber assignedQuantity } } }',
      { id: orderId },
      h.admin,
    );
    expect(data?.salesOrder).toEqual({ lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 }] });
    const anonymous = await graphqlRequest(h.server.url, '{ accounts { id } }');
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const entities = await graphqlRequest<{ _entities: unknown[] }>(
      h.server.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { name } } }',
      { r: [{ __typename: 'Account', id: accountId }] },
      h.admin,
    );
    expect(entities.data?._entities).toEqual([{ name: 'Customer B' }]);
  });
});
