import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { DEFAULT_PAGE_SIZE, measureComplexity } from '@lic/shared';

const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'api-schema.graphql'), 'utf8'));
const cost = (query: string, variables?: Record<string, unknown>) =>
  measureComplexity(parse(query), schema, undefined, { variables: variables ?? null }).cost;

describe('the cost of a connection is counted by its page size', () => {
  it('grows with first (literal or variable), and counts a page without first at the default page size', () => {
    const page = (first: string) =>
      `{ accountsConnection${first} { edges { cursor node { id serversConnection(first: 4) { edges { node { id } } } } } pageInfo { hasNextPage } } }`;
    // Root 1 + pageInfo 1 + per page item: edge 1, node 1, servers connection 1, its 4 edges and nodes 8.
    const perItem = 11;
    expect(cost(page('(first: 10)'))).toBe(2 + 10 * perItem);
    expect(cost(page('(first: 200)'))).toBe(2 + 200 * perItem);
    expect(
      measureComplexity(
        parse(`query($n: Int) { accountsConnection(first: $n) { edges { node { id } } } }`),
        schema,
        undefined,
        { variables: { n: 150 } },
      ).cost,
    ).toBe(1 + 150 * 2);
    expect(cost(page(''))).toBe(2 + DEFAULT_PAGE_SIZE * perItem);
  });

  it('counts every connection of the schema without first at the default page size', () => {
    const connections = Object.entries(schema.getQueryType()!.getFields()).filter(([name]) =>
      name.endsWith('Connection'),
    );
    expect(connections.length).toBeGreaterThanOrEqual(10);
    for (const [name, field] of connections) {
      const required = field.args
        .filter((a) => String(a.type).endsWith('!'))
        .map((a) => `${a.name}: ${String(a.type).startsWith('ID') ? '"x"' : '"2020-01-01T00:00:00.000Z"'}`);
      const args = required.length > 0 ? `(${required.join(', ')})` : '';
      expect({ name, cost: cost(`{ ${name}${args} { edges { cursor } } }`) }).toEqual({
        name,
        cost: 1 + DEFAULT_PAGE_SIZE,
      });
    }
  });
});
