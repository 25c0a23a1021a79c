import { buildSchema, parse } from 'graphql';
import {
  costLimitFor,
  exceededLimit,
  highestCostLimit,
  measureComplexity,
  measureOperation,
} from './operation-limits.js';

const schema = buildSchema(`
  type Query { owner(id: ID!): Owner owners(first: Int): [Owner!]! version: String }
  type Owner { id: ID! name: String! parent: Owner friends(first: Int): [Owner!]! tags: [String!]! }
`);
const limits = { maxDepth: 12, maxAliases: 30, maxCost: 5000 };
const measure = (query: string) => measureComplexity(parse(query), schema);
const nested = (levels: number) =>
  `{ owner(id: "1") { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } }`;

describe('operation complexity', () => {
  test.each([
    [
      'a flat query: leaves are free',
      '{ owner(id: "1") { id name tags } }',
      { depth: 2, aliases: 0, cost: 1 },
    ],
    ['root scalar fields cost 1 each', '{ version a: version }', { depth: 1, aliases: 1, cost: 2 }],
    [
      'lists multiply what is below them',
      '{ owners { friends { name } } }',
      { depth: 3, aliases: 0, cost: 110 },
    ],
    [
      'a literal page size replaces the default',
      '{ owners(first: 2) { friends(first: 3) { id } } }',
      { depth: 3, aliases: 0, cost: 8 },
    ],
    ['__typename is free', '{ owner(id: "1") { __typename } }', { depth: 1, aliases: 0, cost: 1 }],
    [
      'fragments count where they are spread',
      '{ owner(id: "1") { ...F ...F } } fragment F on Owner { x: name parent { y: id } }',
      { depth: 3, aliases: 4, cost: 3 },
    ],
    [
      'inline fragments',
      '{ owner(id: "1") { ... on Owner { parent { id } } } }',
      { depth: 3, aliases: 0, cost: 2 },
    ],
  ])('%s', (_label, query, expected) => {
    expect(measure(query)).toEqual(expected);
  });

  test('a fragment spread in a fragment spread… is measured in linear time, not expanded', () => {
    const levels = 40; // 2^40 expanded selections
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Owner { ${i === levels - 1 ? 'a: id' : `...F${i + 1} ...F${i + 1}`} }`,
    ).join('\n');
    const started = performance.now();
    const result = measure(`{ owner(id: "1") { ...F0 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(100);
    expect(result.aliases).toBe(2 ** (levels - 1));
    expect(exceededLimit(result, limits)).toMatch(/too many aliases/);
  });

  test('cyclic fragments (a validation error) do not loop', () => {
    expect(
      measure('{ owner(id: "1") { ...A } } fragment A on Owner { ...B } fragment B on Owner { ...A }').depth,
    ).toBe(1);
  });

  test.each([
    ['depth', nested(12), /too deep: depth 14 exceeds the limit of 12/],
    [
      'aliases',
      `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: version`).join(' ')} }`,
      /too many aliases: 31/,
    ],
    [
      'cost',
      '{ owners { friends { friends { friends { name } } } } }',
      /estimated cost 11110 exceeds the limit of 5000/,
    ],
  ])('the %s limit', (_limit, query, message) => {
    expect(exceededLimit(measure(query), limits)).toMatch(message);
  });

  test('within every limit', () => {
    expect(exceededLimit(measure(nested(10)), limits)).toBeUndefined();
  });

  test('only the named operation is measured', () => {
    const document = parse(`query Small { version } query Deep ${nested(20)}`);
    expect(measureComplexity(document, schema, 'Small').depth).toBe(1);
    expect(measureComplexity(document, schema, 'Deep').depth).toBe(22);
  });
});

describe('list sizes the cost model counts', () => {
  const paged = buildSchema(`
    type Query {
      servers: [Server!]!
      sessions(serverId: ID!, limit: Int! = 50): [Session!]!
      items(first: Int, after: String): ItemConnection!
    }
    type Server { id: ID! users: [User!]! }
    type User { id: ID! server: Server }
    type Session { id: ID! user: User }
    type ItemConnection { edges: [ItemEdge!]! nodes: [Item!]! }
    type ItemEdge { cursor: String! node: Item! }
    type Item { id: ID! owner: User }
  `);
  const sizes = { 'Query.servers': 4, 'Server.users': 200 };
  const cost = (query: string, variables?: Record<string, unknown>) =>
    measureOperation(parse(query), paged, undefined, { listSizes: sizes, variables }).complexity.cost;

  test('a list without a size argument counts its assumed size (else the default of 10)', () => {
    expect(cost('{ servers { users { id } } }')).toBe(4 * (1 + 200));
    expect(cost('{ servers { users { server { id } } } }')).toBe(4 * (1 + 200 * 2));
  });

  test("a size argument's literal, its variable's value or default, or the schema's default", () => {
    expect(cost('{ sessions(serverId: "s", limit: 5) { user { id } } }')).toBe(5 * 2);
    expect(cost('query($n: Int!) { sessions(serverId: "s", limit: $n) { user { id } } }', { n: 7 })).toBe(14);
    expect(cost('query($n: Int! = 3) { sessions(serverId: "s", limit: $n) { user { id } } }')).toBe(6);
    expect(cost('{ sessions(serverId: "s") { user { id } } }')).toBe(50 * 2);
  });

  test('a size given by a variable is flagged: the cost depends on the request, not the text alone', () => {
    const query = parse('query($n: Int!) { sessions(serverId: "s", limit: $n) { id } }');
    expect(measureOperation(query, paged, undefined, { variables: { n: 2 } }).sizedByVariables).toBe(true);
    expect(measureOperation(parse('{ servers { id } }'), paged).sizedByVariables).toBe(false);
  });

  test("a connection's page size (first) counts for its edges and nodes", () => {
    expect(cost('{ items(first: 5) { edges { node { owner { id } } } } }')).toBe(1 + 5 * (1 + 2));
    expect(cost('{ items(first: 5) { nodes { owner { id } } } }')).toBe(1 + 5 * 2);
    expect(cost('query($n: Int) { items(first: $n) { nodes { id } } }', { n: 3 })).toBe(1 + 3);
    // Without a page size: the connection's own assumed size (else the default).
    expect(cost('{ items { nodes { id } } }')).toBe(1 + 10);
  });
});

describe('cost limits per role', () => {
  const perRole = { ...limits, maxCostByRole: { LICENSING_ADMIN: 50_000, PARTNER: 25_000, SERVER: 2000 } };
  test('a caller gets the highest limit of its roles, an unlisted role or no token the default', () => {
    expect(costLimitFor(perRole, ['PARTNER'])).toBe(25_000);
    expect(costLimitFor(perRole, ['SERVER', 'LICENSING_ADMIN'])).toBe(50_000);
    expect(costLimitFor(perRole, ['SUPERVISOR'])).toBe(5000);
    expect(costLimitFor(perRole, [])).toBe(5000);
    expect(highestCostLimit(perRole)).toBe(50_000);
  });
});
