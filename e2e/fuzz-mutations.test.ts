import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  type GraphQLInputType,
  type GraphQLSchema,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isRequiredInputField,
} from 'graphql';
import { pino } from 'pino';
import { isStableCode } from '@lic/shared';
import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { type SeedSummary, seedDemoData, startStack, type Stack } from '@lic/scripts';
import { ROOT } from './helpers.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRING_PIECES = [
  '',
  ' ',
  'Acme',
  'Zoë Ångström',
  '山田',
  '🎧',
  '\u0000',
  '\r\n',
  '\t',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u2066',
  '\ud800',
  '\udc00',
  '\uffff',
  "' OR 1=1 --",
  '"; DROP TABLE server; --',
  '<script>alert(1)</script>',
  '%s%n',
  '../../etc/passwd',
  'I3_ACCESS_CLIENT',
  'I3_ACCESS_NOPE',
  'Call',
  '+1 (317) 555-0100',
  'x'.repeat(300),
  'é'.repeat(199),
  '{"a":1}',
  'null',
  '-----BEGIN LICENSE-----',
];

const DATES = [
  '2026-12-07T00:00:00Z',
  '2027-03-01T12:30:00.250+01:00',
  '2021-02-30T00:00:00Z',
  '2021-13-01T00:00:00Z',
  '0050-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2021-01-01T24:00:00Z',
  '2021-01-01T23:59:60Z',
  '2021-01-01T00:00:00',
  '2021-01-01',
  '9999-12-31T23:59:59.999Z',
  '2021-01-01T00:00:00.0000001Z',
  '2021-01-01T00:00:00+24:00',
  'yesterday',
  '',
  '\u0000',
];

interface Refusal {
  tag: string;
  mutation: string;
}

/**
 * Issue 15: "a fuzz test of every mutation's string and date inputs (generated inputs, fixed seed, a
 * few thousand cases): no 500, no INTERNAL_SERVER_ERROR, nothing stored on refusal". Every mutation
 * of the public schema, through the gateway of the real platform (demo data seeded), with its
 * strings, IDs and dates drawn from hostile pieces; each string carries a tag so that what a refused
 * case sent can be looked for afterwards.
 */
describe('fuzzing every mutation through the gateway (real platform)', () => {
  const CASES = 2000;
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;
  let seeded: SeedSummary;
  const errorLogs: string[] = [];

  beforeAll(async () => {
    env = testEnvironment();
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          errorLogs.push(String(chunk));
          done();
        },
      }),
    );
    stack = await startStack(env.config, { logger });
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
    seeded = await seedDemoData(stack.gatewayUrl, admin);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  it('answers every generated case with a stable code, never a 500, and stores nothing it refused', async () => {
    const schema: GraphQLSchema = buildSchema(readFileSync(join(ROOT, 'gateway/api-schema.graphql'), 'utf8'));
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const random = generator(15);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let counter = 0;
    let tag = '';

    const fuzzString = (): string => {
      const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(STRING_PIECES));
      return `${tag}${parts.join('')}`;
    };
    const idFor = (name: string): string => {
      const server = pick(seeded.servers);
      if (/accountId$/i.test(name)) return random() < 0.8 ? server.accountId : randomUUID();
      if (/^serverId$/.test(name)) return random() < 0.8 ? server.id : randomUUID();
      return pick([randomUUID(), server.id, server.accountId, fuzzString()]);
    };
    const valueOf = (type: GraphQLInputType, name: string): unknown => {
      if (isNonNullType(type)) return valueOf(type.ofType, name);
      if (isListType(type)) {
        return Array.from({ length: Math.floor(random() * 3) }, () => valueOf(type.ofType, name));
      }
      if (isEnumType(type)) return pick(type.getValues()).name;
      if (isInputObjectType(type)) {
        const value: Record<string, unknown> = {};
        for (const field of Object.values(type.getFields())) {
          if (isRequiredInputField(field) || random() < 0.5)
            value[field.name] = valueOf(field.type, field.name);
        }
        return value;
      }
      switch (type.name) {
        case 'String':
          return fuzzString();
        case 'ID':
          return idFor(name);
        case 'DateTime':
          return pick(DATES);
        case 'Int':
          return pick([0, 1, 3, -1, 2_147_483_647]);
        case 'Float':
          return pick([0, 1.5, -2]);
        case 'Boolean':
          return random() < 0.5;
        default:
          return fuzzString();
      }
    };

    const cases = Array.from({ length: CASES }, (_, i) => {
      const mutation = mutations[i % mutations.length]!;
      counter += 1;
      tag = `fz${counter}q`;
      const variables: Record<string, unknown> = {};
      for (const arg of mutation.args) {
        if (isNonNullType(arg.type) || random() < 0.6) variables[arg.name] = valueOf(arg.type, arg.name);
      }
      const definitions = mutation.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const call = mutation.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const selection = isLeafType(getNamedType(mutation.type)) ? '' : ' { __typename }';
      const query = `mutation Fuzz${definitions ? `(${definitions})` : ''} { ${mutation.name}${call ? `(${call})` : ''}${selection} }`;
      return { tag, mutation: mutation.name, query, variables };
    });

    const failures: string[] = [];
    const refusals: Refusal[] = [];
    const codes = new Map<string, number>();
    const run = async (c: (typeof cases)[number]) => {
      const res = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: c.query, variables: c.variables }),
      });
      const text = await res.text();
      let body: { errors?: Array<{ message: string; extensions?: { code?: unknown } }> } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        failures.push(`${c.mutation}: ${res.status} not JSON: ${text.slice(0, 200)}`);
        return;
      }
      if (res.status >= 500) failures.push(`${c.mutation}: HTTP ${res.status} ${text.slice(0, 200)}`);
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code;
        codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
        if (!isStableCode(code) || code === 'INTERNAL_SERVER_ERROR') {
          failures.push(
            `${c.mutation}: ${String(code)} ${error.message} ${JSON.stringify(c.variables).slice(0, 300)}`,
          );
        }
      }
      if (body.errors?.length) refusals.push({ tag: c.tag, mutation: c.mutation });
    };
    // Eight at a time: the platform is in this process.
    for (let i = 0; i < cases.length; i += 8) await Promise.all(cases.slice(i, i + 8).map(run));

    expect(failures.slice(0, 20)).toEqual([]);
    expect(errorLogs.filter((line) => /internal error|request failed/.test(line)).slice(0, 5)).toEqual([]);

    // Nothing a refused case sent was stored: its tag appears in no name the platform keeps.
    const dump = JSON.stringify(
      await Promise.all(
        seeded.servers.map(async (server) => {
          const res = await fetch(stack.gatewayUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
            body: JSON.stringify({
              query: `query($s: ID!, $a: ID!) {
                cicUsers(serverId: $s) { name queuedMediaTypes dynamicPhone }
                stations(serverId: $s) { name }
                account(id: $a) { name garn installSites { name address } servers { name } }
              }`,
              variables: { s: server.id, a: server.accountId },
            }),
          });
          return res.json();
        }),
      ),
    );
    const stored = refusals.filter((r) => dump.includes(r.tag)).map((r) => `${r.mutation} (${r.tag})`);
    expect(stored).toEqual([]);
    // The run exercised refusals of many kinds, not one blanket error.
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(100);
  }, 120_000);
});
